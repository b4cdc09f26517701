//! Flash status-register unprotect and optional restore, driven by the SPI flash table (protocol.md §5.6).
//! ROM class only: legacy bootloaders have no 0x0C/0x0D and unprotect on their own (§6.4).

use super::Flasher;
use super::info::Protection;
use crate::chips::ProtocolClass;
use crate::error::{Error, ErrorKind};
use crate::flash::FlashChip;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{Command, Opcode};
use crate::transport::Transport;

/// Writes of the status register before giving up (Easy Flasher tries 10; a sane part needs 1).
const SR_WRITE_TRIES: u32 = 3;

impl<T: Transport> Flasher<T> {
    /// SR1 | SR2 << 8, read with the part's opcodes.
    pub(super) async fn read_status(
        &mut self,
        flash: &FlashChip,
        sink: &mut dyn ProgressSink,
    ) -> Result<u16, Error> {
        let mut value = 0u16;
        for (i, &spi_opcode) in flash.sr_read.iter().take(flash.sr_width()).enumerate() {
            let frame = self
                .transact_retrying(&Command::FlashReadSr { spi_opcode }, sink)
                .await?;
            value |= u16::from(frame.body()[1]) << (8 * i);
        }
        Ok(value)
    }

    async fn write_status(
        &mut self,
        flash: &FlashChip,
        value: u16,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let bytes = value.to_le_bytes();
        let command = Command::FlashWriteSr {
            spi_opcode: flash.sr_write[0],
            value: &bytes[..flash.sr_width()],
        };
        self.transact_retrying(&command, sink).await.map(|_| ())
    }

    /// Clear the protect bits if any are set; remembers the old value for `restore_protection`.
    pub(super) async fn unprotect(&mut self, sink: &mut dyn ProgressSink) -> Result<(), Error> {
        let Some(chip) = self.chip.as_ref().filter(|c| c.class == ProtocolClass::Rom) else {
            return Ok(());
        };
        let Some(flash) = chip.flash.filter(|f| f.sr_width() > 0) else {
            if chip.flash.is_none() {
                sink.event(Event::Note(
                    "Unknown flash part: protection left as is; every sector is checked by CRC",
                ));
            }
            return Ok(());
        };
        sink.event(Event::Stage(Stage::Unprotect));
        let mask = flash.effective_mask();
        let found = self.read_status(flash, sink).await?;
        let mut sr = found;
        let mut tries = 0;
        while sr & mask != 0 {
            if tries == SR_WRITE_TRIES {
                return Err(Error::new(ErrorKind::UnprotectFailed)
                    .command(Opcode::FlashWriteSr, None)
                    .detail(alloc::format!("{} status 0x{sr:04X}", flash.part)));
            }
            tries += 1;
            self.original_sr.get_or_insert(found);
            self.write_status(flash, sr & !mask, sink).await?;
            sr = self.read_status(flash, sink).await?;
        }
        if let Some(chip) = self.chip.as_mut() {
            chip.protection = Protection::Unprotected;
        }
        Ok(())
    }

    /// Put back the status register found before `unprotect`, when the options ask for it.
    pub(super) async fn restore_protection(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let (Some(sr), Some(flash)) = (self.original_sr, self.chip.as_ref().and_then(|c| c.flash))
        else {
            return Ok(());
        };
        if !self.options.restore_protection {
            return Ok(());
        }
        self.write_status(flash, sr, sink).await?;
        self.original_sr = None;
        if let Some(chip) = self.chip.as_mut() {
            chip.protection = Protection::Protected { sr };
        }
        Ok(())
    }
}
