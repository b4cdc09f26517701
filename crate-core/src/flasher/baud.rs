//! Work baud (protocol.md §4, field-audit D1, D2): the rate field tools use on the identified chip, a
//! fixed rate, or Fast (verified by a whole 4 KiB read); the switch itself, and the step down.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Flasher, LINK_BAUD, transport_error};
use crate::chips::{ChipFamily, ProtocolClass};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{Command, FrameForm, SECTOR_LEN};
use crate::transport::{BaudChange, Transport};

/// Which rate a session works at after linking at 115200.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkBaud {
    /// What field tools use on the identified chip (`CHIP_WORK_BAUDS`).
    ChipDefault,
    /// This rate; `LINK_BAUD` stays at the link rate without a switch (bk7231tools' default).
    Fixed(u32),
    /// The fastest of `FAST_RATES` whose whole 4 KiB test read matches the chip's CRC of it.
    Fast,
}

/// The rates `WorkBaud::Fast` tries, fastest first: 2 M is the highest a peer writes at
/// (protocol.md §4), and the adapter, not the chip, usually sets the ceiling.
pub const FAST_RATES: [u32; 4] = [2_000_000, 1_500_000, 921_600, 460_800];

/// A job steps down through these after repeated line faults, each step re-verified.
const STEP_DOWN_RATES: [u32; 6] = [2_000_000, 1_500_000, 921_600, 460_800, 230_400, LINK_BAUD];

/// Line faults of one command at one rate before the session steps down to the next slower rate.
pub(super) const STEP_DOWN_AFTER: u32 = 2;

/// The sector a rate's test read and CRC cover: above the bootloader, so no class refuses it.
const VERIFY_ADDR: u32 = 0x11000;

/// One row of the per-chip default rates.
#[derive(Clone, Copy, Debug)]
pub struct ChipWorkBaud {
    pub family: ChipFamily,
    pub baud: u32,
    /// Where the rate comes from, for the log.
    pub source: &'static str,
}

const fn row(family: ChipFamily, baud: u32, source: &'static str) -> ChipWorkBaud {
    ChipWorkBaud {
        family,
        baud,
        source,
    }
}

const LIBRETINY: &str = "LibreTiny's upload rate for this chip";
const LIKE_N: &str = "the BK7231N mask ROM's rate; no field tool publishes one for this chip";

/// Default work rates: LibreTiny uploads at 921600 to the flash-bootloader chips T/U/BK7252 and at
/// 460800 to N/Q/BK7238 (its `boards/_base/beken-*.json`, protocol.md §4). BK7231M is an N with an
/// all-zero eFuse key, and a 921600 switch failed on one (OpenBK7231T_App #1112); BK7252N has the
/// same ROM-class handler and no published rate: both get the N's 460800.
pub static CHIP_WORK_BAUDS: &[ChipWorkBaud] = &[
    row(ChipFamily::Bk7231T, 921_600, LIBRETINY),
    row(ChipFamily::Bk7231U, 921_600, LIBRETINY),
    row(ChipFamily::Bk7252, 921_600, LIBRETINY),
    row(ChipFamily::Bk7231N, 460_800, LIBRETINY),
    row(ChipFamily::Bk7231Q, 460_800, LIBRETINY),
    row(ChipFamily::Bk7238, 460_800, LIBRETINY),
    row(ChipFamily::Bk7231M, 460_800, LIKE_N),
    row(ChipFamily::Bk7252N, 460_800, LIKE_N),
];

/// Work rate when nothing names the chip: the lower of the two field rates.
pub const UNKNOWN_CHIP_BAUD: u32 = 460_800;

/// The default work rate of `family`.
pub fn chip_work_baud(family: Option<ChipFamily>) -> &'static ChipWorkBaud {
    static UNKNOWN: ChipWorkBaud = ChipWorkBaud {
        family: ChipFamily::Bk7231N,
        baud: UNKNOWN_CHIP_BAUD,
        source: "the lower field rate, as the chip is not known",
    };
    family
        .and_then(|f| CHIP_WORK_BAUDS.iter().find(|row| row.family == f))
        .unwrap_or(&UNKNOWN)
}

/// Rates the manual link window also floods at, besides 115200: a chip left in download mode at
/// a work rate (after a crash or Ctrl-C) answers only there (field-audit D11).
pub(super) const RELINK_RATES: [u32; 2] = [921_600, 460_800];

