//! The SPI NOR flash behind the chip: bytes, address wrap, erase to 0xFF, program by AND, status registers
//! with their write time and the field's odd status writes, and a flash that does not answer at all.
//! Block protection follows the common GD/TH layout (BP0-BP2, TB, SEC in SR1; CMP in SR2, docs/protocol.md §5.6).

use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;
use core::time::Duration;

use bkflash_core::crc::Crc32;

/// Page program size: one program never crosses a page, it wraps inside it.
pub const PAGE: u32 = 256;

const SR1_BP_SHIFT: u32 = 2;
const SR1_BP_MASK: u32 = 0x7;
const SR1_TB: u32 = 0x20;
const SR1_SEC: u32 = 0x40;
const SR2_CMP: u32 = 0x4000;
/// WIP and WEL are status, not settable by a register write.
const SR_VOLATILE_BITS: u32 = 0x03;
/// WIP: set while a status write is in progress.
const SR1_WIP: u8 = 0x01;
/// SRP0 (SR1 bit 7) and SRP1 (SR2 bit 0) both set: the register is locked until power-off.
const SRP_LOCK: u32 = 0x0180;
/// What bk7231tools PR #29 read back after a two-byte write of 0x0000 to a BK7238's P25Q16HBK.
pub const PR29_LOCKED_STATUS: u32 = 0x7BFC;

/// SPI status-register opcodes: (read opcode, write opcode, bit shift within the 24-bit value).
const STATUS_OPCODES: [(u8, u8, u32); 3] = [(0x05, 0x01, 0), (0x35, 0x31, 8), (0x15, 0x11, 16)];

/// What a two-byte status write through opcode 01 does (docs/field-audit.md D3, S6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwoByteWrite {
    /// Writes SR1 and SR2 as asked (or only SR1 on a one-register part).
    AsAsked,
    /// Turns the status into 0x7BFC with SRP0 and SRP1 set: locked (BK7238 + P25Q16HBK, PR #29).
    Locks,
    /// Changes nothing (BK7238 + P25Q16HB, bk7231tools #23).
    Ignored,
}

/// How the part's status register behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusModel {
    /// Registers the part has (1 to 3); the opcodes of missing ones are unknown to it.
    pub registers: u8,
    pub two_byte_write: TwoByteWrite,
    /// tW: a status write keeps the part busy this long; reads show the old value with WIP set and
    /// writes are ignored until it is over.
    pub write_time: Duration,
}

impl StatusModel {
    /// Three registers, exact writes that take effect at once.
    pub const IDEAL: Self = Self {
        registers: 3,
        two_byte_write: TwoByteWrite::AsAsked,
        write_time: Duration::ZERO,
    };
}

/// A NOR flash of power-of-two size.
#[derive(Clone, Debug)]
pub struct Flash {
    data: Vec<u8>,
    status: u32,
    jedec_id: [u8; 3],
    model: StatusModel,
    /// A status write in progress: its value and when it takes effect.
    pending: Option<(u32, Duration)>,
    /// The chip's time at the command being handled.
    now: Duration,
    /// The part does not drive MISO: every read is 0x00 and nothing changes (bk7231tools #30).
    silent: bool,
}

impl Flash {
    /// A flash filled with `image` (padded with 0xFF, truncated to `size`).
    pub fn new(size: u32, image: &[u8], status: u32, jedec_id: [u8; 3]) -> Self {
        assert!(
            size.is_power_of_two() && size >= 0x1_0000,
            "SimConfig.flash_size must be a power of two of at least 64 KiB, got {size:#x}"
        );
        let mut data = vec![0xFF; size as usize];
        let n = image.len().min(data.len());
        data[..n].copy_from_slice(&image[..n]);
        Self {
            data,
            status: status & !SR_VOLATILE_BITS,
            jedec_id,
            model: StatusModel::IDEAL,
            pending: None,
            now: Duration::ZERO,
            silent: false,
        }
    }

    pub fn with_status_model(mut self, model: StatusModel) -> Self {
        self.model = model;
        self
    }

    /// A part that does not answer: JEDEC 00 00 00 and zeros for every read.
    pub fn silent(mut self) -> Self {
        self.silent = true;
        self
    }

    /// The chip handles a command at `now`: a status write whose tW is over takes effect.
    pub fn tick(&mut self, now: Duration) {
        self.now = self.now.max(now);
        if let Some((value, _)) = self.pending.filter(|&(_, at)| at <= self.now) {
            self.pending = None;
            self.status = value;
        }
    }

    fn busy(&self) -> bool {
        self.pending.is_some()
    }

