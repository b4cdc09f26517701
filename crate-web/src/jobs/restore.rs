//! Restore a backup: first what its size, name and content say against the chip, then the chip's
//! own bootloader region against the backup's; only a backup from this chip is offered, after one
//! question, and put back sector by sector (the bootloader kept).

use bkflash_core::flasher::Flasher;
use bkflash_core::plan::Region;
use leptos::prelude::*;

use super::backup::backup_first;
use super::runner::run;
use crate::backups::check;
use crate::backups::picker::{SaveChoice, ask_where};
use crate::device::Port;
use crate::files;
use crate::job::{Job, JobError, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

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
    run(session, Job::Check, async move |f, s| {
        check_bootloader_region(f, s, &dump)
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
            run(session, Job::Restore, async move |f, s| {
                restore(f, s, session, dump, backup).await
            });
        });
        Ok(format!(
            "{name} matches this {chip_name}: size, chip, flash id and bootloader region. Confirm to restore it."
        ))
    });
}

/// Ask the chip whether its bootloader region equals the backup's (restore keeps that region, but
/// it tells chips apart); `Err` names the sectors that differ.
pub async fn check_bootloader_region(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    dump: &[u8],
) -> Result<(), JobError> {
    let Some(region) = check::bootloader_region(dump) else {
        return Ok(());
    };
    let differing = flasher
        .verify(
            &[Region {
                offset: 0,
                data: region.to_vec(),
            }],
            sink,
        )
        .await?;
    if differing.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = differing.iter().map(|a| format!("0x{a:06X}")).collect();
    Err(JobError::Page(format!(
        "its bootloader region (0x000000..0x011000) differs from this chip's in {} of 17 sectors ({}): \
         it was read from another chip",
        differing.len(),
        list.join(", ")
    )))
}

/// Back up (unless `backup` is `None`), then put the backup `dump` back.
pub async fn restore(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    dump: Vec<u8>,
    backup: Option<SaveChoice>,
) -> JobResult {
    let saved = backup_first(
        flasher,
        sink,
        session,
        backup,
        "No backup of the flash before the restore was made.",
    )
    .await?;
    let report = flasher
        .restore(&dump, sink)
        .await
        .map_err(|e| JobError::from(e).after(&saved))?;
    Ok(format!(
        "{saved}\nBackup restored and checked:\n{}",
        report.summary_lines().join("\n")
    ))
}
