//! Baud switch (protocol.md §4): send SetBaudRate at the old rate, switch the host after half the delay,
//! expect the echo at the new rate; without an echo, check the link at the new rate, else fall back.
//! `AUTO_BAUD` tries the fastest rates first and keeps the first whose CRC reply matches.

use super::{Flasher, LINK_BAUD, transport_error};
use crate::error::Error;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::Command;
use crate::transport::Transport;

/// `Options::baud` value that picks the fastest rate of `AUTO_BAUD_RATES` that verifies.
pub const AUTO_BAUD: u32 = 0;

/// The rates `AUTO_BAUD` tries, fastest first: 2 M is the highest a peer writes at (protocol.md §4),
/// and the adapter, not the chip, usually sets the ceiling.
pub const AUTO_BAUD_RATES: [u32; 4] = [2_000_000, 1_500_000, 921_600, 460_800];

/// CheckCRC bounds (inclusive) of the bootloader fingerprint: every class answers it (§5.1),
/// and its 256 bytes cost the chip under a millisecond.
const PROBE_CRC: Command<'static> = Command::CheckCrc {
    start: 0,
    end: 0xFF,
};

impl<T: Transport> Flasher<T> {
    /// Move the session to `baud`. A failed switch is not an error: the session goes on at 115200.
    pub(super) async fn switch_baud(
        &mut self,
        baud: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if baud == AUTO_BAUD {
            self.switch_baud_auto(sink).await
        } else {
            self.switch_to(baud, sink).await
        }
    }

    /// Move the session to one fixed `baud`, or stay at the old rate when the switch fails.
    async fn switch_to(&mut self, baud: u32, sink: &mut dyn ProgressSink) -> Result<(), Error> {
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

    /// Try `AUTO_BAUD_RATES` fastest first: skip rates the host port refuses, switch, and keep the
    /// rate when the fingerprint CRC read there equals the one read at the link rate. Nothing
    /// verifies: the session stays at 115200.
    async fn switch_baud_auto(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let reference = self.probe_crc(sink).await?;
        for rate in AUTO_BAUD_RATES {
            if !self.host_accepts(rate).await? {
                continue;
            }
            self.switch_to(rate, sink).await?;
            if self.baud == rate && self.probe_crc(sink).await.ok() == Some(reference) {
                return Ok(());
            }
            sink.event(Event::Note(
                "The line did not verify at this baud; trying a lower one",
            ));
        }
        self.switch_to(LINK_BAUD, sink).await
    }

    /// The chip's CRC of the fingerprint range, one try: a garbled or missing reply fails.
    async fn probe_crc(&mut self, sink: &mut dyn ProgressSink) -> Result<u32, Error> {
        let frame = self
            .transact_within(&PROBE_CRC, PROBE_CRC.timeout(self.baud), sink)
            .await?;
        let b = frame.body();
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Whether the host port can run at `rate`, asked before the chip is told to switch (a chip at
    /// a rate the port refuses is lost until a reset). The port is left at the current rate.
    async fn host_accepts(&mut self, rate: u32) -> Result<bool, Error> {
        let accepted = self.transport.set_baud(rate).await.is_ok();
        self.transport
            .set_baud(self.baud)
            .await
            .map_err(transport_error)?;
        Ok(accepted)
    }

    fn set_chip_baud(&mut self, baud: u32) {
        if let Some(chip) = self.chip.as_mut() {
            chip.baud = baud;
        }
    }
}
