//! Keeping an SPI backup the way the UART page keeps its backups: where the user chose (save dialog)
//! and in this browser (the Backups list), each copy read back and compared with what was read.

use crate::backups::picker::{Answer, SaveChoice, write_and_read_back};
use crate::backups::store::{self, crc32};
use crate::files;

/// Where the backup went, in one sentence; `Err` when no copy came back equal to `dump`.
pub async fn keep(mut choice: SaveChoice, dump: &[u8]) -> Result<String, String> {
    let name = choice.name.clone();
    let mut places = Vec::new();
    let mut notes = Vec::new();
    let handle = match choice.answer().await {
        Answer::Chosen(handle) => Some(handle),
        Answer::Cancelled => {
            return Err(format!(
                "You closed the save dialog, so the backup {name} was not saved. Nothing was written to the chip: press Back up again and choose a place."
            ));
        }
        Answer::Unavailable(why) => {
            if let Some(why) = why {
                notes.push(format!("(The save dialog could not be shown here: {why}.)"));
            }
            None
        }
    };
    if let Some(handle) = &handle {
        match write_and_read_back(handle, dump).await {
            Ok(back) if back == dump => {
                places.push(format!("saved as {} where you chose", handle.name()))
            }
            Ok(_) => notes.push(format!(
                "The copy saved as {} came back different.",
                handle.name()
            )),
            Err(why) => notes.push(format!("Saving to {} failed ({why}).", handle.name())),
        }
    }
    match keep_here(&name, dump).await {
        Ok(back) if back == dump => places.push(format!(
            "kept in this browser as {name} (see Backups on the main page)"
        )),
        Ok(_) => {
            let _already_gone_is_fine = store::remove(&name).await;
            notes.push(String::from(
                "The copy in this browser came back different and was deleted.",
            ));
        }
        Err(why) => notes.push(format!("It could not be kept in this browser: {why}.")),
    }
    if handle.is_none() && files::download(&name, dump).is_ok() {
        places.push(String::from(
            "offered as a download (look in your downloads folder)",
        ));
    }
    if places.is_empty() {
        return Err(format!(
            "The backup could not be saved anywhere: {}. Nothing was written to the chip: allow this site to store data (or use a browser with a save dialog), then press Back up again.",
            notes.join(" ")
        ));
    }
    let mut text = format!(
        "Backup of the whole flash over SPI ({} bytes, CRC-32 {:08x}, every chunk read twice and equal): {}.",
        dump.len(),
        crc32(dump),
        places.join("; ")
    );
    for note in notes {
        text.push(' ');
        text.push_str(&note);
    }
    Ok(text)
}

async fn keep_here(name: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    store::put(name, bytes).await?;
    store::read(name).await
}
