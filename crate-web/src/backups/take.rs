//! Taking a backup before anything changes: read the whole flash, save it where the user chose and
//! in this browser, read each copy back and check it against the chip. Only then may a job erase.

use bkflash_core::flasher::Flasher;
use bkflash_core::plan::Region;
use leptos::prelude::*;

use super::picker::{Answer, SaveChoice, write_and_read_back};
use super::saved::SavedBackup;
use super::store::{self, crc32};
use crate::device::Port;
use crate::files;
use crate::inside;
use crate::job::JobError;
use crate::session::{BackupRecord, Session};
use crate::sink::PageSink;

/// Ends every refusal to go on: the chip is as it was.
const UNTOUCHED: &str = "Nothing was written to the chip.";

/// Read the whole flash and keep it where `choice` says; fails, before any change, unless at least
/// one copy was read back and matched the chip sector by sector.
pub async fn take_backup(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    session: Session,
    mut choice: SaveChoice,
) -> Result<SavedBackup, JobError> {
    let chip = flasher
        .chip()
        .cloned()
        .ok_or_else(|| JobError::Page(String::from("Connect a device first.")))?;
    let name = choice.name.clone();
    let mut notes = Vec::new();
    let handle = match choice.answer().await {
        Answer::Chosen(handle) => Some(handle),
        Answer::Cancelled => {
            return Err(JobError::Page(format!(
                "You closed the save dialog without choosing where to keep the backup. {UNTOUCHED} \
                 Press the button again and choose a place, or untick \"Back up the chip first\"."
            )));
        }
        Answer::Unavailable(why) => {
            if let Some(why) = why {
                notes.push(format!("(The save dialog could not be shown here: {why}.)"));
            }
            None
        }
    };
    if handle.is_none()
        && let Err(why) = store::ready().await
    {
        return Err(JobError::Page(format!(
            "The backup could not be saved anywhere: there is no save dialog here and this \
             browser's storage refused it ({why}). {UNTOUCHED} Allow this site to store data (or \
             use a browser with a save dialog), then press the button again."
        )));
    }
    let dump = flasher.read(0..chip.flash_size, sink).await?;
    let crc = crc32(&dump);

    session.note.set(Some(format!("Saving the backup {name}…")));
    let chosen = match &handle {
        Some(handle) => match write_and_read_back(handle, &dump).await {
            Ok(back) => Some((handle.name(), back)),
            Err(why) => {
                return Err(JobError::Page(format!(
                    "Saving the backup to {} failed ({why}). {UNTOUCHED} Free some space or choose \
                     another place, then press the button again.",
                    handle.name()
                )));
            }
        },
        None => None,
    };
    let kept = match keep_here(&name, &dump).await {
        Ok(back) => Some(back),
        Err(why) => {
            notes.push(format!("It could not be kept in this browser: {why}."));
            None
        }
    };
    let Some(copy) = chosen.as_ref().map(|(_, back)| back).or(kept.as_ref()) else {
        return Err(JobError::Page(format!(
            "The backup could not be saved anywhere: {}. {UNTOUCHED} Allow this site to store \
             data (or use a browser with a save dialog), then press the button again.",
            notes.join(" ")
        )));
    };

    session.note.set(Some(String::from(
        "Checking the saved backup against the chip…",
    )));
    let differing = flasher
        .verify(
            &[Region {
                offset: 0,
                data: copy.clone(),
            }],
            sink,
        )
        .await?;
    if !differing.is_empty() || crc32(copy) != crc {
        if kept.is_some() {
            let _already_gone_is_fine = store::remove(&name).await;
        }
        return Err(JobError::Page(format!(
            "The saved backup differs from the chip in {} sectors (first at 0x{:06X}), so it does \
             not count. {UNTOUCHED} Press the button again to take a new backup.",
            differing.len(),
            differing.first().copied().unwrap_or(0)
        )));
    }
    let kept_here = match (&chosen, &kept) {
        (Some((_, a)), Some(b)) if a != b => {
            let _already_gone_is_fine = store::remove(&name).await;
            notes.push(String::from(
                "The copy in this browser came back different and was deleted.",
            ));
            false
        }
        (_, kept) => kept.is_some(),
    };
    let downloaded = handle.is_none() && files::download(&name, &dump).is_ok();
    inside::open(&name, &dump);
    session.note.set(None);
    refresh(session).await;
    let saved = SavedBackup {
        name,
        size: dump.len(),
        crc,
        chosen_file: chosen.map(|(file, _)| file),
        kept_here,
        downloaded,
        notes,
    };
    session.last_backup.set(Some(BackupRecord {
        link: session.link_id.get_untracked(),
        saved: saved.clone(),
    }));
    Ok(saved)
}

/// Store a copy in this browser and read it back.
async fn keep_here(name: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    store::put(name, bytes).await?;
    store::read(name).await
}

/// Ask for persistent storage, drop the oldest backups and show the list again.
pub async fn refresh(session: Session) {
    if let Some(persistent) = store::ask_persistent().await {
        session.backups_persistent.set(Some(persistent));
    }
    let _list_shows_what_is_left = store::prune().await;
    if let Ok(list) = store::list().await {
        session.backups.set(list);
    }
}
