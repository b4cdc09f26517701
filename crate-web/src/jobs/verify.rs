//! Verify file against chip: the chosen file's regions compared with the chip sector by sector; the
//! sectors that differ are named.

use bkflash_core::flasher::Flasher;
use bkflash_core::plan::Region;

use super::runner::run;
use crate::device::Port;
use crate::job::{Job, JobError, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

/// Verify file against chip: the chosen file's regions, sector by sector.
pub fn start_verify(session: Session) {
    if let Some(regions) = session.file_regions_untracked() {
        run(session, Job::Verify, async move |f, s| {
            verify(f, s, regions).await
        });
    }
}

pub async fn verify(
    flasher: &mut Flasher<Port>,
    sink: &mut PageSink,
    regions: Vec<Region>,
) -> JobResult {
    let differing = flasher.verify(&regions, sink).await?;
    if differing.is_empty() {
        return Ok(String::from("Verified: the chip holds this file exactly."));
    }
    let list: Vec<String> = differing.iter().map(|a| format!("0x{a:06X}")).collect();
    Err(JobError::Page(format!(
        "{} sectors differ from the file: {}. Write the file to fix them.",
        differing.len(),
        list.join(", ")
    )))
}
