//! `bkflash info [--json]`: link, identify and show the chip card: chip, class, bootloader, ids,
//! eFuse key, flash part and size, protection and the baud the session runs at.

use bkflash_core::chips::ProtocolClass;
use bkflash_core::flasher::{CancelToken, ChipInfo, Protection};
use serde_json::{Value, json};

use crate::args::Global;
use crate::failure::Failure;
use crate::session::{self, chip_name};

static CLASS_NAMES: &[(ProtocolClass, &str, &str)] = &[
    (
        ProtocolClass::Rom,
        "rom",
        "ROM download handler: all commands, bootloader writable with an override",
    ),
    (
        ProtocolClass::Legacy,
        "legacy",
        "flash bootloader: refuses everything below 0x11000",
    ),
];

fn class_row(class: ProtocolClass) -> (&'static str, &'static str) {
    CLASS_NAMES
        .iter()
        .find(|row| row.0 == class)
        .map(|row| (row.1, row.2))
        .expect("every class has a name")
}

/// Machine name of the protection state and the status register when known.
fn protection(chip: &ChipInfo) -> (&'static str, Option<u16>) {
    match chip.protection {
        Protection::Unprotected => ("unprotected", None),
        Protection::Protected { sr } => ("protected", Some(sr)),
        Protection::ManagedByBootloader => ("managed_by_bootloader", None),
        Protection::Unknown => ("unknown_part_generic_unprotect", None),
    }
}

/// The bootloader line: its name, or what the fingerprint shows.
fn bootloader_text(chip: &ChipInfo) -> String {
    let name = match (chip.bootloader, chip.blank_bootloader) {
        (Some(b), _) => b.name,
        (None, true) => "none: the region is blank (all 0xFF), the chip will not boot as it is",
        (None, false) => "unknown",
    };
    format!("{name} (fingerprint 0x{:08X})", chip.bootloader_crc)
}

/// The eFuse key line: the key and what it boots, or why it is not known.
fn key_text(chip: &ChipInfo) -> String {
    match (chip.key, chip.class) {
        (Some(key), _) => key.describe(),
        (None, ProtocolClass::Legacy) => String::from("not readable on this class"),
        (None, ProtocolClass::Rom) => String::from("could not be read"),
    }
}

