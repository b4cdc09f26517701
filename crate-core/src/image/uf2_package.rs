//! LibreTiny format-2 package semantics: header checks, display tags, image walk, region rules.
//! Turns a parsed UF2 into the absolute FLASHER_SINGLE regions a UART flasher writes (docs/formats.md §1.5, §1.8).

use super::families::Uf2Family;
use super::refusal::{Refusal, RefusalKind as K};
use super::uf2::{Block, FLAG_NOT_MAIN_FLASH, FLAG_TAGS_PRESENT, Uf2File};
use super::uf2_partitions::{
    FLASHER_SINGLE_BYTE, Partition, describe_partitions, flasher_target, le_u32, parse_fal, text,
};
use crate::chips::BOOTLOADER_END;
use crate::plan::Region;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

const TAG_OTA_FORMAT_2: u32 = 0x6C_8492;
const TAG_OTA_PART_LIST: u32 = 0x6E_C68A;
const TAG_OTA_PART_INFO: u32 = 0xC0_EE0C;
const TAG_BOARD: u32 = 0xCA_25C8;
const TAG_FAL_PTABLE: u32 = 0x82_88ED;
const TAG_BINPATCH: u32 = 0xB9_48DE;

/// How a header tag's value is shown to the user.
#[derive(Clone, Copy)]
enum Shown {
    Text,
    Decimal,
    Hex32,
    HexBytes,
}

/// Header tags worth showing, in display order (docs/formats.md §1.3).
const SHOWN_TAGS: &[(u32, &str, Shown)] = &[
    (0x00_DE43, "firmware", Shown::Text),
    (0x9F_C7BC, "version", Shown::Text),
    (TAG_BOARD, "board", Shown::Text),
    (0x59_563D, "lt_version", Shown::Text),
    (0x82_2F30, "build_date", Shown::Decimal),
    (0x65_0D9D, "device", Shown::Text),
    (0xC8_A729, "device_id", Shown::Hex32),
    (TAG_OTA_FORMAT_2, "ota_format", Shown::Decimal),
    (TAG_OTA_PART_LIST, "ota_part_list", Shown::HexBytes),
];

/// What a LibreTiny package holds for the UART flasher.
#[derive(Clone, Debug)]
pub struct Package {
    pub tags: Vec<(String, String)>,
    pub partitions: Vec<Partition>,
    /// Absolute, sorted, non-overlapping FLASHER_SINGLE regions.
    pub regions: Vec<Region>,
}

/// Apply the package rules to a block-valid UF2 file.
pub fn package(file: &Uf2File<'_>) -> Result<Package, Refusal> {
    let header = &file.blocks[0];
    check_header(header)?;
    let partitions = parse_fal(header.tag(TAG_FAL_PTABLE).unwrap_or_default())?;
    if let Some(list) = header.tag(TAG_OTA_PART_LIST)
        && list.len() > FLASHER_SINGLE_BYTE
        && list[FLASHER_SINGLE_BYTE] & 0x0F == 0
    {
        return Err(Refusal::new(
            K::OtaOnly,
            "this package only contains OTA images (its part list has no UART flasher image)",
        ));
    }
    let regions = collect_regions(&file.blocks[1..], &partitions, file.family)?;
    let mut tags = shown_tags(header);
    tags.push(("partitions".to_string(), describe_partitions(&partitions)));
    Ok(Package {
        tags,
        partitions,
        regions,
    })
}

fn check_header(header: &Block<'_>) -> Result<(), Refusal> {
    let is_header = header.flags & FLAG_NOT_MAIN_FLASH != 0
        && header.flags & FLAG_TAGS_PRESENT != 0
        && header.payload.is_empty();
    if !is_header {
        return Err(Refusal::new(
            K::NotLibretinyUf2,
            "UF2 block 0 is not a LibreTiny header block",
        ));
    }
    if header.tag(TAG_OTA_FORMAT_2) != Some(&[2][..]) {
        return Err(Refusal::new(
            K::NoFormat2Tag,
            "this UF2 has no OTA_FORMAT_2 tag",
        ));
    }
    if header.tag(TAG_BOARD).is_none_or(<[u8]>::is_empty) {
        return Err(Refusal::new(
            K::NotLibretinyUf2,
            "this UF2 has no BOARD tag",
        ));
    }
    if header.tag(TAG_FAL_PTABLE).is_none() {
        return Err(Refusal::new(
            K::NotLibretinyUf2,
            "this UF2 has no FAL_PTABLE partition table, so its partition-relative addresses cannot be placed",
        ));
    }
    Ok(())
}

fn shown_tags(header: &Block<'_>) -> Vec<(String, String)> {
    SHOWN_TAGS
        .iter()
        .filter_map(|&(kind, name, shown)| {
            let data = header.tag(kind)?;
            let value = match shown {
                Shown::Text => text(data),
                Shown::Decimal => format!("{}", le_u32(data)),
                Shown::Hex32 => format!("0x{:08X}", le_u32(data)),
                Shown::HexBytes => data.iter().map(|b| format!("{b:02x}")).collect(),
            };
            Some((name.to_string(), value))
        })
        .collect()
}