impl<T: Transport> Flasher<T> {
    /// Move the connected session to the work rate `Options::baud` asks for. A failed switch is not
    /// an error: the session goes on at 115200 and a note says why.
    pub(super) async fn switch_to_work_baud(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        self.work_switches = 0;
        match self.options.baud {
            WorkBaud::Fixed(LINK_BAUD) => self.settle(String::from("no switch was asked for")),
            WorkBaud::Fixed(baud) => {
                self.switch_and_settle(baud, String::from("the rate asked for"), sink)
                    .await?
            }
            WorkBaud::ChipDefault => {
                let family = self.chip.as_ref().and_then(|c| c.family);
                let default = chip_work_baud(family);
                let name = family.map_or("this chip", ChipFamily::name);
                let why = alloc::format!("the default for {name}, {}", default.source);
                self.switch_and_settle(default.baud, why, sink).await?
            }
            WorkBaud::Fast => self.switch_fast(sink).await?,
        }
        self.note_rate(sink);
        Ok(())
    }

    /// After a link that had to reset the chip (`relink`): back to the rate the session settled on,
    /// unless the port may not switch again.
    pub(super) async fn restore_work_baud(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let target = self.work_baud;
        if target == self.baud {
            return Ok(());
        }
        if !self.switch_spent() && self.switch_to(target, sink).await? {
            return Ok(());
        }
        if !self.reopen_reset {
            self.settle(String::from(
                "the chip had to be linked again and did not take the work rate",
            ));
        }
        self.note_rate(sink);
        Ok(())
    }

    /// One switch to `baud` (`ChipDefault`, `Fixed`), settling where it ends with the reason.
    async fn switch_and_settle(
        &mut self,
        baud: u32,
        why: String,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if self.transport.baud_change() == BaudChange::InPlace && !self.host_accepts(baud).await? {
            self.settle(alloc::format!("the serial port cannot run at {baud}"));
        } else if self.switch_to(baud, sink).await? {
            self.settle(why);
        } else if !self.reopen_reset {
            self.settle(alloc::format!("the chip did not answer at {baud} baud"));
        }
        Ok(())
    }

    /// Try `FAST_RATES` fastest first and keep the first whose 4 KiB test read verifies. On a port
    /// that reopens to change rate the walk stops at the first reopen that cost the chip its link.
    async fn switch_fast(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        for rate in FAST_RATES {
            if self.switch_spent() {
                return Ok(());
            }
            if self.transport.baud_change() == BaudChange::InPlace
                && !self.host_accepts(rate).await?
            {
                continue;
            }
            if self.switch_to(rate, sink).await? && self.rate_verifies(sink).await? {
                self.settle(String::from(
                    "Fast, the fastest rate whose 4 KiB test read matched the chip's CRC",
                ));
                return Ok(());
            }
            sink.event(Event::Note(&alloc::format!(
                "{rate} baud failed the 4 KiB test read; trying a slower rate"
            )));
        }
        if self.switch_to(LINK_BAUD, sink).await? || !self.reopen_reset {
            self.settle(String::from(
                "Fast found no faster rate that passed the 4 KiB test read",
            ));
        }
        Ok(())
    }

