//! The jobs the page runs on a chip, one at a time, what each means for the flash, the tab and the
//! progress line, and why one stopped. Exhaustive matches: a new job cannot be added without its words.

use bkflash_core::error::Error;
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

/// What a job leaves: the outcome sentence, or why it stopped.
pub type JobResult = Result<String, JobError>;

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_backup_before_a_write_is_named_as_such() {
        assert_eq!(
            Job::Write.stage_words(Some(Stage::Read)),
            Some("Backing up: reading the whole flash before writing")
        );
        assert_eq!(Job::Write.stage_words(Some(Stage::Write)), None);
    }
}
