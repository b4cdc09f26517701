//! The jobs the page runs on a chip, one at a time, what each means for the flash, the tab and the
//! progress line, and why one stopped. Exhaustive matches: a new job cannot be added without its words.

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::SectorState;
use bkflash_core::progress::Stage;

/// One job the page runs on the linked chip (or, for Connect, to link it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Connect,
    /// The background job that makes the write plan.
    Prepare,
    Write,
    Backup,
    Read,
    Erase,
    Verify,
    /// Comparing a backup's bootloader region with the chip before a restore.
    Check,
    Restore,
    Reboot,
    /// The serial console on the flashing port.
    Console,
}

impl Job {
    /// The name told to a page that embeds bkflash (`postMessage`), stable across releases.
    pub fn id(self) -> &'static str {
        match self {
            Job::Connect => "connect",
            Job::Prepare => "prepare",
            Job::Write => "write",
            Job::Backup => "backup",
            Job::Read => "read",
            Job::Erase => "erase",
            Job::Verify => "verify",
            Job::Check => "check",
            Job::Restore => "restore",
            Job::Reboot => "reboot",
            Job::Console => "console",
        }
    }

    /// Whether the job may change the flash: a plan made before it no longer describes the chip.
    pub fn changes_flash(self) -> bool {
        match self {
            Job::Write | Job::Erase | Job::Restore => true,
            Job::Connect
            | Job::Prepare
            | Job::Backup
            | Job::Read
            | Job::Verify
            | Job::Check
            | Job::Reboot
            | Job::Console => false,
        }
    }

    /// Whether closing the tab during the job leaves nothing half done.
    pub fn safe_to_leave(self) -> bool {
        match self {
            Job::Console | Job::Prepare => true,
            Job::Connect
            | Job::Write
            | Job::Backup
            | Job::Read
            | Job::Erase
            | Job::Verify
            | Job::Check
            | Job::Restore
            | Job::Reboot => false,
        }
    }

    /// A background job keeps the last job's outcome on the page.
    pub fn runs_in_background(self) -> bool {
        self == Job::Prepare
    }

    /// The progress line for this job in `stage`, where the job says more than the stage alone.
    pub fn stage_words(self, stage: Option<Stage>) -> Option<&'static str> {
        match (self, stage) {
            (Job::Write, Some(Stage::Read)) => {
                Some("Backing up: reading the whole flash before writing")
            }
            (Job::Restore, Some(Stage::Read)) => {
                Some("Backing up: reading the whole flash before restoring")
            }
            (Job::Check, _) => Some("Comparing the backup's bootloader region with the chip"),
            (Job::Prepare, Some(Stage::Compare)) => {
                Some("Preparing the write plan: asking the chip which sectors already match")
            }
            (Job::Console, _) => Some("Serial console open: press Stop in the console to end it"),
            _ => None,
        }
    }
}

/// Why a job stopped: the flasher's error (rendered by the core) or a page-side problem.
pub enum JobError {
    /// `done` says what the job had already finished (e.g. where its backup is).
    Flasher {
        error: Error,
        done: Option<String>,
    },
    Page(String),
}

impl From<Error> for JobError {
    fn from(error: Error) -> Self {
        JobError::Flasher { error, done: None }
    }
}

impl JobError {
    /// The same failure, telling also what was done before it.
    pub fn after(self, done: &str) -> Self {
        match self {
            JobError::Flasher { error, .. } => JobError::Flasher {
                error,
                done: Some(done.to_owned()),
            },
            JobError::Page(text) => JobError::Page(format!("{done}\n{text}")),
        }
    }
}

/// What a failed job left in the flash, in the three words the guided error screen uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashAfter {
    /// Nothing was erased or written.
    Untouched,
    /// Some app sectors changed: the device will not start until a write finishes.
    HalfWritten,
    /// The bootloader region changed or could not be put back (docs/protocol.md §6).
    BootloaderTouched,
}

impl JobError {
    /// What the flash holds after this failure.
    pub fn flash_after(&self) -> FlashAfter {
        let JobError::Flasher { error, .. } = self else {
            return FlashAfter::Untouched;
        };
        if error.kind == ErrorKind::BootloaderDamaged {
            return FlashAfter::BootloaderTouched;
        }
        let Some(report) = &error.flash else {
            return FlashAfter::Untouched;
        };
        let touched: Vec<u32> = report
            .sectors
            .iter()
            .filter(|(_, state)| *state != SectorState::Untouched)
            .map(|(addr, _)| *addr)
            .collect();
        if touched.iter().any(|addr| *addr < BOOTLOADER_END) {
            FlashAfter::BootloaderTouched
        } else if touched.is_empty() {
            FlashAfter::Untouched
        } else {
            FlashAfter::HalfWritten
        }
    }
}

/// What a job leaves: the outcome sentence, or why it stopped.
pub type JobResult = Result<String, JobError>;

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::flasher::FlashReport;

    const ALL: [Job; 11] = [
        Job::Connect,
        Job::Prepare,
        Job::Write,
        Job::Backup,
        Job::Read,
        Job::Erase,
        Job::Verify,
        Job::Check,
        Job::Restore,
        Job::Reboot,
        Job::Console,
    ];

    #[test]
    fn only_write_erase_and_restore_change_the_flash() {
        let changing: Vec<Job> = ALL.into_iter().filter(|j| j.changes_flash()).collect();
        assert_eq!(changing, [Job::Write, Job::Erase, Job::Restore]);
    }

    #[test]
    fn leaving_is_safe_only_during_the_console_and_the_plan() {
        let safe: Vec<Job> = ALL.into_iter().filter(|j| j.safe_to_leave()).collect();
        assert_eq!(safe, [Job::Prepare, Job::Console]);
    }

    #[test]
    fn each_job_has_its_own_id_for_an_embedding_page() {
        let mut ids: Vec<&str> = ALL.iter().map(|j| j.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
    }

    fn failed_with(sectors: &[(u32, SectorState)]) -> JobError {
        let mut report = FlashReport::new(sectors.iter().map(|s| s.0));
        for &(addr, state) in sectors {
            report.set(addr, state);
        }
        JobError::from(Error::new(ErrorKind::Timeout).with_flash(report))
    }

    #[test]
    fn the_flash_state_after_a_failure_names_the_worst_sector() {
        let untouched = failed_with(&[(0x11000, SectorState::Untouched)]);
        assert_eq!(untouched.flash_after(), FlashAfter::Untouched);
        let app = failed_with(&[
            (0x11000, SectorState::Written),
            (0x12000, SectorState::Erased),
        ]);
        assert_eq!(app.flash_after(), FlashAfter::HalfWritten);
        let boot = failed_with(&[
            (0x0000, SectorState::Erased),
            (0x11000, SectorState::Untouched),
        ]);
        assert_eq!(boot.flash_after(), FlashAfter::BootloaderTouched);
        let damaged = JobError::from(Error::new(ErrorKind::BootloaderDamaged));
        assert_eq!(damaged.flash_after(), FlashAfter::BootloaderTouched);
        assert_eq!(
            JobError::Page(String::from("no")).flash_after(),
            FlashAfter::Untouched
        );
    }

    #[test]
    fn a_backup_before_a_write_is_named_as_such() {
        assert_eq!(
            Job::Write.stage_words(Some(Stage::Read)),
            Some("Backing up: reading the whole flash before writing")
        );
        assert_eq!(Job::Write.stage_words(Some(Stage::Write)), None);
    }
}