    pub fn size(&self) -> u32 {
        self.data.len() as u32
    }

    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// Direct access for tests and loaders; bypasses protection.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// The address the flash decodes: the bits above its size are ignored (the mirror of docs/protocol.md §6.3).
    pub fn wrap(&self, addr: u32) -> u32 {
        addr & (self.size() - 1)
    }

    /// Read `out.len()` bytes from `addr`, wrapping at the end of the flash.
    pub fn read(&self, addr: u32, out: &mut [u8]) {
        if self.silent {
            out.fill(0);
            return;
        }
        let mut at = self.wrap(addr) as usize;
        for byte in out.iter_mut() {
            *byte = self.data[at];
            at = (at + 1) % self.data.len();
        }
    }

    /// Raw chip-form CRC of `len` bytes from `addr`, wrapping.
    pub fn crc(&self, addr: u32, len: u64) -> u32 {
        let mut crc = Crc32::new();
        if self.silent {
            for _ in 0..len / 256 {
                crc.update(&[0; 256]);
            }
            crc.update(&[0; 256][..(len % 256) as usize]);
            return crc.raw();
        }
        let mut at = self.wrap(addr) as usize;
        let mut left = len;
        while left > 0 {
            let n = (self.data.len() - at).min(usize::try_from(left).unwrap_or(usize::MAX));
            crc.update(&self.data[at..at + n]);
            left -= n as u64;
            at = (at + n) % self.data.len();
        }
        crc.raw()
    }

    /// Erase the `size`-byte block containing `addr` (size a power of two). A protected block is left as is,
    /// as a real flash silently ignores the command. Returns whether anything was erased.
    pub fn erase(&mut self, addr: u32, size: u32) -> bool {
        self.erase_part(addr, size, size)
    }

    /// Erase only the first `done` bytes of the block: an erase cut by a reset.
    pub(crate) fn erase_part(&mut self, addr: u32, size: u32, done: u32) -> bool {
        let size = size.min(self.size());
        let start = self.wrap(addr) & !(size - 1);
        if self.silent || self.busy() || self.overlaps_protected(start..start + size) {
            return false;
        }
        self.data[start as usize..(start + done.min(size)) as usize].fill(0xFF);
        true
    }

    /// Program `data` from `addr`, wrapping inside the 256-byte page like a real page program.
    /// Bits only go from 1 to 0; a protected page is left as is. Returns whether it was programmed.
    pub fn program_page(&mut self, addr: u32, data: &[u8]) -> bool {
        let addr = self.wrap(addr);
        let page = addr & !(PAGE - 1);
        if self.silent || self.busy() || self.overlaps_protected(page..page + PAGE) {
            return false;
        }
        for (i, byte) in data.iter().enumerate() {
            let at = page + (addr - page + i as u32) % PAGE;
            self.data[at as usize] &= byte;
        }
        true
    }

    /// Program a page-aligned run of whole pages, page by page.
    pub fn program(&mut self, addr: u32, data: &[u8]) {
        for (i, page) in data.chunks(PAGE as usize).enumerate() {
            self.program_page(addr.wrapping_add(i as u32 * PAGE), page);
        }
    }

    /// Status registers as one value: SR1 | SR2 << 8 | SR3 << 16.
    pub fn status(&self) -> u32 {
        self.status
    }

    pub(crate) fn set_status(&mut self, value: u32) {
        self.status = value & 0xFF_FFFF & !SR_VOLATILE_BITS;
    }

    /// SPI read-status opcode (05/35/15) to its byte; `None` for opcodes the part lacks. During
    /// tW the old value shows, SR1 with WIP set.
    pub(crate) fn read_status_opcode(&self, opcode: u8) -> Option<u8> {
        let (index, row) = self.status_row(opcode, |row| row.0)?;
        if self.silent {
            return Some(0);
        }
        let byte = (self.status >> row.2) as u8;
        Some(if index == 0 && self.busy() {
            byte | SR1_WIP
        } else {
            byte
        })
    }