/// The current image's target while walking the blocks (OTA_PART_INFO is stateful).
enum Target<'p> {
    Unset,
    OtherScheme,
    Flasher(&'p Partition),
}

fn collect_regions(
    blocks: &[Block<'_>],
    partitions: &[Partition],
    family: &Uf2Family,
) -> Result<Vec<Region>, Refusal> {
    let mut target = Target::Unset;
    let mut regions: Vec<Region> = Vec::new();
    for block in blocks {
        if block.tag(TAG_BINPATCH).is_some() {
            return Err(Refusal::new(
                K::BinpatchUnsupported,
                format!("UF2 block {} carries a BINPATCH tag", block.index),
            ));
        }
        if let Some(info) = block.tag(TAG_OTA_PART_INFO) {
            target = match flasher_target(block.index, info, partitions)? {
                Some(partition) => Target::Flasher(partition),
                None => Target::OtherScheme,
            };
        }
        if !block.is_data() {
            continue;
        }
        let partition = match target {
            Target::Unset => {
                return Err(Refusal::new(
                    K::DataBeforePartInfo,
                    format!(
                        "UF2 data block {} has no target partition (no OTA_PART_INFO before it)",
                        block.index
                    ),
                ));
            }
            Target::OtherScheme => continue,
            Target::Flasher(partition) => partition,
        };
        let end = u64::from(block.address) + block.payload.len() as u64;
        if end > u64::from(partition.length) {
            return Err(Refusal::new(
                K::BeyondPartition,
                format!(
                    "UF2 block {} writes rel. 0x{:X}..0x{end:X}, past the end of partition '{}' (length 0x{:X})",
                    block.index, block.address, partition.name, partition.length
                ),
            ));
        }
        let absolute = partition
            .offset
            .checked_add(block.address)
            .ok_or_else(|| beyond_flash_block(block, family))?;
        match regions.last_mut() {
            Some(last) if region_end(last) == u64::from(absolute) => {
                last.data.extend_from_slice(block.payload);
            }
            _ => regions.push(Region {
                offset: absolute,
                data: block.payload.to_vec(),
            }),
        }
    }
    finish_regions(regions, partitions, family)
}

fn beyond_flash_block(block: &Block<'_>, family: &Uf2Family) -> Refusal {
    Refusal::new(
        K::BeyondFlash,
        format!(
            "UF2 block {} lies past the flash of {} boards",
            block.index, family.name
        ),
    )
}

/// Sort, merge touching regions, and apply the whole-package rules (overlap, bootloader, flash size).
fn finish_regions(
    mut regions: Vec<Region>,
    partitions: &[Partition],
    family: &Uf2Family,
) -> Result<Vec<Region>, Refusal> {
    if regions.is_empty() {
        return Err(Refusal::new(
            K::OtaOnly,
            "this package has no image for the UART flasher (only OTA images)",
        ));
    }
    regions.sort_by_key(|region| region.offset);
    let mut merged: Vec<Region> = Vec::with_capacity(regions.len());
    for region in regions {
        match merged.last_mut() {
            Some(last) if region_end(last) > u64::from(region.offset) => {
                return Err(Refusal::new(
                    K::OverlappingRegions,
                    format!("two UART images both write flash 0x{:06X}", region.offset),
                ));
            }
            Some(last) if region_end(last) == u64::from(region.offset) => {
                last.data.extend_from_slice(&region.data)
            }
            _ => merged.push(region),
        }
    }
    let flash = u64::from(family.flash_size);
    for region in &merged {
        if region.offset < BOOTLOADER_END {
            return Err(Refusal::new(
                K::OverlapsBootloader,
                format!(
                    "this package writes flash 0x{:06X}, inside the bootloader (below 0x{BOOTLOADER_END:X})",
                    region.offset
                ),
            ));
        }
        if region_end(region) > flash {
            return Err(Refusal::new(
                K::BeyondFlash,
                format!(
                    "region 0x{:06X}+0x{:X} ends at 0x{:X}, past the {} MiB flash of {} boards",
                    region.offset,
                    region.data.len(),
                    region_end(region),
                    flash >> 20,
                    family.name
                ),
            ));
        }
    }
    if let Some(p) = partitions
        .iter()
        .find(|p| u64::from(p.offset) + u64::from(p.length) > flash)
    {
        return Err(Refusal::new(
            K::BeyondFlash,
            format!(
                "partition '{}' 0x{:06X}+0x{:X} extends past the {} MiB flash of {} boards",
                p.name,
                p.offset,
                p.length,
                flash >> 20,
                family.name
            ),
        ));
    }
    Ok(merged)
}

fn region_end(region: &Region) -> u64 {
    u64::from(region.offset) + region.data.len() as u64
}
