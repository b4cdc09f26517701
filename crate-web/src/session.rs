//! The session context: every signal the page shares, provided once by `App`. Jobs change it
//! (`jobs/`, through the progress sink in `sink.rs`); the sections read it.

use std::collections::VecDeque;
use std::sync::Arc;

use bkflash_core::flasher::{CancelToken, ChipInfo, Flasher, ResetMethod, WorkBaud};
use bkflash_core::plan::Region;
use bkflash_core::progress::{LineState, Stage};
use leptos::prelude::*;

use crate::backups::saved::SavedBackup;
use crate::backups::store::StoredBackup;
use crate::device::{Port, VirtualChip, now_ms};
use crate::firmware::chip_refusal;
pub use crate::firmware::{LoadedFile, PlanKey, PlanState, PreparedPlan};
use crate::job::{FlashAfter, Job};

/// Most protocol-log lines kept; older ones are dropped.
pub const LOG_CAP: usize = 400;

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

/// A backup this session took, and during which link (`link_id`).
#[derive(Clone, Debug)]
pub struct BackupRecord {
    pub link: u64,
    pub saved: SavedBackup,
}

/// All shared page state; `Copy` handles, provided once with `provide_context`.
#[derive(Clone, Copy)]
pub struct Session {
    pub flasher: StoredValue<Option<Flasher<Port>>, LocalStorage>,
    pub pending: StoredValue<Option<Box<dyn FnOnce()>>, LocalStorage>,
    pub confirm: RwSignal<Option<Confirm>>,
    pub port_label: RwSignal<Option<String>>,
    /// The virtual chip behind the port, `None` for an adapter or no port.
    pub virtual_chip: RwSignal<Option<&'static VirtualChip>>,
    pub chip: RwSignal<Option<ChipInfo>>,
    pub file: RwSignal<Option<Arc<LoadedFile>>>,
    pub busy: RwSignal<Option<Job>>,
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
    /// The last backup taken in this visit (by Back up or before a write).
    pub last_backup: RwSignal<Option<BackupRecord>>,
    /// What the last failed job left in the flash; `None` after a job that did not fail.
    pub failed_flash: RwSignal<Option<FlashAfter>>,
    /// "OpenBeken 1.18.50": the firmware a `?manifest=` address offers, once its list arrived.
    pub manifest_name: RwSignal<Option<String>>,
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
            virtual_chip: RwSignal::new(None),
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
            last_backup: RwSignal::new(None),
            failed_flash: RwSignal::new(None),
            manifest_name: RwSignal::new(None),
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
            chip_refusal(firmware, file.only_for, &chip)
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

    /// `ready_plan` outside a reactive scope (a click handler).
    pub fn ready_plan_untracked(&self) -> Option<Arc<PreparedPlan>> {
        untrack(|| self.ready_plan())
    }

    /// The regions of the chosen file, if it could be analysed.
    pub fn file_regions_untracked(&self) -> Option<Vec<Region>> {
        self.file.with_untracked(|f| {
            f.as_ref()
                .and_then(|f| f.analysis.as_ref().ok())
                .map(|fw| fw.regions.clone())
        })
    }

    /// The backup taken since this chip was linked, if any: it holds what the chip had before
    /// anything this link wrote.
    pub fn link_backup(&self) -> Option<SavedBackup> {
        let link = self.link_id.get();
        self.last_backup.with(|record| {
            record
                .as_ref()
                .filter(|r| r.link == link)
                .map(|r| r.saved.clone())
        })
    }

    /// Forget the port and what was learned through it (its port was closed or lost).
    pub fn forget_port(&self) {
        self.chip.set(None);
        self.port_label.set(None);
        self.virtual_chip.set(None);
    }

    /// Show `message` as the failed outcome (a refusal before any job started).
    pub fn fail(&self, message: String) {
        self.outcome.set(Some(Outcome::Failed(message)));
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
