//! What `connect` learns about the chip: family, protocol class, bootloader, ids, flash part and size.
//! Filled by `identify.rs`; shown on the chip card and used by every later operation.

use alloc::string::String;

use crate::chips::{Bootloader, ChipFamily, ProtocolClass};
use crate::flash::FlashChip;
use crate::key::ChipKey;

/// The flash's write protection as far as the host can see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// The status register's protect bits are clear.
    Unprotected,
    /// Some protect bits are set (`sr` = SR1 | SR2 << 8); writes would silently do nothing.
    Protected { sr: u16 },
    /// Legacy class: the bootloader unprotects on the first erase after a LinkCheck (protocol.md §6.4).
    ManagedByBootloader,
    /// The flash part is not in the table: before writing, bkflash clears SR1 bits 2-6 with a
    /// one-byte write (the generic unprotect) and reports it.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChipInfo {
    /// `None` when neither the chip id nor the bootloader fingerprint names it.
    pub family: Option<ChipFamily>,
    pub class: ProtocolClass,
    /// The known bootloader matching the fingerprint, if any.
    pub bootloader: Option<&'static Bootloader>,
    /// Raw reply to `CheckCRC(0, 0x100)`: the bootloader fingerprint.
    pub bootloader_crc: u32,
    /// Tuya boot version string (`BK7231S_1.0.5`), only asked of Tuya T bootloaders.
    pub boot_version: Option<String>,
    /// `ReadReg 0x800000` (ROM class only).
    pub chip_id: Option<u32>,
    /// Manufacturer, type, capacity (ROM class only).
    pub jedec: Option<[u8; 3]>,
    pub flash: Option<&'static FlashChip>,
    pub flash_size: u32,
    pub protection: Protection,
    /// The flash encryption key from eFuse (ROM class; `None` when not readable).
    pub key: Option<ChipKey>,
    /// The bootloader region reads erased (all 0xFF). Reported on the ROM class, whose handler
    /// still links; refused on the legacy class.
    pub blank_bootloader: bool,
    /// The baud rate the session runs at now.
    pub baud: u32,
}
