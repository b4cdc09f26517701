//! Flash planning, pure and testable without a device: file regions become 4 KiB sector jobs.
//! Erase as 64 KiB blocks where whole, skip blank and already-matching sectors, never touch protected ranges.

use alloc::vec::Vec;

/// Flash sector size: the unit of erase, write and verify.
pub const SECTOR: u32 = 0x1000;
/// Erase block size used when a whole aligned block is rewritten.
pub const BLOCK: u32 = 0x10000;

/// Bytes a file wants at an absolute flash address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub offset: u32,
    pub data: Vec<u8>,
}

/// What the planner knows about the chip (filled by the flasher before planning).
#[derive(Clone, Debug)]
pub struct Target {
    pub flash_size: u32,
    /// Writes and erases below this address are refused (0x11000 on every chip by default).
    pub protected_below: u32,
}

/// One erase the executor performs, in plan order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erase {
    Sector(u32),
    Block(u32),
}

/// Why a touched sector is not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Its new content is all 0xFF: the erase alone produces it.
    Blank,
    /// The chip's CRC of the sector already equals the new content's CRC.
    AlreadyMatches,
}

/// The final 4 KiB content of one sector and what happens to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectorJob {
    pub addr: u32,
    /// Exactly `SECTOR` bytes: file bytes, with holes filled from the chip's current content
    /// (read-modify-write) or 0xFF when that content was not supplied.
    pub data: Vec<u8>,
    /// True when part of the sector is not covered by any region.
    pub partial: bool,
    /// `None`: erase (by its own sector erase or its block's) and write `data`.
    pub skip: Option<Skip>,
}

/// Everything that will happen, shown to the user before anything happens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// In ascending address order; a block erase covers 16 sector jobs that all need erasing.
    pub erases: Vec<Erase>,
    /// Every touched sector, ascending, each exactly once.
    pub sectors: Vec<SectorJob>,
}
