//! Reboot chip: leave download mode and start the firmware; Connect links again for the next job.

use bkflash_core::flasher::Flasher;

use super::runner::run;
use crate::device::Port;
use crate::job::{Job, JobResult};
use crate::session::Session;
use crate::sink::PageSink;

/// Reboot chip: leave download mode and start the firmware.
pub fn start_reboot(session: Session) {
    run(session, Job::Reboot, async move |f, s| reboot(f, s).await);
}

pub async fn reboot(flasher: &mut Flasher<Port>, sink: &mut PageSink) -> JobResult {
    flasher.reboot(sink).await?;
    Ok(String::from(
        "Rebooted: the chip now runs its firmware. Press Connect to flash again.",
    ))
}
