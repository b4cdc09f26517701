//! Session-level jobs: `connect` (link, identify, baud switch) and `reboot`.
//! Every other job connects first when nobody has.

use core::time::Duration;

use super::info::ChipInfo;
use super::{Flasher, transport_error};
use crate::error::Error;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Command;
use crate::transport::Transport;

/// Gap between the two Reboot frames (protocol.md §8: peers send it 2-3 times, 10 ms apart).
const REBOOT_GAP: Duration = Duration::from_millis(10);

impl<T: Transport> Flasher<T> {
    /// Link to the chip, identify it at the link rate, then switch to the work rate, which may
    /// depend on the chip (`WorkBaud::ChipDefault`).
    pub async fn connect(&mut self, sink: &mut dyn ProgressSink) -> Result<ChipInfo, Error> {
        self.chip = None;
        self.relock_pending = false;
        self.original_sr = None;
        self.forget_bootloader();
        self.link(sink).await?;
        let info = self.identify(sink).await?;
        self.chip = Some(info);
        self.switch_to_work_baud(sink).await?;
        Ok(self.chip.clone().expect("identified above"))
    }

    pub(super) async fn ensure_connected(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if self.chip.is_none() {
            self.connect(sink).await?;
        }
        Ok(())
    }

    /// Leave download mode and start the firmware: Reboot twice, 10 ms apart (it has no reply).
    /// If a job changed flash in this session, the bootloader region is checked first and, if it
    /// changed, repaired instead of rebooting (the chip stays in download mode: see the error).
    /// The session is over afterwards; a later job links again.
    pub async fn reboot(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        self.check_before_reboot(sink).await?;
        sink.event(Event::Stage(Stage::Reboot));
        for _ in 0..2 {
            self.send(&Command::Reboot, sink).await?;
            self.transport.flush().await.map_err(transport_error)?;
            self.transport.sleep(REBOOT_GAP).await;
        }
        self.chip = None;
        Ok(())
    }
}
