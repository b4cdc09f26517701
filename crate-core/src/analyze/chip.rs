//! Which chip the dump comes from, by the strongest evidence available: the bootloader's CRC, the
//! OTA offset in its partition table, the RF calibration's place, then hints in the storage (dump-analysis.md §1.3).

use super::device::lookup::get;
use super::flash_map::FlashFacts;
use super::report::Chip;
use alloc::format;
use alloc::string::String;
use serde_json::{Map, Value};

/// Tuya module-name prefixes (Easy Flasher's and UPK2ESPHome's readings agree on these).
const MODULE_PREFIXES: &[(&str, &str)] = &[
    ("WB", "BK7231T"),
    ("CB", "BK7231N"),
    ("T1", "BK7238"),
    ("T34", "BK7231N"),
    ("T2", "BK7231N"),
];
/// `em_sys_env` values seen in dumps.
const SYSTEM_ENVS: &[(&str, &str)] = &[("BK7231S_2M", "BK7231T"), ("bk7231n", "BK7231N")];
/// Which TuyaMCU key each chip's SDK uses (a heuristic).
const TUYA_MCU_KEYS: &[(&str, &str)] = &[("uart_adapt_params", "BK7231T"), ("baud_cfg", "BK7231N")];
/// OTA offsets of the stock Tuya layouts.
const DOWNLOAD_OFFSETS: &[(u32, &str)] = &[(0x13_2000, "BK7231T"), (0x12_A000, "BK7231N")];

fn chip(name: &'static str, method: &'static str, evidence: String) -> Chip {
    Chip {
        name,
        method,
        evidence,
    }
}

/// The chip from the flash alone.
pub fn from_flash(facts: &FlashFacts) -> Option<Chip> {
    if let Some((boot, len)) = facts.bootloader.as_ref().and_then(|b| b.known) {
        return Some(chip(
            boot.family.name(),
            "bootloader_crc",
            format!(
                "CRC-32 of flash 0..{len} is 0x{:08X} ({})",
                boot.crc_standard, boot.name
            ),
        ));
    }
    if let Some(&(at, name)) = facts
        .fal_download
        .and_then(|at| DOWNLOAD_OFFSETS.iter().find(|(o, _)| *o == at))
    {
        return Some(chip(
            name,
            "fal_download_offset",
            format!("the partition table puts 'download' at 0x{at:06X}"),
        ));
    }
    let cal = facts.calibration.as_ref()?;
    let name = if cal.layout == "N" {
        "BK7231N"
    } else {
        "BK7231T"
    };
    Some(chip(
        name,
        "rf_calibration_offset",
        format!("RF calibration at 0x{:06X}", cal.offset),
    ))
}

/// The chip from the storage's hints, when the flash says nothing.
pub fn from_config(upk: &Map<String, Value>, storage: &Map<String, Value>) -> Option<Chip> {
    if let Some(module) = get(upk, "module").and_then(Value::as_str) {
        let upper = module.to_ascii_uppercase();
        if let Some((prefix, name)) = MODULE_PREFIXES.iter().find(|(p, _)| upper.starts_with(p)) {
            return Some(chip(
                name,
                "module_name",
                format!("module {module} (prefix {prefix})"),
            ));
        }
    }
    if let Some(env) = get(storage, "em_sys_env").and_then(Value::as_str)
        && let Some((_, name)) = SYSTEM_ENVS.iter().find(|(e, _)| *e == env)
    {
        return Some(chip(name, "em_sys_env", format!("em_sys_env is {env}")));
    }
    TUYA_MCU_KEYS
        .iter()
        .find(|(key, _)| storage.contains_key(*key))
        .map(|(key, name)| {
            chip(
                name,
                "tuya_mcu_key",
                format!("the storage has {key} (a heuristic)"),
            )
        })
}
