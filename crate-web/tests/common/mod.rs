//! What the page's tests share (host and browser): a linked chip as Connect reports it.

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::flasher::{ChipInfo, LINK_BAUD, Protection};

/// A chip of `family` with a 2 MiB flash, as Connect reports it.
pub fn chip(family: ChipFamily) -> ChipInfo {
    ChipInfo {
        family: Some(family),
        class: family.class(),
        bootloader: None,
        bootloader_crc: 0,
        boot_version: None,
        chip_id: None,
        jedec: (family.class() == ProtocolClass::Rom).then_some([0xEB, 0x60, 0x15]),
        flash: None,
        flash_size: 0x20_0000,
        protection: Protection::Unprotected,
        baud: LINK_BAUD,
        key: None,
        blank_bootloader: false,
    }
}
