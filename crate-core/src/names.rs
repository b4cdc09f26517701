//! The names of the files bkflash saves, one spelling for the page and the CLI: whole-flash backups
//! `bkflash-backup-<chip>-<flash>-<YYYYMMDD-HHMMSS>.bin`, partial reads, and a backup's name read back.

use alloc::format;
use alloc::string::String;

use crate::flasher::ChipInfo;

/// A wall-clock time in the user's zone; the caller reads the clock (the core has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 1..=12
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// `20261124-021500`: the time part of every name bkflash writes (backups, logs, reports).
pub fn timestamp(time: &LocalTime) -> String {
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        time.year, time.month, time.day, time.hour, time.minute, time.second
    )
}

/// Flash tags that name no part: today's stand-in first, then the one older CLI builds wrote.
pub const UNNAMED_FLASH_TAGS: [&str; 2] = ["flash", "nojedec"];
/// The chip tag when neither the chip id nor the bootloader names the family.
pub const UNNAMED_CHIP_TAG: &str = "bk72xx";

/// Chip and flash id for file names: `bk7231n`, `eb6015` (the part name when there is no JEDEC id).
pub fn chip_tags(chip: &ChipInfo) -> (String, String) {
    let name = chip
        .family
        .map_or(UNNAMED_CHIP_TAG, |f| f.name())
        .to_ascii_lowercase();
    let flash = chip.jedec.map_or_else(
        || {
            chip.flash.map_or_else(
                || String::from(UNNAMED_FLASH_TAGS[0]),
                |f| f.part.to_ascii_lowercase(),
            )
        },
        |j| format!("{:02x}{:02x}{:02x}", j[0], j[1], j[2]),
    );
    (name, flash)
}

/// `bkflash-backup-bk7231n-eb6015-20261124-021500.bin`: the whole flash of `chip`, read at `taken`.
pub fn backup_name(chip: &ChipInfo, taken: &LocalTime) -> String {
    let (name, flash) = chip_tags(chip);
    format!("bkflash-backup-{name}-{flash}-{}.bin", timestamp(taken))
}

/// `bkflash-read-bk7231n-eb6015-0x011000-0x001000.bin`: `len` bytes of `chip` from `start`.
pub fn read_name(chip: &ChipInfo, start: u32, len: u32) -> String {
    let (name, flash) = chip_tags(chip);
    format!("bkflash-read-{name}-{flash}-0x{start:06X}-0x{len:06X}.bin")
}

/// What a backup's name says, as `backup_name` writes it (also after a browser appended " (1)" to
/// a second download, and the names older CLI builds wrote).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupTags {
    pub chip: String,
    pub flash: String,
    /// `2026-11-24 12:00:00`
    pub taken: String,
}

/// The tags of a backup's file name; `None` for a name `backup_name` did not write.
pub fn backup_tags(name: &str) -> Option<BackupTags> {
    let rest = name.strip_prefix("bkflash-backup-")?;
    let mut parts = rest.splitn(4, '-');
    let (chip, flash, day, time) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let time = time.get(..6)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(day, 8) && digits(time, 6)) || chip.is_empty() || flash.is_empty() {
        return None;
    }
    Some(BackupTags {
        chip: chip.to_ascii_lowercase(),
        flash: flash.to_ascii_lowercase(),
        taken: format!(
            "{}-{}-{} {}:{}:{}",
            &day[..4],
            &day[4..6],
            &day[6..],
            &time[..2],
            &time[2..4],
            &time[4..]
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chips::{ChipFamily, ProtocolClass};
    use crate::flasher::{LINK_BAUD, Protection};

    fn chip(family: Option<ChipFamily>, jedec: Option<[u8; 3]>) -> ChipInfo {
        ChipInfo {
            family,
            class: ProtocolClass::Rom,
            bootloader: None,
            bootloader_crc: 0,
            boot_version: None,
            chip_id: None,
            jedec,
            flash: None,
            flash_size: 0x20_0000,
            protection: Protection::Unprotected,
            key: None,
            blank_bootloader: false,
            baud: LINK_BAUD,
        }
    }

    const TAKEN: LocalTime = LocalTime {
        year: 2026,
        month: 11,
        day: 24,
        hour: 1,
        minute: 2,
        second: 3,
    };

    #[test]
    fn names_carry_chip_flash_and_local_time() {
        let n = chip(Some(ChipFamily::Bk7231N), Some([0xEB, 0x60, 0x15]));
        assert_eq!(
            backup_name(&n, &TAKEN),
            "bkflash-backup-bk7231n-eb6015-20261124-010203.bin"
        );
        assert_eq!(
            read_name(&n, 0x11000, 0x1000),
            "bkflash-read-bk7231n-eb6015-0x011000-0x001000.bin"
        );
        assert_eq!(
            backup_name(&chip(None, None), &TAKEN),
            "bkflash-backup-bk72xx-flash-20261124-010203.bin"
        );
    }

    #[test]
    fn a_backup_name_reads_back_as_its_chip_flash_and_time() {
        let n = chip(Some(ChipFamily::Bk7231N), Some([0xEB, 0x60, 0x15]));
        let tags = BackupTags {
            chip: String::from("bk7231n"),
            flash: String::from("eb6015"),
            taken: String::from("2026-11-24 01:02:03"),
        };
        assert_eq!(backup_tags(&backup_name(&n, &TAKEN)), Some(tags.clone()));
        assert_eq!(
            backup_tags("bkflash-backup-bk7231n-eb6015-20261124-010203 (1).bin"),
            Some(tags),
            "a browser's second download"
        );
        assert_eq!(
            backup_tags("bkflash-backup-unknown-nojedec-20261124-010203.bin").map(|t| t.flash),
            Some(String::from("nojedec"))
        );
        assert_eq!(backup_tags("firmware.bin"), None);
        assert_eq!(backup_tags("bkflash-backup-bk7231n-eb6015-2026.bin"), None);
    }
}