    /// SPI write-status opcode (01/31/11) with its value bytes; 01 with two bytes writes SR1 and
    /// SR2 unless the model says otherwise. Ignored while busy, locked or silent. Returns false for
    /// an opcode the part does not know.
    pub(crate) fn write_status_opcode(&mut self, opcode: u8, values: &[u8]) -> bool {
        let Some((index, row)) = self.status_row(opcode, |row| row.1) else {
            return false;
        };
        if self.silent || self.busy() || self.status & SRP_LOCK == SRP_LOCK {
            return true;
        }
        let two_byte = index == 0 && values.len() >= 2;
        let mut status = self.status;
        match self.model.two_byte_write {
            TwoByteWrite::Locks if two_byte => {
                status = (status & !0xFFFF) | PR29_LOCKED_STATUS;
            }
            TwoByteWrite::Ignored if two_byte => {}
            _ => {
                let registers = usize::from(self.model.registers) - index;
                for (i, value) in values.iter().take(registers.min(3)).enumerate() {
                    let shift = row.2 + 8 * i as u32;
                    status = (status & !(0xFF << shift)) | (u32::from(*value) << shift);
                }
            }
        }
        let status = status & 0xFF_FFFF & !SR_VOLATILE_BITS;
        if self.model.write_time.is_zero() {
            self.status = status;
        } else {
            self.pending = Some((status, self.now + self.model.write_time));
        }
        true
    }

    /// The opcode's row and its register index, if the part has that register.
    fn status_row(
        &self,
        opcode: u8,
        pick: fn(&(u8, u8, u32)) -> u8,
    ) -> Option<(usize, (u8, u8, u32))> {
        STATUS_OPCODES
            .iter()
            .take(usize::from(self.model.registers))
            .position(|row| pick(row) == opcode)
            .map(|i| (i, STATUS_OPCODES[i]))
    }

    /// A raw full-duplex SPI transfer (op 0x0E): the first byte clocked back is junk.
    pub(crate) fn spi_transfer(&self, mosi: &[u8]) -> Vec<u8> {
        let Some(&opcode) = mosi.first() else {
            return Vec::new();
        };
        let answer: Vec<u8> = match opcode {
            _ if self.silent => Vec::new(),
            0x9F => self.jedec_id.to_vec(),
            _ => self.read_status_opcode(opcode).into_iter().collect(),
        };
        let idle = if self.silent { 0x00 } else { 0xFF };
        let mut miso = vec![0x00];
        miso.extend((0..mosi.len() - 1).map(|i| answer.get(i).copied().unwrap_or(idle)));
        miso
    }

    /// The address range the status registers protect (possibly empty or the whole flash).
    pub(crate) fn protected_range(&self) -> Range<u32> {
        let size = self.size();
        let bp = (self.status >> SR1_BP_SHIFT) & SR1_BP_MASK;
        let covered = match bp {
            0 => 0,
            7 => size,
            _ if self.status & SR1_SEC != 0 => 0x1000 << (bp - 1).min(3),
            _ => size >> (7 - bp),
        };
        let bottom = self.status & SR1_TB != 0;
        // CMP protects the complement of what BP/TB select.
        let (covered, bottom) = if self.status & SR2_CMP == 0 {
            (covered, bottom)
        } else {
            (size - covered, !bottom)
        };
        match covered {
            0 => 0..0,
            _ if bottom => 0..covered,
            _ => size - covered..size,
        }
    }

    fn overlaps_protected(&self, range: Range<u32>) -> bool {
        let protected = self.protected_range();
        protected.start < range.end && range.start < protected.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_status(status: u32) -> Flash {
        Flash::new(0x20_0000, &[], status, [0xEB, 0x60, 0x15])
    }

    #[test]
    fn protection_ranges_follow_bp_tb_sec_cmp() {
        let cases = [
            (0x00, 0..0),
            (0x1C, 0..0x20_0000),
            (0x04, 0x1F_8000..0x20_0000),
            (0x24, 0..0x8000),
            (0x44, 0x1F_F000..0x20_0000),
            (0x4004, 0..0x1F_8000),
            (0x401C, 0..0),
            (0x4000, 0..0x20_0000),
        ];
        for (status, range) in cases {
            assert_eq!(
                with_status(status).protected_range(),
                range,
                "status {status:#06x}"
            );
        }
    }

    #[test]
    fn status_writes_keep_wip_and_wel_clear() {
        let mut flash = with_status(0);
        assert!(flash.write_status_opcode(0x01, &[0xFF, 0x40]));
        assert_eq!(flash.status(), 0x40FC);
        assert!(flash.write_status_opcode(0x31, &[0x00]));
        assert_eq!(flash.read_status_opcode(0x35), Some(0x00));
        assert!(
            !flash.write_status_opcode(0x02, &[0]),
            "not a status opcode"
        );
    }

    #[test]
    fn raw_spi_returns_junk_then_jedec_then_idle_high() {
        let flash = with_status(0x1C);
        assert_eq!(
            flash.spi_transfer(&[0x9F, 0, 0, 0, 0]),
            [0x00, 0xEB, 0x60, 0x15, 0xFF]
        );
        assert_eq!(flash.spi_transfer(&[0x05, 0]), [0x00, 0x1C]);
    }
}