fn jedec_hex(chip: &ChipInfo) -> Option<String> {
    chip.jedec
        .map(|id| id.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn chip_json(chip: &ChipInfo) -> Value {
    let (state, sr) = protection(chip);
    json!({
        "chip": chip.family.map(|f| f.name()),
        "class": class_row(chip.class).0,
        "bootloader": chip.bootloader.map(|b| b.name),
        "bootloader_crc": format!("0x{:08X}", chip.bootloader_crc),
        "bootloader_blank": chip.blank_bootloader,
        "boot_version": chip.boot_version,
        "chip_id": chip.chip_id.map(|id| format!("0x{id:08X}")),
        "efuse_key": chip.key.map(|key| key.hex()),
        "jedec": jedec_hex(chip),
        "flash_vendor": chip.flash.map(|f| f.vendor),
        "flash_part": chip.flash.map(|f| f.part),
        "flash_size": chip.flash_size,
        "protection": state,
        "protection_sr": sr,
        "baud": chip.baud,
    })
}

pub fn chip_lines(chip: &ChipInfo) -> Vec<String> {
    let (class, meaning) = class_row(chip.class);
    let (state, sr) = protection(chip);
    let unknown = || String::from("-");
    let rows = [
        ("chip", chip_name(chip).to_string()),
        ("class", format!("{class} ({meaning})")),
        ("bootloader", bootloader_text(chip)),
        (
            "boot version",
            chip.boot_version.clone().unwrap_or_else(unknown),
        ),
        (
            "chip id",
            chip.chip_id
                .map_or_else(unknown, |id| format!("0x{id:08X}")),
        ),
        ("eFuse key", key_text(chip)),
        ("flash id", jedec_hex(chip).unwrap_or_else(unknown)),
        (
            "flash part",
            chip.flash.map_or_else(
                || String::from("not in the table (bkflash clears SR1 bits 2-6 before writing)"),
                |f| format!("{} {}", f.vendor, f.part),
            ),
        ),
        (
            "flash size",
            format!("{} KiB (0x{:X})", chip.flash_size / 1024, chip.flash_size),
        ),
        (
            "protection",
            sr.map_or_else(
                || state.to_string(),
                |sr| format!("{state} (status register 0x{sr:04X})"),
            ),
        ),
        ("baud", chip.baud.to_string()),
    ];
    rows.iter()
        .map(|(name, value)| format!("{name:<13} {value}"))
        .collect()
}

pub fn run(global: &Global, cancel: &CancelToken) -> Result<(), Failure> {
    let session = session::connect("info", global, session::options(global, cancel))?;
    if global.json {
        println!("{}", chip_json(&session.chip));
    } else {
        for line in chip_lines(&session.chip) {
            println!("{line}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::chips::{ChipFamily, bootloader_by_crc};
    use bkflash_core::flash::FLASH_CHIPS;
    use bkflash_core::key::ChipKey;

    #[test]
    fn json_and_text_show_every_field() {
        let chip = ChipInfo {
            family: Some(ChipFamily::Bk7231N),
            class: ProtocolClass::Rom,
            bootloader: bootloader_by_crc(0x1EBE_6E45),
            bootloader_crc: 0x1EBE_6E45,
            boot_version: None,
            chip_id: Some(0x7231C),
            jedec: Some(FLASH_CHIPS[0].jedec),
            flash: Some(&FLASH_CHIPS[0]),
            flash_size: 0x20_0000,
            protection: Protection::Protected { sr: 0x0004 },
            key: None,
            blank_bootloader: false,
            baud: 921_600,
        };
        let json = chip_json(&chip);
        assert_eq!(json["chip"], "BK7231N");
        assert_eq!(json["class"], "rom");
        assert_eq!(json["chip_id"], "0x0007231C");
        assert_eq!(json["jedec"], "c44010");
        assert_eq!(json["flash_part"], "GT25Q05D");
        assert_eq!(
            (json["protection"].as_str(), json["protection_sr"].as_u64()),
            (Some("protected"), Some(4))
        );
        assert_eq!(json["baud"], 921_600);
        let text = chip_lines(&chip).join("\n");
        assert!(
            text.contains("chip          BK7231N")
                && text.contains("flash size    2048 KiB (0x200000)"),
            "{text}"
        );
        assert!(
            text.contains("protection    protected (status register 0x0004)"),
            "{text}"
        );
        assert!(text.contains("eFuse key     could not be read"), "{text}");
    }

    #[test]
    fn key_and_blank_bootloader_are_shown() {
        let chip = ChipInfo {
            family: Some(ChipFamily::Bk7231M),
            class: ProtocolClass::Rom,
            bootloader: None,
            bootloader_crc: 0xDEAD_BEEF,
            boot_version: None,
            chip_id: Some(0x7231C),
            jedec: None,
            flash: None,
            flash_size: 0x20_0000,
            protection: Protection::Unknown,
            key: Some(ChipKey { words: [0; 4] }),
            blank_bootloader: true,
            baud: 115_200,
        };
        let json = chip_json(&chip);
        assert_eq!(json["efuse_key"], "00000000 00000000 00000000 00000000");
        assert_eq!(json["bootloader_blank"], true);
        let text = chip_lines(&chip).join("\n");
        assert!(
            text.contains(
                "eFuse key     00000000 00000000 00000000 00000000 (all zero: boots unencrypted apps only, as on a BK7231M)"
            ),
            "{text}"
        );
        assert!(
            text.contains("bootloader    none: the region is blank"),
            "{text}"
        );
        assert!(text.contains("flash part    not in the table"), "{text}");
    }
}
