//! The session context: every signal the page shares, provided once by `App`, and the progress sink
//! that turns flasher events into those signals.

use std::collections::VecDeque;
use std::sync::Arc;

use bkflash_core::flasher::{AUTO_BAUD, CancelToken, ChipInfo, Flasher, ResetMethod};
use bkflash_core::image::Firmware;
use bkflash_core::progress::{Direction, Event, LineState, ProgressSink, Stage};
use leptos::prelude::*;

use crate::device::{Port, now_ms};

/// Most protocol-log lines kept; older ones are dropped.
pub const LOG_CAP: usize = 400;
/// Bytes of a frame shown in the log; the rest is summarised as a count.
const LOG_FRAME_BYTES: usize = 24;
/// Least time between two progress updates (ms), so a fast job does not re-render for every frame.
const BYTES_EVERY_MS: f64 = 60.0;

/// A file the user picked, analysed at once.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub name: String,
    pub size: usize,
    pub analysis: Result<Firmware, String>,
}

/// How the last job ended, shown under the actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

/// Progress of the running job.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub stage: Option<Stage>,
    pub done: u64,
    pub total: u64,
    pub stage_started_ms: f64,
    pub retries: u32,
}

/// A dangerous action waiting for the user's yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub yes: String,
}

/// All shared page state; `Copy` handles, provided once with `provide_context`.
#[derive(Clone, Copy)]
pub struct Session {
    pub flasher: StoredValue<Option<Flasher<Port>>, LocalStorage>,
    pub pending: StoredValue<Option<Box<dyn FnOnce()>>, LocalStorage>,
    pub confirm: RwSignal<Option<Confirm>>,
    pub port_label: RwSignal<Option<String>>,
    pub chip: RwSignal<Option<ChipInfo>>,
    pub file: RwSignal<Option<Arc<LoadedFile>>>,
    pub busy: RwSignal<Option<&'static str>>,
    pub progress: RwSignal<Progress>,
    pub line: RwSignal<Option<LineState>>,
    pub link_deadline_ms: RwSignal<Option<f64>>,
    pub note: RwSignal<Option<String>>,
    pub outcome: RwSignal<Option<Outcome>>,
    pub log: RwSignal<VecDeque<String>>,
    pub baud: RwSignal<u32>,
    pub reset: RwSignal<ResetMethod>,
    pub backup_first: RwSignal<bool>,
    pub cancel: StoredValue<CancelToken>,
    pub tick: RwSignal<f64>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            flasher: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            confirm: RwSignal::new(None),
            port_label: RwSignal::new(None),
            chip: RwSignal::new(None),
            file: RwSignal::new(None),
            busy: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            line: RwSignal::new(None),
            link_deadline_ms: RwSignal::new(None),
            note: RwSignal::new(None),
            outcome: RwSignal::new(None),
            log: RwSignal::new(VecDeque::new()),
            baud: RwSignal::new(AUTO_BAUD),
            reset: RwSignal::new(ResetMethod::Auto),
            backup_first: RwSignal::new(true),
            cancel: StoredValue::new(CancelToken::new()),
            tick: RwSignal::new(now_ms()),
        }
    }

    pub fn log_line(&self, line: String) {
        self.log.update(|log| {
            if log.len() == LOG_CAP {
                log.pop_front();
            }
            log.push_back(line);
        });
    }

    /// Ask before `action` runs; the dialog's yes button runs it.
    pub fn ask(&self, question: String, yes: &str, action: impl FnOnce() + 'static) {
        self.pending.set_value(Some(Box::new(action)));
        self.confirm.set(Some(Confirm {
            question,
            yes: yes.to_owned(),
        }));
    }
}

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

static DIRECTION_MARKS: [(Direction, &str); 3] = [
    (Direction::Sent, "→"),
    (Direction::Received, "←"),
    (Direction::Discarded, "✕"),
];

fn frame_line(direction: Direction, bytes: &[u8]) -> String {
    let mark = DIRECTION_MARKS
        .iter()
        .find(|(d, _)| *d == direction)
        .map_or("?", |(_, m)| m);
    let hex: Vec<String> = bytes
        .iter()
        .take(LOG_FRAME_BYTES)
        .map(|b| format!("{b:02x}"))
        .collect();
    let more = if bytes.len() > LOG_FRAME_BYTES {
        format!(" … ({} bytes)", bytes.len())
    } else {
        String::new()
    };
    format!("{mark} {}{more}", hex.join(" "))
}

impl ProgressSink for PageSink {
    fn event(&mut self, event: Event<'_>) {
        crate::logs::record(&event);
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
                s.log_line(format!("-- {stage:?}"));
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
                let at = address
                    .map(|a| format!(" at 0x{a:06X}"))
                    .unwrap_or_default();
                s.log_line(format!(
                    "retry {attempt} of {command}{at}: {}",
                    kind.info().cause
                ));
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
