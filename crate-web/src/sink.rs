//! The progress sink a job reports to: turns the flasher's events into the session's signals and
//! the protocol log, and hands each one to the hardware report.

use bkflash_core::progress::{Event, ProgressSink, retry_line};
use leptos::prelude::*;

use crate::device::now_ms;
use crate::logs::report::record;
use crate::session::{Progress, Session};
use crate::words::frame_line;

/// Least time between two progress updates (ms), so a fast job does not re-render for every frame.
const BYTES_EVERY_MS: f64 = 60.0;

/// Feeds flasher events into the session's signals.
pub struct PageSink {
    session: Session,
    last_bytes_ms: f64,
}

impl PageSink {
    pub fn new(session: Session) -> Self {
        Self {
            session,
            last_bytes_ms: 0.0,
        }
    }
}

impl ProgressSink for PageSink {
    fn event(&mut self, event: Event<'_>) {
        record(&event);
        let s = self.session;
        match event {
            Event::Stage(stage) => {
                s.progress.update(|p| {
                    *p = Progress {
                        stage: Some(stage),
                        stage_started_ms: now_ms(),
                        retries: p.retries,
                        ..Progress::default()
                    }
                });
                s.log_line(format!("-- {}", stage.doing()));
            }
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
            Event::Retry {
                command,
                address,
                attempt,
                kind,
            } => {
                s.progress.update(|p| p.retries += 1);
                s.log_line(retry_line(command, address, attempt, kind));
            }
            Event::Line(state) => s.line.set(Some(state)),
            Event::Frame { direction, bytes } => s.log_line(frame_line(direction, bytes)),
            Event::Note(text) => {
                s.note.set(Some(text.to_owned()));
                s.log_line(format!("note: {text}"));
            }
        }
    }
}
