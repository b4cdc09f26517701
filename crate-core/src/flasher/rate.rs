//! The work rate of a session: the switch after identifying (chip default, fixed, or Fast verified by
//! a whole 4 KiB read), the step down after repeated line faults, and the reason shown for the rate.

use alloc::string::String;
use alloc::vec::Vec;

use super::baud::{
    FAST_RATES, RELINK_RATES, STEP_DOWN_RATES, VERIFY_ADDR, WorkBaud, chip_work_baud, is_line_fault,
};
use super::{Flasher, LINK_BAUD};
use crate::chips::{ChipFamily, ProtocolClass};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::progress::{Event, ProgressSink};
use crate::protocol::{Command, FrameForm, SECTOR_LEN};
use crate::transport::{BaudChange, Transport};

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

    /// A full link at 115200; the session stays there.
    async fn relink_at_link_rate(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        self.link(sink).await?;
        self.relock_pending = false;
        self.set_chip_baud(self.baud);
        Ok(())
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
    pub(super) fn settle(&mut self, why: String) {
        self.work_baud = self.baud;
        self.rate_why = why;
        self.set_chip_baud(self.baud);
    }

    pub(super) fn note_rate(&self, sink: &mut dyn ProgressSink) {
        sink.event(Event::Note(&alloc::format!(
            "Working at {} baud: {}.",
            self.baud,
            self.rate_why
        )));
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
