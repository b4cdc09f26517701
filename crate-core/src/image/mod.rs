//! Firmware files: recognise by content, parse strictly, and either produce flash regions or refuse.
//! `analyze` is the single entry point; `check_chip` adds the rules that need the connected chip.

pub mod beken;
pub mod families;
pub mod key_check;
pub mod recognise;
pub mod refusal;
pub mod uf2;
pub mod uf2_package;
pub mod uf2_partitions;

pub use key_check::{app_key_of, check_key};
pub use refusal::{Refusal, RefusalKind};

use crate::chips::{BOOTLOADER_END, ChipFamily};
use crate::plan::Region;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

/// What kind of flashable file was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// LibreTiny/ESPHome `firmware.uf2` (format 2); its FLASHER_SINGLE images become the regions.
    LibretinyUf2,
    /// Whole app partition with RBL trailer (`image_<mcu>_app.0x011000.rbl`, OpenBeken UA), at 0x11000.
    BekenAppImage,
    /// Image of flash from address 0 that is not a whole-flash size (OpenBeken QIO).
    BekenFlashImage,
    /// 2 or 4 MiB dump of the whole flash.
    BekenFullDump,
}

impl Kind {
    /// Stable snake_case name, used as the JSON `kind` field.
    pub fn name(self) -> &'static str {
        match self {
            Kind::LibretinyUf2 => "libretiny_uf2",
            Kind::BekenAppImage => "beken_app_image",
            Kind::BekenFlashImage => "beken_flash_image",
            Kind::BekenFullDump => "beken_full_dump",
        }
    }

    /// What the file is, in words for the user.
    pub fn words(self) -> &'static str {
        match self {
            Kind::LibretinyUf2 => "LibreTiny UF2 package",
            Kind::BekenAppImage => "Beken app image (RBL)",
            Kind::BekenFlashImage => "Beken flash image from 0x0",
            Kind::BekenFullDump => "whole-flash dump",
        }
    }
}

/// A file that may be flashed, with everything the user should see first.
#[derive(Clone, Debug)]
pub struct Firmware {
    pub kind: Kind,
    /// The chip family the file is built for, when the file says so (UF2 family ID).
    pub family: Option<ChipFamily>,
    pub uf2_family_id: Option<u32>,
    /// Display tags in a fixed order (UF2 header tags, RBL version).
    pub tags: Vec<(String, String)>,
    /// Absolute flash regions, sorted and non-overlapping.
    pub regions: Vec<Region>,
    /// Warnings and explanations for the user, one sentence each.
    pub notes: Vec<String>,
}

/// Recognise `bytes` and turn them into flash regions, or say why the file cannot be flashed.
pub fn analyze(bytes: &[u8]) -> Result<Firmware, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::new(RefusalKind::EmptyFile, "the file is empty"));
    }
    if !uf2::looks_like_uf2(bytes) {
        return recognise::recognise(bytes);
    }
    let file = uf2::parse(bytes)?;
    let package = uf2_package::package(&file)?;
    let mut notes = Vec::new();
    if let Some(app) = package
        .regions
        .iter()
        .find(|region| region.offset == BOOTLOADER_END)
    {
        notes.push(String::from(beken::app_key(&app.data).note()));
    }
    Ok(Firmware {
        kind: Kind::LibretinyUf2,
        family: file.family.chip,
        uf2_family_id: Some(file.family.id),
        tags: package.tags,
        regions: package.regions,
        notes,
    })
}

/// End of the app partition per chip: the most a Beken app image may cover from 0x11000.
const APP_PARTITION_END: &[(ChipFamily, u32)] = &[
    (ChipFamily::Bk7231T, 0x13_2000),
    (ChipFamily::Bk7231U, 0x13_2000),
    (ChipFamily::Bk7231Q, 0x13_2000),
    (ChipFamily::Bk7231N, 0x13_2000),
    (ChipFamily::Bk7231M, 0x13_2000),
    (ChipFamily::Bk7238, 0x13_2000),
    (ChipFamily::Bk7252, 0x1C_B000),
    (ChipFamily::Bk7252N, 0x1C_B000),
];

/// The rules that need the connected chip: family match for UF2s, app partition size for app images.
pub fn check_chip(firmware: &Firmware, chip: ChipFamily) -> Result<(), Refusal> {
    let compatible = match (firmware.uf2_family_id, firmware.family) {
        (Some(id), _) => chip.info().uf2_family_id == Some(id),
        (None, Some(family)) => family.runs_same_builds(chip),
        (None, None) => true,
    };
    if !compatible {
        let built_for = firmware
            .family
            .map_or(String::from("another chip"), |f| format!("a {}", f.name()));
        return Err(Refusal::new(
            RefusalKind::ChipMismatch,
            format!(
                "this firmware is for {built_for}; your chip is a {}",
                chip.name()
            ),
        ));
    }
    if firmware.kind == Kind::BekenAppImage {
        let limit = APP_PARTITION_END
            .iter()
            .find(|(family, _)| *family == chip)
            .map_or(0, |row| row.1);
        if let Some(region) = firmware
            .regions
            .iter()
            .find(|r| u64::from(r.offset) + r.data.len() as u64 > u64::from(limit))
        {
            return Err(Refusal::new(
                RefusalKind::BeyondPartition,
                format!(
                    "this app image is {} bytes, more than the app partition of {} holds (it ends at 0x{limit:06X})",
                    region.data.len(),
                    chip.name()
                ),
            ));
        }
    }
    Ok(())
}

/// Lowercase hex SHA-256, as shown for every region.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