    /// After `STEP_DOWN_AFTER` line faults at this rate: move to the next slower rate that verifies
    /// (straight to 115200 on a port that reopens to change rate), and say so.
    pub(super) async fn step_down(
        &mut self,
        why: &str,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let from = self.baud;
        let reopen = self.transport.baud_change() == BaudChange::Reopen;
        for rate in STEP_DOWN_RATES.into_iter().filter(|&r| r < from) {
            let arrived = if rate == LINK_BAUD {
                if !self.switch_to(LINK_BAUD, sink).await? && self.baud != LINK_BAUD {
                    self.relink_at_link_rate(sink).await?;
                }
                true
            } else if reopen || !self.host_accepts(rate).await? {
                false
            } else {
                self.switch_to(rate, sink).await? && self.rate_verifies(sink).await?
            };
            if arrived {
                if !self.reopen_reset {
                    self.settle(alloc::format!(
                        "stepped down from {from} baud after {why} there"
                    ));
                }
                self.note_rate(sink);
                return Ok(());
            }
        }
        Ok(())
    }

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
    async fn send_set_baud(
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

    /// Whether this rate carries a whole 4 KiB read: the sector and the chip's CRC of it, each sent
    /// once. A short CRC probe never shows a ring or adapter losing bytes in long frames (D1).
    async fn rate_verifies(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        let addr = self.wire_addr(VERIFY_ADDR);
        let read = Command::FlashRead4K { addr };
        let sector = match self
            .transact_within(&read, read.timeout(self.baud), sink)
            .await
        {
            Ok(frame) => frame.body()[4..4 + SECTOR_LEN].to_vec(),
            Err(e) if is_line_fault(e.kind) => return self.recover_after_probe(sink).await,
            Err(e) => return Err(e),
        };
        let crc = Command::CheckCrc {
            start: addr,
            end: addr + SECTOR_LEN as u32 - 1,
        };
        let reply = self
            .transact_within(&crc, crc.timeout(self.baud), sink)
            .await;
        if self.class() == ProtocolClass::Legacy {
            self.relock_pending = true;
        }
        match reply {
            Ok(frame) => {
                let b = frame.body();
                Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) == chip_crc(&sector))
            }
            Err(e) if is_line_fault(e.kind) => self.recover_after_probe(sink).await,
            Err(e) => Err(e),
        }
    }

    /// A test read failed on the line: complete any frame the chip still collects; the rate does
    /// not verify. A chip that stopped answering is linked again at 115200.
    async fn recover_after_probe(&mut self, sink: &mut dyn ProgressSink) -> Result<bool, Error> {
        match self.recover_line(FrameForm::Long, sink).await {
            Ok(()) => Ok(false),
            Err(e) if e.kind == ErrorKind::NoLink => {
                self.relink_at_link_rate(sink).await?;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the host port can run at `rate`, asked before the chip is told to switch (a chip at
    /// a rate the port refuses is lost until a reset). The port is left at the current rate.
    /// Only for ports that change rate in place: a reopen may reset the chip.
    async fn host_accepts(&mut self, rate: u32) -> Result<bool, Error> {
        let accepted = self.transport.set_baud(rate).await.is_ok();
        self.set_host_baud(self.baud).await?;
        Ok(accepted)
    }

    pub(super) async fn set_host_baud(&mut self, baud: u32) -> Result<(), Error> {
        self.transport.set_baud(baud).await.map_err(transport_error)
    }

    /// A full link at 115200; the session stays there.
    async fn relink_at_link_rate(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        self.link(sink).await?;
        self.relock_pending = false;
        self.set_chip_baud(self.baud);
        Ok(())
    }

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

    /// On a port that reopens to change rate: one switch per connection (`Fast` walks its list),
    /// none after a reopen cost the chip its link.
    fn switch_spent(&self) -> bool {
        let most = match self.options.baud {
            WorkBaud::Fast => FAST_RATES.len() as u32,
            _ => 1,
        };
        self.reopen_reset
            || (self.transport.baud_change() == BaudChange::Reopen && self.work_switches >= most)
    }

    /// The session stays at its current rate for `why`.
    fn settle(&mut self, why: String) {
        self.work_baud = self.baud;
        self.rate_why = why;
        self.set_chip_baud(self.baud);
    }

    fn note_rate(&self, sink: &mut dyn ProgressSink) {
        sink.event(Event::Note(&alloc::format!(
            "Working at {} baud: {}.",
            self.baud,
            self.rate_why
        )));
    }

    fn set_chip_baud(&mut self, baud: u32) {
        if let Some(chip) = self.chip.as_mut() {
            chip.baud = baud;
        }
    }

    /// Rates a chip left in download mode may be listening at, besides 115200: the ones this
    /// session switched to, then the field defaults.
    pub(super) fn relink_rates(&self) -> Vec<u32> {
        let mut rates: Vec<u32> = self.rates_tried.iter().rev().copied().collect();
        if let WorkBaud::Fixed(baud) = self.options.baud {
            rates.push(baud);
        }
        rates.extend(RELINK_RATES);
        rates.retain(|&r| r != LINK_BAUD);
        let mut seen = Vec::new();
        rates.retain(|r| {
            let new = !seen.contains(r);
            seen.push(*r);
            new
        });
        rates
    }

    /// The rate the session runs at and why, in words ("the default for BK7231N, ...").
    pub fn rate(&self) -> (u32, &str) {
        (self.baud, &self.rate_why)
    }
}

/// Failures that mean bytes were lost or damaged on the line, which a slower rate may cure.
pub(super) fn is_line_fault(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Timeout
            | ErrorKind::CrcMismatch
            | ErrorKind::BadLength
            | ErrorKind::PayloadLack
            | ErrorKind::UnknownStatus
            | ErrorKind::UnknownCommand
            | ErrorKind::WriteCountMismatch
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chips::FAMILIES;

    #[test]
    fn every_family_has_a_default_rate_from_the_field_list() {
        for family in FAMILIES {
            let row = chip_work_baud(Some(family.family));
            assert_eq!(row.family, family.family, "{} has a row", family.name);
            assert!([460_800, 921_600].contains(&row.baud));
        }
        assert_eq!(chip_work_baud(Some(ChipFamily::Bk7231T)).baud, 921_600);
        assert_eq!(chip_work_baud(Some(ChipFamily::Bk7231N)).baud, 460_800);
        assert_eq!(chip_work_baud(None).baud, UNKNOWN_CHIP_BAUD);
    }

    #[test]
    fn rates_step_down_from_the_fastest_to_the_link_rate() {
        assert!(STEP_DOWN_RATES.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(STEP_DOWN_RATES.last(), Some(&LINK_BAUD));
        assert!(FAST_RATES.iter().all(|r| STEP_DOWN_RATES.contains(r)));
    }
}
