//! The baud switch itself (protocol.md §4): SetBaudRate at the old rate, the host follows after half
//! the delay, the echo at the new rate; without one, back to the old rate (or a new link at 115200).

use super::{Flasher, LINK_BAUD, transport_error};
use crate::error::Error;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Command;
use crate::transport::{BaudChange, Transport};

impl<T: Transport> Flasher<T> {
    /// Move the session to one rate. True when the chip answers there; otherwise the session is
    /// back at the old rate (or linked again at 115200) and a note says so.
    pub(super) async fn switch_to(
        &mut self,
        baud: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<bool, Error> {
        if baud == self.baud {
            return Ok(true);
        }
        sink.event(Event::Stage(Stage::BaudSwitch));
        let command = self.send_set_baud(baud, sink).await?;
        if baud != LINK_BAUD {
            self.work_switches += 1;
            self.rates_tried.retain(|&r| r != baud);
            self.rates_tried.push(baud);
        }
        let old_baud = core::mem::replace(&mut self.baud, baud);
        let echo = self
            .await_reply(&command, command.timeout(baud), sink)
            .await;
        // No echo: it may only have been lost, so ask at the new rate before giving up on it.
        if echo.is_ok() || self.resync(sink).await.is_ok() {
            self.set_chip_baud(baud);
            return Ok(true);
        }
        sink.event(Event::Note(&alloc::format!(
            "The baud switch to {baud} failed; going back to {old_baud}"
        )));
        self.set_host_baud(old_baud).await?;
        self.baud = old_baud;
        if self.resync(sink).await.is_err() {
            // The chip is stuck at the new rate, or it reset and left download mode: a full link
            // finds it at 115200.
            self.link(sink).await?;
            self.relock_pending = false;
        }
        if self.transport.baud_change() == BaudChange::Reopen && self.baud == LINK_BAUD {
            // Opening the port may have reset the chip (RTS on CEN): do not try again.
            self.reopen_reset = true;
            self.settle(alloc::format!(
                "the chip stopped answering when the port reopened at {baud} baud but linked again \
                 at 115200 (RTS is probably wired to CEN), so this connection stays at 115200"
            ));
        }
        self.set_chip_baud(self.baud);
        Ok(false)
    }

    /// SetBaudRate at the old rate, then the host follows after half the delay (protocol.md §4).
    pub(super) async fn send_set_baud(
        &mut self,
        baud: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Command<'static>, Error> {
        let delay_ms = self.options.baud_switch_delay_ms;
        let command = Command::SetBaudRate { baud, delay_ms };
        self.drain().await?;
        self.send(&command, sink).await?;
        self.transport.flush().await.map_err(transport_error)?;
        self.transport
            .sleep(core::time::Duration::from_millis(u64::from(delay_ms) / 2))
            .await;
        self.set_host_baud(baud).await?;
        Ok(command)
    }

    /// Whether the host port can run at `rate`, asked before the chip is told to switch (a chip at
    /// a rate the port refuses is lost until a reset). The port is left at the current rate.
    /// Only for ports that change rate in place: a reopen may reset the chip.
    pub(super) async fn host_accepts(&mut self, rate: u32) -> Result<bool, Error> {
        self.host_baud = None;
        let accepted = self.transport.set_baud(rate).await.is_ok();
        self.set_host_baud(self.baud).await?;
        Ok(accepted)
    }

    pub(super) async fn set_host_baud(&mut self, baud: u32) -> Result<(), Error> {
        self.host_baud = None;
        self.transport
            .set_baud(baud)
            .await
            .map_err(transport_error)?;
        self.host_baud = Some(baud);
        Ok(())
    }

    pub(super) fn set_chip_baud(&mut self, baud: u32) {
        if let Some(chip) = self.chip.as_mut() {
            chip.baud = baud;
        }
    }
}
