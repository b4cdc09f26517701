//! Is this backup from the linked chip? What its size, name and content say, compared with the chip
//! before a restore; each difference is one sentence, and any difference refuses the restore.

use bkflash_core::chips::{BOOTLOADER_END, ChipFamily, bootloader_by_crc};
use bkflash_core::crc::chip_crc;
use bkflash_core::flasher::ChipInfo;

use crate::files::{self, BackupTags};

/// Bytes the bootloader fingerprint covers: `CheckCRC(0, 0x100)` is 256 bytes on the legacy class
/// and 257 (inclusive end) on the ROM class (docs/protocol.md §7.2).
const FINGERPRINT_LENGTHS: [usize; 2] = [0x100, 0x101];

/// The chip family a backup's bootloader fingerprint names, if it is a known bootloader.
pub fn family_by_content(dump: &[u8]) -> Option<ChipFamily> {
    FINGERPRINT_LENGTHS
        .iter()
        .filter_map(|&len| dump.get(..len))
        .find_map(|head| bootloader_by_crc(chip_crc(head)))
        .map(|boot| boot.family)
}

/// The byte every position of `dump` holds, if it is the same everywhere: a dead or unreadable
/// flash reads as all 0xFF or all 0x00, and such a "backup" restores nothing.
pub fn uniform_byte(dump: &[u8]) -> Option<u8> {
    let first = *dump.first()?;
    dump.iter().all(|&b| b == first).then_some(first)
}

/// What differs between the backup `name`/`dump` and `chip`, without asking the chip anything.
pub fn differences(name: &str, dump: &[u8], chip: &ChipInfo) -> Vec<String> {
    let mut found = Vec::new();
    if dump.len() != chip.flash_size as usize {
        found.push(format!(
            "its size is {} bytes but this chip's flash is {} bytes",
            dump.len(),
            chip.flash_size
        ));
    }
    if let Some(byte) = uniform_byte(dump) {
        found.push(format!(
            "every byte of it is 0x{byte:02X}: it was read from a dead or unreadable flash and holds nothing to restore"
        ));
    }
    let tags = files::backup_tags(name);
    let named = tags.as_ref().and_then(|t| ChipFamily::from_name(&t.chip));
    if let (Some(named), Some(family)) = (named, chip.family)
        && named != family
    {
        found.push(format!(
            "its name says it comes from a {} but this chip is a {}",
            named.name(),
            family.name()
        ));
    }
    if let Some(from_content) = family_by_content(dump)
        && let Some(family) = chip.family
        && from_content != family
        && named != Some(from_content)
    {
        found.push(format!(
            "its bootloader is a {} bootloader but this chip is a {}",
            from_content.name(),
            family.name()
        ));
    }
    if let Some(flash) = tags.as_ref().and_then(|t| flash_mismatch(t, chip)) {
        found.push(flash);
    }
    found
}

/// The flash-id tag of the name against the chip's, when both name a part.
fn flash_mismatch(tags: &BackupTags, chip: &ChipInfo) -> Option<String> {
    let (_, ours) = files::chip_tags(chip);
    let informative = |tag: &str| !files::UNNAMED_FLASH_TAGS.contains(&tag);
    (informative(&tags.flash) && informative(&ours) && tags.flash != ours).then(|| {
        format!(
            "its name says flash {} but this chip has flash {}",
            tags.flash, ours
        )
    })
}

/// The bootloader region, which restore keeps as it is but which tells chips apart (on the ROM
/// class it is encrypted with the chip's own key).
pub fn bootloader_region(dump: &[u8]) -> Option<&[u8]> {
    dump.get(..BOOTLOADER_END as usize)
}
