//! Identification after linking: bootloader fingerprint, protocol class (probed when the fingerprint is
//! unknown), chip id, Tuya boot version, JEDEC id and flash size (protocol.md §3.6, §5).

use alloc::string::String;
use alloc::vec::Vec;

use super::Flasher;
use super::info::{ChipInfo, Protection};
use crate::chips::{CHIP_ID_REGISTER, ProtocolClass, bootloader_by_crc, family_by_chip_id};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::flash::{lookup, size_from_capacity};
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{Command, Opcode, SECTOR_LEN};
use crate::transport::Transport;

/// The fingerprint range: `CheckCRC(0, 0x100)` (257 bytes on ROM, 256 on legacy handlers).
const FINGERPRINT_END: u32 = 0x100;
/// The class probe compares a CRC and a read at the start of the app region.
const PROBE_ADDR: u32 = 0x11000;
/// Sizes the wrap-around probe tries, smallest first.
const PROBE_SIZES: [u32; 4] = [0x20_0000, 0x40_0000, 0x80_0000, 0x100_0000];
/// Used when nothing names the size; every BK7231 module seen in the field has 2 MiB.
const DEFAULT_FLASH_SIZE: u32 = 0x20_0000;
/// JEDEC id: RDID plus three dummy bytes, clocked full duplex.
const RDID: [u8; 4] = [0x9F, 0x00, 0x00, 0x00];

