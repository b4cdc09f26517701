//! The partition map of a flash image: every region bkflash recognises, with offset, size and how
//! it was recognised, then the leftovers as empty or unknown (docs/dump-analysis.md §1).

pub mod app;
pub mod areas;
pub mod bootloader;
pub mod crc_blocks;
pub mod fal;
pub mod rbl;
pub mod rotation;
pub mod scrambler;

use super::report::{Detail, Partition, PartitionKind};
use super::tuya_kv::Storage;
use super::tuya_kv::sectors::SECTOR;
use crate::image::beken::AppKey;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use areas::{Calibration, ObkConfigFound, OtaContent};
use bootloader::BootloaderInfo;

/// Logical size of the app container on 2 MiB layouts; 0x129F70 in flash.
const DEFAULT_APP_END: u32 = 0x12_9F70;
/// The OTA partition when no partition table says otherwise: (T-style, N-style), length.
const OTA_PLACES: [(u32, &str); 2] = [(0x13_2000, "T"), (0x12_A000, "N")];
const OTA_LENGTH: u32 = 0xA6000;
/// Data sectors in a Tuya KV storage after the key sector; swap sectors follow them.
const KV_DATA_SECTORS: usize = 14;
const KV_SWAP_SECTORS: usize = 3;

/// Everything the map found, for the chip decision and the report.
pub struct FlashFacts {
    pub bootloader: Option<BootloaderInfo>,
    pub app: Option<app::AppInfo>,
    pub calibration: Option<Calibration>,
    pub obk_configs: Vec<ObkConfigFound>,
    /// Where the OTA partition is, from the bootloader's table.
    pub fal_download: Option<u32>,
}

fn detail(label: &str, value: impl ToString) -> Detail {
    Detail {
        label: String::from(label),
        value: value.to_string(),
    }
}

fn partition(
    kind: PartitionKind,
    offset: usize,
    size: usize,
    found_by: String,
    details: Vec<Detail>,
) -> Partition {
    Partition {
        kind,
        title: kind.title(),
        offset: offset as u32,
        size: size as u32,
        found_by,
        details,
    }
}

