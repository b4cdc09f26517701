//! Flash primitives with the per-class rules: the guard on every erase and write frame, mirror
//! addressing, CRC ranges and the legacy re-protect trap (protocol.md §6, §7). Every job goes through these.

use alloc::vec::Vec;

use super::Flasher;
use super::guard::{Change, Purpose};
use crate::chips::{BOOTLOADER_END, ProtocolClass};
use crate::crc::chip_crc;
use crate::error::{Error, ErrorKind};
use crate::progress::ProgressSink;
use crate::protocol::{Command, EraseSize, Opcode, SECTOR_LEN};
use crate::transport::Transport;

/// Legacy CheckCRC covers whole 256-byte blocks only (§7.2).
pub(super) const LEGACY_CRC_BLOCK: u32 = 256;

impl<T: Transport> Flasher<T> {
    /// The class of the connected chip; ROM rules (no mirroring, exact CRCs) before identification.
    pub(super) fn class(&self) -> ProtocolClass {
        self.class_known().unwrap_or(ProtocolClass::Rom)
    }

    pub(super) fn class_known(&self) -> Option<ProtocolClass> {
        self.chip.as_ref().map(|c| c.class)
    }

    pub(super) fn flash_size(&self) -> u32 {
        self.chip.as_ref().map_or(0, |c| c.flash_size)
    }

    /// The address sent on the wire. Legacy bootloaders refuse their own region (status 6) but
    /// compare the raw address, while the flash decodes only log2(size) bits; so reads and CRCs
    /// below 0x11000 go out as `addr + flash_size` (the mirror). Everything else is sent as is:
    /// the ROM class checks nothing (and the BK7236-class handler ignores mirrored addresses), and
    /// writes and erases never go below 0x11000 on legacy chips, so a wrongly probed size can never
    /// redirect a job's write. (A bootloader repair does go through the mirror, as the peers'
    /// bootloader bypass does: it writes back only what it read through the same mirror.)
    pub(super) fn wire_addr(&self, addr: u32) -> u32 {
        if self.class() == ProtocolClass::Legacy && addr < BOOTLOADER_END {
            addr + self.flash_size()
        } else {
            addr
        }
    }

    /// Read one 4 KiB sector.
    pub(super) async fn read_sector(
        &mut self,
        addr: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, Error> {
        let command = Command::FlashRead4K {
            addr: self.wire_addr(addr),
        };
        let frame = self
            .transact_retrying(&command, sink)
            .await
            .map_err(|e| e.at(addr))?;
        Ok(frame.body()[4..4 + SECTOR_LEN].to_vec())
    }

    /// The chip's raw CRC of `[start, start + len)`. On the legacy class `len` must be a multiple
    /// of 256 and the CRC re-protects the flash, so the next erase is preceded by a LinkCheck.
    pub(super) async fn flash_crc(
        &mut self,
        start: u32,
        len: u32,
        sink: &mut dyn ProgressSink,
    ) -> Result<u32, Error> {
        debug_assert!(
            len > 0 && (self.class() == ProtocolClass::Rom || len.is_multiple_of(LEGACY_CRC_BLOCK))
        );
        let wire = self.wire_addr(start);
        // Inclusive end: exact on the ROM class; on the legacy class floor((end - start + 1) / 256)
        // blocks, which is exactly len / 256 for a multiple of 256.
        let command = Command::CheckCrc {
            start: wire,
            end: wire + len - 1,
        };
        let result = self.transact_retrying(&command, sink).await;
        if self.class() == ProtocolClass::Legacy {
            self.relock_pending = true;
        }
        let frame = result.map_err(|e| e.at(start))?;
        let b = frame.body();
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Erase one 4 KiB sector or 64 KiB block, if the guard lets it through.
    pub(super) async fn erase_unit(
        &mut self,
        size: EraseSize,
        addr: u32,
        purpose: Purpose<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let change = Change {
            opcode: Opcode::FlashErase,
            addr,
            len: size.bytes(),
            data: None,
        };
        self.guard_change(change, purpose)?;
        if self.relock_pending {
            // Legacy: the last CRC re-protected the flash; a LinkCheck arms the unprotect-on-erase.
            // The line is quiet after the CRC reply, so one LinkCheck does without a drain.
            self.transact_retrying(&Command::LinkCheck, sink)
                .await
                .map_err(|e| e.at(addr))?;
            self.relock_pending = false;
        }
        let command = Command::FlashErase {
            size,
            addr: self.wire_addr(addr),
        };
        self.transact_retrying(&command, sink)
            .await
            .map(|_| ())
            .map_err(|e| e.at(addr))
    }

    /// Program one erased 4 KiB sector, if the guard lets it through.
    pub(super) async fn write_sector(
        &mut self,
        addr: u32,
        data: &[u8; SECTOR_LEN],
        purpose: Purpose<'_>,
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let change = Change {
            opcode: Opcode::FlashWrite4K,
            addr,
            len: SECTOR_LEN as u32,
            data: Some(data),
        };
        self.guard_change(change, purpose)?;
        let command = Command::FlashWrite4K {
            addr: self.wire_addr(addr),
            data,
        };
        self.transact_retrying(&command, sink)
            .await
            .map(|_| ())
            .map_err(|e| e.at(addr))
    }

    /// Program up to 256 bytes inside one page (op 0x06) for a job, if the guard lets it through; the
    /// reply's count is `len & 0xFF` (§2.2).
    pub(super) async fn write_page(
        &mut self,
        addr: u32,
        data: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<(), Error> {
        let change = Change {
            opcode: Opcode::FlashWritePage,
            addr,
            len: data.len() as u32,
            data: Some(data),
        };
        self.guard_change(change, Purpose::Job)?;
        let command = Command::FlashWritePage {
            addr: self.wire_addr(addr),
            data,
        };
        let frame = self
            .transact_retrying(&command, sink)
            .await
            .map_err(|e| e.at(addr))?;
        let count = frame.body()[4];
        if count != (data.len() & 0xFF) as u8 {
            return Err(Error::new(ErrorKind::WriteCountMismatch)
                .command(Opcode::FlashWritePage, Some(addr))
                .detail(alloc::format!("sent {}, chip counted {count}", data.len())));
        }
        Ok(())
    }

    /// Whether the chip's CRC of a sector equals `expected` content.
    pub(super) async fn sector_matches(
        &mut self,
        addr: u32,
        expected: &[u8],
        sink: &mut dyn ProgressSink,
    ) -> Result<bool, Error> {
        let crc = self.flash_crc(addr, expected.len() as u32, sink).await?;
        Ok(crc == chip_crc(expected))
    }
}