impl<T: Transport> Flasher<T> {
    pub(super) async fn identify(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<ChipInfo, Error> {
        sink.event(Event::Stage(Stage::Identify));
        let fingerprint = self.raw_crc(0, FINGERPRINT_END, sink).await?;
        // The class is unknown, and on a legacy chip the CRC just re-protected the flash.
        self.resync(sink).await?;
        let bootloader = bootloader_by_crc(fingerprint);
        let (class, probe_sector) = match bootloader {
            Some(known) => (known.family.class(), None),
            None => {
                let (class, sector) = self.probe_class(sink).await?;
                (class, Some(sector))
            }
        };
        let mut info = ChipInfo {
            family: bootloader.map(|b| b.family),
            class,
            bootloader,
            bootloader_crc: fingerprint,
            boot_version: None,
            chip_id: None,
            jedec: None,
            flash: None,
            flash_size: bootloader.and_then(|b| b.flash_size).unwrap_or(0),
            protection: Protection::ManagedByBootloader,
            baud: self.baud,
        };
        match class {
            ProtocolClass::Rom => self.identify_rom(&mut info, sink).await?,
            ProtocolClass::Legacy => self.identify_legacy(&mut info, probe_sector, sink).await?,
        }
        if info.flash_size == 0 {
            sink.event(Event::Note("Flash size unknown; assuming 2 MiB"));
            info.flash_size = DEFAULT_FLASH_SIZE;
        }
        Ok(info)
    }

    /// One CheckCRC with the bounds sent exactly as given (no class rules yet).
    async fn raw_crc(
        &mut self,
        start: u32,
        end: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        let frame = self
            .transact_retrying(&Command::CheckCrc { start, end }, sink)
            .await?;
        let b = frame.body();
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// bk7231tools' probe (§5.1 step 3): the ROM handler's CRC covers 257 bytes, the legacy one 256.
    /// Returns the class and the sector read at 0x11000, which the size probe reuses.
    async fn probe_class(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<(ProtocolClass, Vec<u8>), Error> {
        sink.event(Event::Note(
            "Unknown bootloader; probing the protocol class",
        ));
        let crc = self
            .raw_crc(PROBE_ADDR, PROBE_ADDR + FINGERPRINT_END, sink)
            .await?;
        self.resync(sink).await?;
        let frame = self
            .transact_retrying(&Command::FlashRead4K { addr: PROBE_ADDR }, sink)
            .await?;
        let data = frame.body()[4..4 + SECTOR_LEN].to_vec();
        if crc == chip_crc(&data[..=FINGERPRINT_END as usize]) {
            Ok((ProtocolClass::Rom, data))
        } else if crc == chip_crc(&data[..FINGERPRINT_END as usize]) {
            Ok((ProtocolClass::Legacy, data))
        } else {
            Err(Error::new(ErrorKind::UnknownProtocol)
                .command(Opcode::CheckCrc, Some(PROBE_ADDR))
                .detail(alloc::format!("CRC 0x{crc:08X} fits neither class")))
        }
    }

    async fn identify_rom(
        &mut self,
        info: &mut ChipInfo,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if let Some(frame) = self
            .optional(
                &Command::ReadReg {
                    addr: CHIP_ID_REGISTER,
                },
                sink,
            )
            .await?
        {
            let b = frame.body();
            let id = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
            info.chip_id = Some(id);
            info.family = family_by_chip_id(id).or(info.family);
        }
        if let Some(jedec) = self.read_jedec(sink).await? {
            info.jedec = Some(jedec);
            info.flash = lookup(jedec);
            if let Some(size) = info
                .flash
                .map(|f| f.size)
                .or_else(|| size_from_capacity(jedec[2]))
            {
                info.flash_size = size;
            }
        }
        info.protection = match info.flash {
            Some(flash) if flash.sr_width() > 0 => {
                let sr = self.read_status(flash, sink).await?;
                if sr & flash.effective_mask() == 0 {
                    Protection::Unprotected
                } else {
                    Protection::Protected { sr }
                }
            }
            Some(_) => Protection::Unprotected,
            None => Protection::Unknown,
        };
        Ok(())
    }

    /// Every ROM handler answers op 0x0E, so silence is a line fault worth retrying, and a
    /// corrupted capacity byte would give a wrong flash size: accept an ID only when two reads agree.
    async fn read_jedec(&mut self, sink: &mut dyn ProgressSink) -> Result<Option<[u8; 3]>, Error> {
        let mut previous = None;
        for _ in 0..self.options.retries + 2 {
            let frame = match self
                .transact_retrying(&Command::FlashSpi { bytes: &RDID }, sink)
                .await
            {
                Ok(frame) => frame,
                Err(e) if matches!(e.kind, ErrorKind::Timeout | ErrorKind::UnknownCommand) => {
                    self.drain().await?;
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
            let b = frame.body();
            let jedec = [b[1], b[2], b[3]];
            if previous == Some(jedec) {
                return Ok(Some(jedec));
            }
            previous = Some(jedec);
        }
        Ok(None)
    }

    async fn identify_legacy(
        &mut self,
        info: &mut ChipInfo,
        probe_sector: Option<Vec<u8>>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        if info.bootloader.is_some_and(|b| b.tuya)
            && let Some(frame) = self.optional(&Command::ReadBootVersion, sink).await?
        {
            info.boot_version = boot_version(frame.body());
        }
        if info.flash_size == 0 {
            info.flash_size = self.probe_size(probe_sector, sink).await?;
        }
        Ok(())
    }

    /// The flash wraps its address modulo its size: the first size at which 0x11000 reads back
    /// the same sector as 0x11000 + size is the size (§5.4). Unmirrored reads, above the bootloader.
    async fn probe_size(
        &mut self,
        base: Option<Vec<u8>>,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        let base = match base {
            Some(sector) => sector,
            None => self
                .transact_retrying(&Command::FlashRead4K { addr: PROBE_ADDR }, sink)
                .await?
                .body()[4..]
                .to_vec(),
        };
        for size in PROBE_SIZES {
            let other = self
                .transact_retrying(
                    &Command::FlashRead4K {
                        addr: PROBE_ADDR + size,
                    },
                    sink,
                )
                .await?;
            if other.body()[4..] == base[..] {
                return Ok(size);
            }
        }
        Ok(0)
    }

    /// A query some handlers ignore or refuse: silence or "unknown command" give `None`.
    async fn optional(
        &mut self,
        command: &Command<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Option<crate::protocol::Frame>, Error> {
        match self.transact(command, sink).await {
            Ok(frame) => Ok(Some(frame)),
            Err(e) if matches!(e.kind, ErrorKind::Timeout | ErrorKind::UnknownCommand) => {
                self.drain().await?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// The Tuya version string without its NUL/space padding; a bare `07` means "no version".
fn boot_version(body: &[u8]) -> Option<String> {
    if body == [0x07] {
        return None;
    }
    let text: String = body.iter().map(|&b| b as char).collect();
    let trimmed = text.trim_matches(|c: char| c == '\0' || c == ' ');
    (!trimmed.is_empty()).then(|| String::from(trimmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boot_version_strips_padding_and_rejects_unknown() {
        assert_eq!(
            boot_version(b"BK7231S_1.0.5\0\0\0").as_deref(),
            Some("BK7231S_1.0.5")
        );
        assert_eq!(boot_version(&[0x07]), None);
        assert_eq!(boot_version(b"  \0"), None);
    }
}
