//! After a failed or cancelled job, the chip is put back at 115200 (best effort), so that the next
//! session, from another run of the CLI or a reloaded page, links at once (field-audit D11).

use super::baud::is_line_fault;
use super::{Flasher, LINK_BAUD};
use crate::error::{Error, ErrorKind};
use crate::progress::ProgressSink;
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// The job's result, after a failure or a cancel with the chip put back at 115200 (best effort,
    /// once): a new session (another run of the CLI, the page after a reload) then links at once
    /// (field-audit D11). The session itself goes on at 115200.
    pub(super) async fn parked_on_failure<R>(
        &mut self,
        result: Result<R, Error>,
        sink: &mut dyn ProgressSink,
    ) -> Result<R, Error> {
        if let Err(error) = &result
            && self.baud != LINK_BAUD
            && parks_after(error.kind)
        {
            let from = self.baud;
            let answered = match self.send_set_baud(LINK_BAUD, sink).await {
                Ok(command) => {
                    self.baud = LINK_BAUD;
                    self.await_reply(&command, command.timeout(LINK_BAUD), sink)
                        .await
                        .is_ok()
                }
                Err(_) => false,
            };
            self.baud = LINK_BAUD;
            let why = if answered {
                alloc::format!("put back from {from} baud after the job stopped")
            } else {
                alloc::format!(
                    "put back from {from} baud after the job stopped; the chip did not confirm"
                )
            };
            self.settle(why);
            self.note_rate(sink);
        }
        result
    }
}

/// Failures after which the chip is put back at 115200: a cancel, or a job cut short on the line
/// or in the chip. Refusals before anything was sent and a lost port leave the rate alone.
fn parks_after(kind: ErrorKind) -> bool {
    is_line_fault(kind)
        || matches!(
            kind,
            ErrorKind::Cancelled
                | ErrorKind::ChipBusy
                | ErrorKind::SpiTimeout
                | ErrorKind::FlashTimeout
                | ErrorKind::ChipInternal
                | ErrorKind::FlashWriteFailed
                | ErrorKind::EraseFailed
                | ErrorKind::UnprotectFailed
                | ErrorKind::Misdirected
        )
}
