//! Back up whole flash: the button's handler and the job, which reads the flash and keeps it where
//! the user chose (`backups/take.rs`).

use bkflash_core::flasher::Flasher;
use leptos::prelude::*;

use super::runner::run;
use crate::backups::picker::{SaveChoice, ask_where};
use crate::backups::take::take_backup;
use crate::device::Port;
use crate::files;
use crate::job::{Job, JobError, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

/// Back up whole flash: ask where to save (inside the click, where browsers allow the dialog), then read.
pub fn start_backup(session: Session) {
    let Some(chip) = session.chip.get_untracked() else {
        return;
    };
    let choice = ask_where(files::backup_name(&chip));
    run(session, Job::Backup, async move |f, s| {
        backup(f, s, session, choice).await
    });
}

/// Read the whole flash and keep it where `choice` says (see `backups::take_backup`).
pub async fn backup(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    choice: SaveChoice,
) -> JobResult {
    let saved = take_backup(flasher, sink, session, choice).await?;
    Ok(saved.sentence())
}

/// The backup a write or restore takes first: the sentence saying where it is kept, or `skipped`
/// when the user chose none (`backup` is `None`).
pub async fn backup_first(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    backup: Option<SaveChoice>,
    skipped: &str,
) -> Result<String, JobError> {
    Ok(match backup {
        Some(choice) => take_backup(flasher, sink, session, choice)
            .await?
            .sentence(),
        None => String::from(skipped),
    })
}
