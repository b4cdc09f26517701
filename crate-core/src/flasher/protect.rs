//! Flash status-register unprotect and optional restore, driven by the SPI flash table (protocol.md §5.6).
//! ROM class only: legacy bootloaders have no 0x0C/0x0D and unprotect on their own (§6.4).

use core::time::Duration;

use super::Flasher;
use super::info::Protection;
use crate::chips::ProtocolClass;
use crate::error::{Error, ErrorKind};
use crate::flash::{FlashChip, GENERIC_PART, SR_BUSY, SR2_WRITE, SRP_BITS};
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{Command, Opcode};
use crate::transport::Transport;

/// Writes of the status register before giving up (Easy Flasher tries 10; a sane part needs 1,
/// and each write costs one cycle of the register's endurance).
const SR_WRITE_TRIES: u32 = 3;
/// Easy Flasher's pause between two status writes (docs/field-audit.md D3).
const SR_RETRY_GAP: Duration = Duration::from_millis(10);
/// How long a status write may keep the flash busy (tW is 5-30 ms on the listed parts).
const SR_BUSY_LIMIT: Duration = Duration::from_millis(50);
/// SR1 read opcode, the same on every part.
const READ_SR1: u8 = 0x05;

/// The status register as the unprotect judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Status {
    /// SR1 | SR2 << 8.
    pub value: u16,
    /// Bytes that exist: the part's width, or 1 when SR2 reads 0xFF. Peers disagree on the width
    /// of some parts, and a missing register reads as MISO idling high (docs/field-audit.md D4).
    pub width: usize,
}

impl<T: Transport> Flasher<T> {
    /// SR1 and, when the part has one that answers, SR2, read with the part's opcodes.
    pub(super) async fn read_status(
        &mut self,
        flash: &FlashChip,
        sink: &mut dyn ProgressSink,
    ) -> Result<Status, Error> {
        let sr1 = self.read_sr(flash.sr_read[0], sink).await?;
        if flash.sr_width() < 2 {
            return Ok(Status {
                value: u16::from(sr1),
                width: 1,
            });
        }
        let sr2 = self.read_sr(flash.sr_read[1], sink).await?;
        Ok(match sr2 {
            0xFF => Status {
                value: u16::from(sr1),
                width: 1,
            },
            _ => Status {
                value: u16::from_le_bytes([sr1, sr2]),
                width: 2,
            },
        })
    }

    async fn read_sr(&mut self, spi_opcode: u8, sink: &mut dyn ProgressSink) -> Result<u8, Error> {
        let frame = self
            .transact_retrying(&Command::FlashReadSr { spi_opcode }, sink)
            .await?;
        Ok(frame.body()[1])
    }

    /// Write `target` over `current` without ever setting an SRP bit: SR1 and SR2 one byte each
    /// where the part has a separate SR2 opcode (0x31), otherwise all bytes with the first opcode;
    /// unchanged bytes of a split write are skipped. Each write is followed by a wait for the busy bit.
    async fn write_status(
        &mut self,
        flash: &FlashChip,
        width: usize,
        current: u16,
        target: u16,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let [lo, hi] = (target & !SRP_BITS).to_le_bytes();
        let [old_lo, old_hi] = current.to_le_bytes();
        let writes: &[(u8, &[u8])] = if width == 1 {
            &[(flash.sr_write[0], &[lo])]
        } else if flash.separate_sr2_write() {
            match (lo != old_lo, hi != old_hi) {
                (true, true) => &[(flash.sr_write[0], &[lo]), (SR2_WRITE, &[hi])],
                (true, false) => &[(flash.sr_write[0], &[lo])],
                (false, _) => &[(SR2_WRITE, &[hi])],
            }
        } else {
            &[(flash.sr_write[0], &[lo, hi])]
        };
        for &(spi_opcode, value) in writes {
            let command = Command::FlashWriteSr { spi_opcode, value };
            self.transact_retrying(&command, sink).await?;
            self.wait_not_busy(sink).await?;
        }
        Ok(())
    }