pub fn mac_text(mac: &[u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Inspect the regions with fixed places or marks.
pub fn facts(image: &[u8]) -> FlashFacts {
    let bootloader = bootloader::inspect(image);
    let fal = bootloader
        .as_ref()
        .map(|b| b.fal.as_slice())
        .unwrap_or_default();
    let app_end = fal
        .iter()
        .find(|e| e.name == "app")
        .map_or(DEFAULT_APP_END, |e| e.flash_offset + e.flash_length);
    let fal_download = fal
        .iter()
        .find(|e| e.name == "download")
        .map(|e| e.flash_offset);
    let app = bootloader
        .as_ref()
        .and_then(|_| app::inspect(image, app_end as usize));
    FlashFacts {
        bootloader,
        app,
        calibration: areas::calibration(image),
        obk_configs: areas::obk_configs(image),
        fal_download,
    }
}

fn bootloader_partition(info: &BootloaderInfo, image_len: usize) -> Partition {
    let mut details = Vec::new();
    let mut found_by = String::from("a CRC-valid first block at 0");
    if let Some((known, len)) = info.known {
        details.push(detail("known bootloader", known.name));
        details.push(detail("chip", known.family.name()));
        found_by = format!("CRC-32 of flash 0..{len} matches bk7231tools' bootloader table");
    }
    if let Some(rbl) = &info.rbl {
        details.push(detail("RBL version", &rbl.version));
        found_by.push_str(&format!(
            "; RBL trailer 'bootloader' at 0x{:X}",
            bootloader::TRAILER_AT
        ));
    }
    for entry in &info.fal {
        details.push(detail(
            "partition table",
            format!(
                "{} ({}) at 0x{:06X}, 0x{:X} bytes",
                entry.name, entry.flash, entry.flash_offset, entry.flash_length
            ),
        ));
    }
    partition(
        PartitionKind::Bootloader,
        0,
        image_len.min(crate::chips::BOOTLOADER_END as usize),
        found_by,
        details,
    )
}

fn app_partition(info: &app::AppInfo) -> Partition {
    let mut details = alloc::vec![detail(
        "flash key",
        match info.key {
            AppKey::TuyaDefault => "Beken/Tuya default (code unscrambled to read it)",
            AppKey::Plain => "none (all-zero key)",
            AppKey::Unknown => "unknown (code not readable)",
        }
    )];
    let found_by = match &info.rbl {
        Some(rbl) => {
            details.push(detail("RBL version", &rbl.version));
            format!(
                "RBL trailer 'app' at 0x{:X}",
                info.end as usize - crate::image::beken::RBL_TRAILER
            )
        }
        None => String::from("place after the bootloader (no valid RBL trailer at its end)"),
    };
    for (family, text) in &info.identity {
        details.push(detail(&format!("{family} string"), text));
    }
    if info.upk_text.is_some() {
        details.push(detail("default user_param_key", "present in the code"));
    }
    partition(
        PartitionKind::App,
        info.start as usize,
        (info.end - info.start) as usize,
        found_by,
        details,
    )
}

fn ota_partition(image: &[u8], facts: &FlashFacts, layout: Option<&str>) -> Option<Partition> {
    let (offset, found_by) = match facts.fal_download {
        Some(at) => (
            at,
            String::from("the bootloader's partition table ('download')"),
        ),
        None => {
            let (at, _) = OTA_PLACES.iter().find(|(_, l)| Some(*l) == layout)?;
            (
                *at,
                format!("the usual place on {}-style layouts", layout.unwrap_or("?")),
            )
        }
    };
    let (start, end) = (offset as usize, (offset + OTA_LENGTH) as usize);
    let region = image
        .get(start..end.min(image.len()))
        .filter(|r| !r.is_empty())?;
    let content = match areas::ota_content(region) {
        OtaContent::Empty => String::from("empty (all 0xFF)"),
        OtaContent::Package(rbl) => format!(
            "an OTA package for '{}' version {} (encryption {}, compression {})",
            rbl.name, rbl.version, rbl.encryption, rbl.compression
        ),
        OtaContent::Data => String::from("data without an RBL header (unknown)"),
    };
    Some(partition(
        PartitionKind::Ota,
        start,
        region.len(),
        found_by,
        alloc::vec![detail("content", content)],
    ))
}

fn obk_partition(found: &ObkConfigFound) -> Partition {
    let details = match &found.result {
        Ok(config) => {
            let mut d = alloc::vec![
                detail("layout version", config.version),
                detail("CRC-8", "valid"),
                detail(
                    "pin arrays",
                    format!("{} entries (from the flash size)", found.pin_entries)
                ),
                detail("device name", &config.short_name),
                detail(
                    "Wi-Fi SSID",
                    if config.wifi_ssid.is_empty() {
                        "(none: access point mode)"
                    } else {
                        &config.wifi_ssid
                    }
                ),
                detail(
                    "Wi-Fi password",
                    if config.wifi_password.is_empty() {
                        "(none)"
                    } else {
                        "(set, hidden)"
                    }
                ),
                detail(
                    "MQTT host",
                    if config.mqtt_host.is_empty() {
                        "(none)"
                    } else {
                        &config.mqtt_host
                    }
                ),
            ];
            for pin in &config.pins {
                d.push(detail(
                    &format!("P{}", pin.gpio),
                    format!("{};{}", pin.role_name, pin.channel),
                ));
            }
            d
        }
        Err(why) => alloc::vec![detail("refused", why)],
    };
    partition(
        PartitionKind::OpenbekenConfig,
        found.offset,
        SECTOR,
        String::from("'CFG' at the start of the NET_PARAM sector"),
        details,
    )
}

fn storage_partitions(storage: &Storage, image_len: usize) -> Vec<Partition> {
    let mut parts: Vec<Partition> = storage
        .protected
        .iter()
        .map(|&at| {
            partition(
                PartitionKind::TuyaKvProtected,
                at,
                SECTOR,
                String::from("master-key magic whose sum covers bytes 8..4095 (not a key sector)"),
                alloc::vec![detail(
                    "content",
                    "copies of keys such as gw_bi/gw_wsm (not read)"
                )],
            )
        })
        .collect();
    let key = storage.key_sector;
    parts.push(partition(
        PartitionKind::TuyaKvKey,
        key,
        SECTOR,
        String::from("decrypts under the master key with magic 0x13579753 and a matching key sum"),
        Vec::new(),
    ));
    let count = |from: usize, to: usize, status: &str| {
        storage
            .sectors
            .iter()
            .filter(|(at, usage)| {
                *at >= from && *at < to && super::storage_report::status(usage) == status
            })
            .count()
    };
    let data_start = key + SECTOR;
    let swap_start = data_start + KV_DATA_SECTORS * SECTOR;
    let swap_end = swap_start + KV_SWAP_SECTORS * SECTOR;
    for (kind, start, end) in [
        (PartitionKind::TuyaKvData, data_start, swap_start),
        (PartitionKind::TuyaKvSwap, swap_start, swap_end),
    ] {
        let end = end.min(image_len);
        if start >= end {
            continue;
        }
        let details = alloc::vec![
            detail("current blocks", count(start, end, "current")),
            detail("older copies", count(start, end, "replaced")),
            detail("erased sectors", count(start, end, "erased")),
            detail("damaged or foreign sectors", count(start, end, "skipped")),
        ];
        parts.push(partition(
            kind,
            start,
            end - start,
            String::from("the sectors after the key sector"),
            details,
        ));
    }
    parts
}

/// Fill the sectors no partition covers: runs of erased sectors and runs of unknown data.
fn leftovers(image: &[u8], known: &[Partition]) -> Vec<Partition> {
    let covered = |at: usize| {
        known
            .iter()
            .any(|p| at < (p.offset + p.size) as usize && at + SECTOR > p.offset as usize)
    };
    let mut runs: Vec<Partition> = Vec::new();
    for at in (0..image.len()).step_by(SECTOR).filter(|&at| !covered(at)) {
        let end = (at + SECTOR).min(image.len());
        let kind = if crate::analyze::bytes::is_erased(&image[at..end]) {
            PartitionKind::Empty
        } else {
            PartitionKind::Unknown
        };
        match runs.last_mut() {
            Some(last) if last.kind == kind && (last.offset + last.size) as usize == at => {
                last.size += (end - at) as u32
            }
            _ => runs.push(partition(
                kind,
                at,
                end - at,
                String::from("not claimed by any recognised partition"),
                Vec::new(),
            )),
        }
    }
    runs
}

/// The whole map, sorted by offset.
pub fn partitions(
    image: &[u8],
    facts: &FlashFacts,
    storage: Option<&Storage>,
    layout: Option<&str>,
) -> Vec<Partition> {
    let mut parts = Vec::new();
    if let Some(info) = &facts.bootloader {
        parts.push(bootloader_partition(info, image.len()));
    }
    if let Some(info) = &facts.app {
        parts.push(app_partition(info));
    }
    parts.extend(ota_partition(image, facts, layout));
    if let Some(cal) = &facts.calibration {
        let mut details = alloc::vec![detail("layout", format!("{}-style place", cal.layout))];
        if let Some(mac) = &cal.mac {
            details.push(detail("MAC", mac_text(mac)));
        }
        parts.push(partition(
            PartitionKind::RfCalibration,
            cal.offset,
            SECTOR,
            String::from("'TLV\\0' at the start of the sector"),
            details,
        ));
    }
    parts.extend(facts.obk_configs.iter().map(obk_partition));
    for at in areas::uf_areas(image) {
        parts.push(partition(
            PartitionKind::TuyaFileArea,
            at,
            SECTOR,
            String::from("Tuya's UF table magic 0x98764321"),
            alloc::vec![detail("format", "unknown (no tool parses it)")],
        ));
    }
    if let Some(storage) = storage {
        parts.extend(storage_partitions(storage, image.len()));
    }
    // A signature may sit in a sector the dump ends inside (a cut or partial read): the partition
    // it marks ends where the dump does.
    for part in &mut parts {
        let left = (image.len() as u32).saturating_sub(part.offset);
        part.size = part.size.min(left);
    }
    let rest = leftovers(image, &parts);
    parts.extend(rest);
    crate::analyze::order::sort_by_key(&mut parts, |p| p.offset);
    parts
}
