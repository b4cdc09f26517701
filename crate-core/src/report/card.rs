//! The chip card as report lines: what `connect` found, without any flash content.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::chips::ProtocolClass;
use crate::flasher::{ChipInfo, Protection};

/// "label: value" lines of the chip card.
pub fn card_lines(chip: &ChipInfo) -> Vec<(&'static str, String)> {
    let unknown = || String::from("unknown");
    let class = match chip.class {
        ProtocolClass::Rom => "ROM class",
        ProtocolClass::Legacy => "legacy class",
    };
    let protection = match chip.protection {
        Protection::Unprotected => String::from("unprotected"),
        Protection::Protected { sr } => format!("protected (status register 0x{sr:04X})"),
        Protection::ManagedByBootloader => String::from("managed by the bootloader"),
        Protection::Unknown => unknown(),
    };
    alloc::vec![
        (
            "chip",
            format!("{} ({class})", chip.family.map_or("unknown", |f| f.name())),
        ),
        (
            "bootloader",
            format!(
                "{} (fingerprint 0x{:08X})",
                chip.bootloader.map_or("unknown", |b| b.name),
                chip.bootloader_crc
            ),
        ),
        (
            "boot version",
            chip.boot_version.clone().unwrap_or_else(unknown)
        ),
        (
            "chip id",
            chip.chip_id
                .map_or_else(unknown, |id| format!("0x{id:08X}")),
        ),
        (
            "flash id",
            chip.jedec.map_or_else(unknown, |id| {
                format!("{:02x}{:02x}{:02x}", id[0], id[1], id[2])
            }),
        ),
        (
            "flash part",
            chip.flash
                .map_or_else(unknown, |f| format!("{} {}", f.vendor, f.part)),
        ),
        ("flash size", format!("0x{:X} bytes", chip.flash_size)),
        ("protection", protection),
    ]
}
