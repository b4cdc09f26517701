//! Turns the SPI flasher's progress events into the mode's signals, as the UART page's sink does:
//! stage, bytes (throttled), retries, what the line shows, notes (the reset countdown).

use bkflash_core::progress::{Event, ProgressSink};
use leptos::prelude::*;

use super::state::{Progress, SpiState};
use crate::device::now_ms;

/// Byte counts reach the page at most this often; a redraw per chunk would slow the job.
const BYTES_EVERY_MS: f64 = 100.0;

pub struct SpiSink {
    state: SpiState,
    last_bytes_ms: f64,
}

impl SpiSink {
    pub fn new(state: SpiState) -> Self {
        Self {
            state,
            last_bytes_ms: 0.0,
        }
    }
}

impl ProgressSink for SpiSink {
    fn event(&mut self, event: Event<'_>) {
        let s = self.state;
        match event {
            Event::Stage(stage) => s.progress.update(|p| {
                *p = Progress {
                    stage: Some(stage),
                    stage_started_ms: now_ms(),
                    retries: p.retries,
                    ..Progress::default()
                }
            }),
            Event::Bytes { done, total } => {
                let now = now_ms();
                if done == total || now - self.last_bytes_ms >= BYTES_EVERY_MS {
                    self.last_bytes_ms = now;
                    s.progress.update(|p| {
                        p.done = done;
                        p.total = total;
                    });
                }
            }
            Event::Retry { .. } => s.progress.update(|p| p.retries += 1),
            Event::Line(state) => s.line.set(Some(state)),
            Event::Frame { .. } => {}
            Event::Note(text) => s.note.set(Some(text.to_owned())),
        }
    }
}
