//! What the SPI recovery mode shows and holds: the job running, its progress, the chip found, the
//! backup taken, the image picked, the outcome; and the programmer session between jobs.

use bkflash_core::flasher::CancelToken;
use bkflash_core::progress::{LineState, Stage};
use bkflash_core::spi::{SpiChipInfo, SpiFlasher};
use leptos::prelude::*;

use super::port::ProgrammerPort;

/// The connected programmer: the serprog port and, when wired, the CEN adapter.
pub type Bench = SpiFlasher<ProgrammerPort, ProgrammerPort>;

/// Progress of the running job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub stage: Option<Stage>,
    pub done: u64,
    pub total: u64,
    pub stage_started_ms: f64,
    pub retries: u32,
}

/// The end of a job, in words.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

/// An image the user picked, already checked as a whole-flash image.
#[derive(Clone, Debug, PartialEq)]
pub struct PickedImage {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The write plan in one line, once a backup says what the chip holds.
    pub plan: Option<String>,
}

#[derive(Clone, Copy)]
pub struct SpiState {
    pub busy: RwSignal<Option<&'static str>>,
    pub progress: RwSignal<Progress>,
    pub note: RwSignal<Option<String>>,
    pub line: RwSignal<Option<LineState>>,
    pub chip: RwSignal<Option<SpiChipInfo>, LocalStorage>,
    pub port_label: RwSignal<Option<String>>,
    pub outcome: RwSignal<Option<Outcome>>,
    /// The last backup's name, when one was taken in this session.
    pub backup_name: RwSignal<Option<String>>,
    pub image: RwSignal<Option<PickedImage>, LocalStorage>,
    /// What the flash holds, as far as the page knows (the backup, then each image written).
    pub current: StoredValue<Option<Vec<u8>>, LocalStorage>,
    pub bench: StoredValue<Option<Bench>, LocalStorage>,
    /// Shared with every bench: Cancel stops the running job at its next chunk or sector.
    pub cancel: StoredValue<CancelToken>,
    pub tick: RwSignal<f64>,
}

impl SpiState {
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            note: RwSignal::new(None),
            line: RwSignal::new(None),
            chip: RwSignal::new_local(None),
            port_label: RwSignal::new(None),
            outcome: RwSignal::new(None),
            backup_name: RwSignal::new(None),
            image: RwSignal::new_local(None),
            current: StoredValue::new_local(None),
            bench: StoredValue::new_local(None),
            cancel: StoredValue::new(CancelToken::new()),
            tick: RwSignal::new(0.0),
        }
    }

    /// Mark `job` as running; false when another job runs.
    pub fn begin(self, job: &'static str) -> bool {
        if self.busy.get_untracked().is_some() {
            return false;
        }
        self.cancel.with_value(CancelToken::reset);
        self.busy.set(Some(job));
        self.outcome.set(None);
        self.note.set(None);
        self.progress.set(Progress::default());
        true
    }

    pub fn finish(self, outcome: Outcome) {
        self.busy.set(None);
        self.note.set(None);
        self.outcome.set(Some(outcome));
    }
}
