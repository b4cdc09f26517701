//! Identification after linking: bootloader fingerprint, protocol class (probed when the fingerprint is
//! unknown), chip id and eFuse key, Tuya boot version, JEDEC id and flash size (protocol.md §3.6, §5).
//! A flash that does not answer and a chip bkflash does not support end here, before any job.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Flasher;
use super::info::{ChipInfo, Protection};
use crate::chips::{
    CHIP_ID_REGISTER, ChipFamily, DEVICE_ID_REGISTER, ProtocolClass, bootloader_by_crc,
    family_by_chip_id, unsupported_chip,
};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::flash::{lookup, size_from_capacity};
use crate::key::KeyKind;
use crate::progress::{Event, ProgressSink, Stage};
use crate::protocol::{Command, Opcode, SECTOR_LEN};
use crate::transport::Transport;
use crate::uniform::uniform_byte;

/// The fingerprint range: `CheckCRC(0, 0x100)` (257 bytes on ROM, 256 on legacy handlers).
const FINGERPRINT_END: u32 = 0x100;
/// The class probe compares a CRC and a read at the start of the app region.
const PROBE_ADDR: u32 = 0x11000;
/// Sizes the wrap-around probe tries, smallest first.
const PROBE_SIZES: [u32; 4] = [0x20_0000, 0x40_0000, 0x80_0000, 0x100_0000];
/// JEDEC ids of a flash that does not drive MISO: it floats low or is pulled high (bk7231tools #30).
const SILENT_JEDEC: [[u8; 3]; 2] = [[0x00; 3], [0xFF; 3]];
/// The erased-flash byte; any other uniform bootloader region means the flash is not answering.
const ERASED: u8 = 0xFF;
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
        let bootloader_fill = uniform_fill(fingerprint);
        if let Some(fill) = bootloader_fill.filter(|&b| b != ERASED) {
            return Err(Error::new(ErrorKind::FlashNotAnswering)
                .command(Opcode::CheckCrc, Some(0))
                .detail(format!(
                    "the bootloader region reads all 0x{fill:02X} on a chip that just linked"
                )));
        }
        let bootloader = bootloader_by_crc(fingerprint);
        let (class, probe_sector) = match bootloader {
            Some(known) => (known.family.class(), None),
            None => {
                let (class, sector) = self.probe_class(sink).await?;
                (class, Some(sector))
            }
        };
        let blank_bootloader = bootloader_fill == Some(ERASED);
        if blank_bootloader && class == ProtocolClass::Legacy {
            return Err(Error::new(ErrorKind::BlankBootloader)
                .command(Opcode::CheckCrc, Some(0))
                .detail("CheckCRC(0, 0x100) is the CRC of erased flash"));
        }
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
            key: None,
            blank_bootloader,
            baud: self.baud,
        };
        match class {
            ProtocolClass::Rom => self.identify_rom(&mut info, sink).await?,
            ProtocolClass::Legacy => self.identify_legacy(&mut info, probe_sector, sink).await?,
        }
        if blank_bootloader {
            sink.event(Event::Note(
                "The bootloader region is blank (all 0xFF): the ROM still links, but the chip will not boot until an image with a bootloader is written from 0",
            ));
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
        info.chip_id = self.read_register(CHIP_ID_REGISTER, sink).await?;
        info.family = info.chip_id.and_then(family_by_chip_id).or(info.family);
        if info.chip_id.and_then(family_by_chip_id).is_none() {
            self.refuse_unsupported(info.chip_id, sink).await?;
        }
        info.key = self.read_key(sink).await?;
        if info.family == Some(ChipFamily::Bk7231N)
            && info.key.is_some_and(|key| key.kind() == KeyKind::Zero)
        {
            // Same chip id; Easy Flasher tells the two apart by the all-zero key alone.
            info.family = Some(ChipFamily::Bk7231M);
        }
        if let Some(jedec) = self.read_jedec(sink).await? {
            if SILENT_JEDEC.contains(&jedec) {
                return Err(Error::new(ErrorKind::FlashNotAnswering)
                    .command(Opcode::FlashSpi, None)
                    .detail(format!(
                        "JEDEC id {:02X} {:02X} {:02X}",
                        jedec[0], jedec[1], jedec[2]
                    )));
            }
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
                let sr = self.read_status(flash, sink).await?.value;
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

    /// The chip-id register named no family, so ask the newer chips' device-id register too and
    /// refuse the BK7236 class, whose handler drops our erases and writes without a reply
    /// (docs/field-audit.md D12).
    async fn refuse_unsupported(
        &mut self,
        chip_id: Option<u32>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let named = |register: u32, id: u32| unsupported_chip(id).map(|name| (register, id, name));
        let found = match chip_id.and_then(|id| named(CHIP_ID_REGISTER, id)) {
            Some(found) => Some(found),
            None => self
                .read_register(DEVICE_ID_REGISTER, sink)
                .await?
                .and_then(|id| named(DEVICE_ID_REGISTER, id)),
        };
        match found {
            Some((register, id, name)) => Err(Error::new(ErrorKind::ChipNotSupported)
                .command(Opcode::ReadReg, Some(register))
                .detail(format!("chip id 0x{id:X}: {name}"))),
            None => Ok(()),
        }
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

    /// The flash wraps its address modulo its size (§5.4). A first guess compares the sector at
    /// 0x11000 with 0x11000 + size, unless that sector is uniform: a blank app matches at every
    /// size (docs/field-audit.md D9). The guess stands only when the mirrored bootloader agrees:
    /// sector 0 read at `size` and at `2 * size` is one flash sector exactly when `size` is a
    /// multiple of the real size. Without a guess the mirrors alone decide.
    async fn probe_size(
        &mut self,
        base: Option<Vec<u8>>,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        let base = match base {
            Some(sector) => sector,
            None => self.read_raw_sector(PROBE_ADDR, sink).await?,
        };
        let mut first = 0;
        if uniform_byte(&base).is_some() {
            sink.event(Event::Note(
                "The app area starts blank; confirming the flash size from bootloader mirrors",
            ));
        } else {
            for (i, size) in PROBE_SIZES.into_iter().enumerate() {
                if self.read_raw_sector(PROBE_ADDR + size, sink).await? == base {
                    first = i;
                    break;
                }
            }
        }
        let mut mirrors = BTreeMap::new();
        for size in &PROBE_SIZES[first..] {
            let low = self.mirror_sector(*size, &mut mirrors, sink).await?;
            let high = self.mirror_sector(2 * size, &mut mirrors, sink).await?;
            if low == high && uniform_byte(&low).is_none() {
                return Ok(*size);
            }
        }
        Err(Error::new(ErrorKind::FlashSizeUnknown)
            .command(Opcode::FlashRead4K, Some(PROBE_SIZES[first]))
            .detail("sector 0 read through mirrors at 2, 4, 8 and 16 MiB never repeated"))
    }

    /// Sector 0 read at `addr` (a candidate size), remembered so each mirror is read once.
    async fn mirror_sector(
        &mut self,
        addr: u32,
        mirrors: &mut BTreeMap<u32, Vec<u8>>,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        if let Some(sector) = mirrors.get(&addr) {
            return Ok(sector.clone());
        }
        let sector = self.read_raw_sector(addr, sink).await?;
        mirrors.insert(addr, sector.clone());
        Ok(sector)
    }

    /// One Read4K sent to `addr` exactly as given (no mirroring: the size is what is unknown).
    async fn read_raw_sector(
        &mut self,
        addr: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let frame = self
            .transact_retrying(&Command::FlashRead4K { addr }, sink)
            .await?;
        Ok(frame.body()[4..4 + SECTOR_LEN].to_vec())
    }

    /// A query some handlers ignore or refuse: silence or "unknown command" give `None`.
    pub(super) async fn optional(
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

/// The byte the bootloader fingerprint says the region is filled with, if it is uniform: the ROM
/// class's CRC covers 257 bytes, the legacy one 256, and the class is not known yet.
fn uniform_fill(fingerprint: u32) -> Option<u8> {
    let len = FINGERPRINT_END as usize + 1;
    [0x00, ERASED].into_iter().find(|&fill| {
        let region = [fill; FINGERPRINT_END as usize + 1];
        fingerprint == chip_crc(&region[..len]) || fingerprint == chip_crc(&region[..len - 1])
    })
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

    #[test]
    fn uniform_bootloaders_are_told_from_real_ones() {
        assert_eq!(uniform_fill(chip_crc(&[0u8; 257])), Some(0x00));
        assert_eq!(uniform_fill(chip_crc(&[0xFFu8; 256])), Some(0xFF));
        assert_eq!(uniform_fill(0x1EBE_6E45), None, "BK7231N 1.0.1 fingerprint");
    }
}