    /// Poll SR1 until the write-in-progress bit clears (a read-back during tW shows the old value).
    async fn wait_not_busy(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let deadline = self.transport.now() + SR_BUSY_LIMIT;
        loop {
            if self.read_sr(READ_SR1, sink).await? & SR_BUSY == 0 {
                return Ok(());
            }
            if self.transport.now() >= deadline {
                return Err(Error::new(ErrorKind::FlashTimeout)
                    .command(Opcode::FlashReadSr, None)
                    .detail("still busy 50 ms after a status-register write"));
            }
        }
    }

    /// Clear the protect bits if any are set; remembers the old value for `restore_protection`.
    /// A part missing from the table gets the generic unprotect (SR1 bits 2-6, one byte).
    pub(super) async fn unprotect(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let Some(chip) = self.chip.as_ref().filter(|c| c.class == ProtocolClass::Rom) else {
            return Ok(());
        };
        let generic = chip.flash.is_none();
        let flash = match chip.flash {
            Some(flash) if flash.sr_width() == 0 => return Ok(()),
            Some(flash) => flash,
            None => &GENERIC_PART,
        };
        sink.event(Event::Stage(Stage::Unprotect));
        let found = self.read_status(flash, sink).await?;
        if generic && found.value == 0xFF {
            sink.event(Event::Note(
                "Unknown flash part whose status register reads 0xFF: left as is; every sector is checked by CRC",
            ));
            return Ok(());
        }
        let mask = flash.effective_mask();
        if found.value & mask != 0 {
            if generic {
                sink.event(Event::Note(
                    "Unknown flash part: generic unprotect, clearing status-register bits 2-6 with a one-byte write",
                ));
            }
            self.original_sr.get_or_insert(found.value);
            self.clear_protect_bits(flash, found, sink).await?;
        }
        if let Some(chip) = self.chip.as_mut() {
            chip.protection = Protection::Unprotected;
        }
        Ok(())
    }

    /// Up to `SR_WRITE_TRIES` writes, `SR_RETRY_GAP` apart, each read back once the flash is idle.
    /// SRP bits that appear in a read-back stop everything at once: the register has locked.
    async fn clear_protect_bits(
        &mut self,
        flash: &FlashChip,
        found: Status,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let mask = flash.effective_mask();
        let mut sr = found.value;
        for attempt in 0..SR_WRITE_TRIES {
            if attempt > 0 {
                self.transport.sleep(SR_RETRY_GAP).await;
            }
            let target = sr & !mask;
            self.write_status(flash, found.width, sr, target, sink)
                .await?;
            let after = self.read_status(flash, sink).await?.value;
            let new_srp = after & SRP_BITS & !sr;
            if new_srp != 0 {
                return Err(Error::new(ErrorKind::StatusRegisterLocked)
                    .command(Opcode::FlashWriteSr, None)
                    .detail(alloc::format!(
                        "{} {}: status 0x{sr:04X}, wrote 0x{:04X}, read back 0x{after:04X}",
                        flash.vendor,
                        flash.part,
                        target & !SRP_BITS
                    )));
            }
            sr = after;
            if sr & mask == 0 {
                return Ok(());
            }
        }
        Err(Error::new(ErrorKind::UnprotectFailed)
            .command(Opcode::FlashWriteSr, None)
            .detail(alloc::format!(
                "{} {}: status 0x{:04X} before, 0x{sr:04X} after {SR_WRITE_TRIES} writes",
                flash.vendor,
                flash.part,
                found.value
            )))
    }

    /// Put back the status register found before `unprotect`, when the options ask for it
    /// (without its SRP bits, which bkflash never writes).
    pub(super) async fn restore_protection(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let Some(sr) = self.original_sr else {
            return Ok(());
        };
        if !self.options.restore_protection {
            return Ok(());
        }
        let flash = self
            .chip
            .as_ref()
            .and_then(|c| c.flash)
            .unwrap_or(&GENERIC_PART);
        let now = self.read_status(flash, sink).await?;
        self.write_status(flash, now.width, now.value, sr, sink)
            .await?;
        self.original_sr = None;
        if let Some(chip) = self.chip.as_mut() {
            chip.protection = Protection::Protected { sr };
        }
        Ok(())
    }
}
