//! Restoring a backup: first what its size, name and content say against the chip, then the chip's
//! own bootloader region against the backup's; only a backup from this chip is offered for restore.

use leptos::prelude::*;

use crate::backups::check;
use crate::backups::picker::ask_where;
use crate::files;
use crate::job::{Job, JobError};
use crate::jobs;
use crate::session::Session;

fn refused(name: &str, reasons: &[String]) -> String {
    format!(
        "Restore refused: {name} is not a backup of this chip: {}. Nothing was written. Restore a \
         backup made from this chip; to put another chip's flash on it, use the command line \
         (bkflash restore).",
        reasons.join("; ")
    )
}

/// Check the backup `name` (its bytes `dump`) against the linked chip, then ask to restore it.
pub fn start_restore(session: Session, name: String, dump: Vec<u8>) {
    let Some(chip) = session.chip.get_untracked() else {
        session.fail(String::from("Connect a device first (step 1)."));
        return;
    };
    let differences = check::differences(&name, &dump, &chip);
    if !differences.is_empty() {
        session.fail(refused(&name, &differences));
        return;
    }
    jobs::run(session, Job::Check, async move |f, s| {
        jobs::check_bootloader_region(f, s, &dump)
            .await
            .map_err(|e| match e {
                JobError::Page(reason) => JobError::Page(refused(&name, &[reason])),
                other => other,
            })?;
        let chip_name = chip.family.map_or("chip", |f| f.name());
        let question = format!(
            "Restore {name} to the {chip_name}? It comes from this chip (same size, chip, flash and \
             bootloader region). Sectors that differ are erased and rewritten; the bootloader is kept."
        );
        session.ask_with(question, "Yes, restore", true, move || {
            let backup = session
                .backup_first
                .get_untracked()
                .then(|| ask_where(files::backup_name(&chip)));
            jobs::run(session, Job::Restore, async move |f, s| {
                jobs::restore(f, s, session, dump, backup).await
            });
        });
        Ok(format!(
            "{name} matches this {chip_name}: size, chip, flash id and bootloader region. Confirm to restore it."
        ))
    });
}
