//! Fixed-place data areas of a Tuya/OpenBeken flash: RF calibration (TLV with the MAC), the
//! OpenBeken config sector, Tuya's "UF" file area and the OTA download partition (dump-analysis.md §1.1, §1.6).

use super::rbl::{self, Rbl};
use crate::analyze::bytes::{is_erased, le32};
use crate::chips::ChipFamily;
use crate::obk_config::{self, DecodeError, Decoded, layout::PLATFORMS};
use alloc::vec::Vec;

pub const SECTOR: usize = 0x1000;

/// `TLV\0` places: 0x1E0000 on T-style layouts, 0x1D0000 on BK7231N.
pub const TLV_PLACES: [(usize, &str); 2] = [(0x1E_0000, "T"), (0x1D_0000, "N")];
const TLV_MAGIC: &[u8; 4] = b"TLV\0";
const MAC_TAG: u32 = 0x1111_1102;
/// Tuya's UF file table starts with this u32; its format is not known.
const UF_MAGIC: u32 = 0x9876_4321;

pub struct Calibration {
    pub offset: usize,
    /// "T" or "N": which layout the place implies.
    pub layout: &'static str,
    pub mac: Option<[u8; 6]>,
}

/// Where each chip keeps its RF calibration (Easy Flasher's table, dump-analysis.md §1.1).
const RF_BY_CHIP: &[(ChipFamily, u32)] = &[
    (ChipFamily::Bk7231T, 0x1E_0000),
    (ChipFamily::Bk7231U, 0x1E_0000),
    (ChipFamily::Bk7238, 0x1E_0000),
    (ChipFamily::Bk7252, 0x1E_0000),
    (ChipFamily::Bk7231N, 0x1D_0000),
    (ChipFamily::Bk7231M, 0x1D_0000),
];

/// The RF calibration sector's flash offset on `family`, if known.
pub fn rf_calibration_offset(family: ChipFamily) -> Option<u32> {
    RF_BY_CHIP
        .iter()
        .find(|row| row.0 == family)
        .map(|row| row.1)
}

/// The MAC in an RF calibration sector: tag 0x11111102, length 6, at +0x1C.
pub fn mac(sector: &[u8]) -> Option<[u8; 6]> {
    if !sector.starts_with(TLV_MAGIC)
        || le32(sector, 0x1C) != Some(MAC_TAG)
        || le32(sector, 0x20) != Some(6)
    {
        return None;
    }
    let bytes = sector.get(0x24..0x2A)?;
    Some(core::array::from_fn(|i| bytes[i]))
}

/// The RF calibration sector, at the first place that starts with `TLV\0`.
pub fn calibration(image: &[u8]) -> Option<Calibration> {
    TLV_PLACES.iter().find_map(|&(offset, layout)| {
        let sector = image.get(offset..offset + SECTOR)?;
        sector.starts_with(TLV_MAGIC).then(|| Calibration {
            offset,
            layout,
            mac: mac(sector),
        })
    })
}

pub struct ObkConfigFound {
    pub offset: usize,
    /// Entries per pin array the sector was read with.
    pub pin_entries: usize,
    pub result: Result<Decoded, DecodeError>,
}

/// Flash size from which an image is taken for a BK7252-class chip (48-entry pin arrays).
const WIDE_PINS_FROM: usize = 0x40_0000;

/// OpenBeken config sectors: every platform place that starts with `CFG`. The pin-array width
/// is not stored, so it follows the flash size: 4 MiB is BK7252-class, smaller is 32 entries.
pub fn obk_configs(image: &[u8]) -> Vec<ObkConfigFound> {
    let wide = image.len() >= WIDE_PINS_FROM;
    let mut found: Vec<ObkConfigFound> = Vec::new();
    for platform in PLATFORMS.iter().filter(|p| (p.pins.entries > 32) == wide) {
        let offset = platform.offset as usize;
        let Some(sector) = image.get(offset..offset + SECTOR) else {
            continue;
        };
        if sector.starts_with(obk_config::layout::IDENT)
            && !found.iter().any(|f| f.offset == offset)
        {
            found.push(ObkConfigFound {
                offset,
                pin_entries: platform.pins.entries,
                result: obk_config::decode(sector, platform.pins),
            });
        }
    }
    found
}

/// Sector starts holding Tuya's UF table magic.
pub fn uf_areas(image: &[u8]) -> Vec<usize> {
    (0..image.len())
        .step_by(SECTOR)
        .filter(|&at| le32(image, at) == Some(UF_MAGIC))
        .collect()
}

/// What the OTA download partition holds.
pub enum OtaContent {
    Empty,
    Package(Rbl),
    Data,
}

pub fn ota_content(region: &[u8]) -> OtaContent {
    if is_erased(region) {
        OtaContent::Empty
    } else if let Some(header) = rbl::clear(region) {
        OtaContent::Package(header)
    } else {
        OtaContent::Data
    }
}
