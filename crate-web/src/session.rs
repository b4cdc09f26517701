//! The session context: every signal the page shares, provided once by `App`, and the progress sink
//! that turns flasher events into those signals.

use std::collections::VecDeque;
use std::sync::Arc;

use std::sync::atomic::{AtomicU64, Ordering};

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::{CancelToken, ChipInfo, Flasher, ResetMethod, WorkBaud};
use bkflash_core::image::Firmware;
use bkflash_core::plan::Plan;
use bkflash_core::progress::{Direction, Event, LineState, ProgressSink, Stage, retry_line};
use leptos::prelude::*;

use crate::backups::StoredBackup;
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
    /// Unique per load, so a plan made for one file never runs with another of the same name.
    pub id: u64,
    pub name: String,
    pub size: usize,
    pub analysis: Result<Firmware, String>,
    /// The chip family a manifest build is for: OpenBeken images do not say, so only the manifest
    /// can tell which chip may receive them.
    pub only_for: Option<ChipFamily>,
}

static NEXT_FILE_ID: AtomicU64 = AtomicU64::new(1);

impl LoadedFile {
    pub fn new(name: String, size: usize, analysis: Result<Firmware, String>) -> Self {
        Self {
            id: NEXT_FILE_ID.fetch_add(1, Ordering::Relaxed),
            name,
            size,
            analysis,
            only_for: None,
        }
    }
}

/// What a plan was made from; a plan runs only while all of it is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanKey {
    /// Which link (Connect) the plan read the chip in.
    pub link: u64,
    pub file: u64,
    /// Bumped by every job that may change the flash.
    pub flash: u64,
}

/// A plan made by the core's `prepare` on the linked chip, with what it was made from.
#[derive(Debug)]
pub struct PreparedPlan {
    pub key: PlanKey,
    pub plan: Plan,
    /// The chip's baud when the plan was made, for the time estimate.
    pub baud: u32,
}

/// The write plan for the linked chip and the chosen file.
#[derive(Clone, Debug, Default)]
pub enum PlanState {
    /// No chip, no file, or a file this chip must not get.
    #[default]
    None,
    Preparing(PlanKey),
    Ready(Arc<PreparedPlan>),
    Failed(PlanKey, String),
}

impl PlanState {
    /// The inputs this state belongs to.
    pub fn key(&self) -> Option<PlanKey> {
        match self {
            PlanState::None => None,
            PlanState::Preparing(key) | PlanState::Failed(key, _) => Some(*key),
            PlanState::Ready(prepared) => Some(prepared.key),
        }
    }
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
    /// Show the "back up first" choice in the dialog (writes and restores).
    pub offers_backup: bool,
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
    /// The work rate asked for; by default what field tools use on the connected chip.
    pub baud: RwSignal<WorkBaud>,
    pub reset: RwSignal<ResetMethod>,
    pub backup_first: RwSignal<bool>,
    pub cancel: StoredValue<CancelToken>,
    pub tick: RwSignal<f64>,
    /// Counts successful Connects; 0 before the first.
    pub link_id: RwSignal<u64>,
    /// Counts jobs that may have changed the flash.
    pub flash_epoch: RwSignal<u64>,
    pub plan: RwSignal<PlanState>,
    /// The backups kept in this browser, newest first.
    pub backups: RwSignal<Vec<StoredBackup>>,
    /// Whether the browser promised to keep them (`navigator.storage.persist`); `None` until asked.
    pub backups_persistent: RwSignal<Option<bool>>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
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
            baud: RwSignal::new(WorkBaud::ChipDefault),
            reset: RwSignal::new(ResetMethod::Auto),
            backup_first: RwSignal::new(true),
            cancel: StoredValue::new(CancelToken::new()),
            tick: RwSignal::new(now_ms()),
            link_id: RwSignal::new(0),
            flash_epoch: RwSignal::new(0),
            plan: RwSignal::new(PlanState::None),
            backups: RwSignal::new(Vec::new()),
            backups_persistent: RwSignal::new(None),
        }
    }

    /// What a plan for the current chip and file would be made from, if one may be made at all.
    pub fn plan_key(&self) -> Option<PlanKey> {
        let link = self.link_id.get();
        let flash = self.flash_epoch.get();
        let chip = self.chip.get()?;
        self.file.with(|file| {
            let file = file.as_ref()?;
            let firmware = file.analysis.as_ref().ok()?;
            crate::ui::firmware::chip_refusal(firmware, file.only_for, &chip)
                .is_none()
                .then_some(PlanKey {
                    link,
                    file: file.id,
                    flash,
                })
        })
    }

    /// The plan to run for Write: ready, and made from exactly the current chip, file and flash.
    pub fn ready_plan(&self) -> Option<Arc<PreparedPlan>> {
        let key = self.plan_key()?;
        match self.plan.get() {
            PlanState::Ready(prepared) if prepared.key == key => Some(prepared),
            _ => None,
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
        self.ask_with(question, yes, false, action);
    }

    /// Ask, and offer the "back up first" choice when `offers_backup`.
    pub fn ask_with(
        &self,
        question: String,
        yes: &str,
        offers_backup: bool,
        action: impl FnOnce() + 'static,
    ) {
        self.pending.set_value(Some(Box::new(action)));
        self.confirm.set(Some(Confirm {
            question,
            yes: yes.to_owned(),
            offers_backup,
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
