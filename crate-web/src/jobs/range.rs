//! Read range, Erase range and Erase all but bootloader: a range the user typed (or everything above
//! the bootloader), read into a download or erased after one question.

use core::ops::Range;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::Flasher;
use leptos::prelude::*;

use super::runner::run;
use crate::device::Port;
use crate::files;
use crate::job::{Job, JobError, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

/// Read range: the typed range, saved as a download.
pub fn start_read(session: Session, range: Result<Range<u32>, String>) {
    match range {
        Ok(range) => run(session, Job::Read, async move |f, s| {
            read(f, s, range).await
        }),
        Err(message) => session.fail(message),
    }
}

pub async fn read(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    range: Range<u32>,
) -> JobResult {
    let chip = flasher
        .chip()
        .cloned()
        .ok_or_else(|| JobError::Page(String::from("Connect a device first.")))?;
    let bytes = flasher.read(range.clone(), sink).await?;
    let name = files::read_name(&chip, range.start, range.end - range.start);
    files::download(&name, &bytes).map_err(JobError::Page)?;
    Ok(format!("Read {} bytes, saved as {name}.", bytes.len()))
}

/// Erase range: the typed range, after one question.
pub fn start_erase(session: Session, range: Result<Range<u32>, String>) {
    let range = match range {
        Ok(range) => range,
        Err(message) => return session.fail(message),
    };
    let question = format!(
        "Erase 0x{:06X}..0x{:06X}? Everything stored there is lost.",
        range.start, range.end
    );
    session.ask(question, "Yes, erase", move || {
        run(session, Job::Erase, async move |f, s| {
            erase(f, s, range).await
        })
    });
}

/// Erase all but bootloader: everything from `BOOTLOADER_END` to the end of the flash, after one question.
pub fn start_erase_all(session: Session) {
    let Some(size) = session
        .chip
        .with_untracked(|c| c.as_ref().map(|c| c.flash_size))
    else {
        return;
    };
    let question = format!(
        "Erase everything except the bootloader (0x{BOOTLOADER_END:06X}..0x{size:06X})? The firmware and its settings are lost; the chip will not boot until you write new firmware."
    );
    session.ask(question, "Yes, erase all", move || {
        run(session, Job::Erase, async move |f, s| {
            erase(f, s, BOOTLOADER_END..size).await
        })
    });
}

pub async fn erase(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    range: Range<u32>,
) -> JobResult {
    let report = flasher.erase(range, sink).await?;
    Ok(format!("Erased:\n{}", report.summary_lines().join("\n")))
}
