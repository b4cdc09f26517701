//! Whether a file may go to the linked chip: the chip's key, the family a manifest bound the file
//! to, and the core's own check (UF2 family or build, app partition size).

use bkflash_core::chips::ChipFamily;
use bkflash_core::flasher::ChipInfo;
use bkflash_core::image::{self, Firmware};

/// The sentence that stops this file from going to this chip, if any. `only_for` is the family a
/// manifest named for the file, which binds even when the file itself names no chip.
pub fn chip_refusal(
    firmware: &Firmware,
    only_for: Option<ChipFamily>,
    chip: &ChipInfo,
) -> Option<String> {
    if let Some(Err(refusal)) = chip
        .key
        .map(|key| image::check_key(firmware, chip.family, &key))
    {
        return Some(refusal.message);
    }
    if let Some(intended) = only_for
        && chip.family != Some(intended)
    {
        return Some(format!(
            "This build is for {} (the firmware list says so; the file itself names no chip), but the \
             chip is {}. Nothing will be written.",
            intended.name(),
            chip.family.map_or("of unknown type", ChipFamily::name)
        ));
    }
    let family = chip.family?;
    image::check_chip(firmware, family).err().map(|r| r.message)
}
