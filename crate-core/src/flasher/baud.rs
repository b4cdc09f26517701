//! Baud switch (protocol.md §4): send SetBaudRate at the old rate, switch the host after half the delay,
//! expect the echo at the new rate; without an echo, check the link at the new rate, else fall back.

use super::{Flasher, transport_error};
use crate::error::Error;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Command;
use crate::transport::Transport;

impl<T: Transport> Flasher<T> {
    /// Move the session to `baud`. A failed switch is not an error: the session goes on at 115200.
    pub(super) async fn switch_baud(
        &mut self,
        baud: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if baud == self.baud {
            return Ok(());
        }
        sink.event(Event::Stage(Stage::BaudSwitch));
        let delay_ms = self.options.baud_switch_delay_ms;
        let command = Command::SetBaudRate { baud, delay_ms };
        self.drain().await?;
        self.send(&command, sink).await?;
        self.transport.flush().await.map_err(transport_error)?;
        self.transport
            .sleep(core::time::Duration::from_millis(u64::from(delay_ms) / 2))
            .await;
        self.transport
            .set_baud(baud)
            .await
            .map_err(transport_error)?;
        let old_baud = core::mem::replace(&mut self.baud, baud);
        let echo = self
            .await_reply(&command, command.timeout(baud), sink)
            .await;
        // No echo: it may only have been lost, so ask at the new rate before giving up on it.
        if echo.is_ok() || self.resync(sink).await.is_ok() {
            self.set_chip_baud(baud);
            return Ok(());
        }
        sink.event(Event::Note("The baud switch failed; going on at 115200"));
        self.transport
            .set_baud(old_baud)
            .await
            .map_err(transport_error)?;
        self.baud = old_baud;
        if self.resync(sink).await.is_err() {
            // The chip is stuck at the new rate (or lost): a full link resets it to 115200.
            self.link(sink).await?;
        }
        self.set_chip_baud(self.baud);
        Ok(())
    }

    fn set_chip_baud(&mut self, baud: u32) {
        if let Some(chip) = self.chip.as_mut() {
            chip.baud = baud;
        }
    }
}
