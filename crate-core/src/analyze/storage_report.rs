//! The storage as the report shows it: per-sector verdicts, keys with decoded values, and cloud
//! credentials hidden unless asked for (dump-analysis.md §2.6 "Secrets").

use super::report::{InputKind, KeyReport, SectorReport, StorageReport};
use super::tuya_kv::sectors::NotData;
use super::tuya_kv::value::decode;
use super::tuya_kv::{SectorUse, Storage};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

/// Keys that hold cloud or Wi-Fi credentials.
pub const SECRET_KEYS: &[&str] = &["gw_bi", "gw_ai", "gw_wsm"];
pub const HIDDEN: &str = "<hidden>";

pub fn status(usage: &SectorUse) -> &'static str {
    match usage {
        SectorUse::Current { .. } => "current",
        SectorUse::Replaced { .. } => "replaced",
        SectorUse::Skipped(NotData::Erased) => "erased",
        SectorUse::Skipped(_) => "skipped",
    }
}

fn sector(at: usize, usage: &SectorUse) -> SectorReport {
    let (block, generation, note) = match usage {
        SectorUse::Current { id, generation } => (
            Some(*id),
            Some(*generation),
            format!("block {id}, highest generation"),
        ),
        SectorUse::Replaced { id, generation, by } => (
            Some(*id),
            Some(*generation),
            format!("older copy of block {id}; the current one is at 0x{by:06X}"),
        ),
        SectorUse::Skipped(why) => (None, None, String::from(why.describe())),
    };
    SectorReport {
        offset: at as u32,
        status: status(usage),
        block,
        generation,
        note,
    }
}

/// Every key's decoded value by name (what bk7231tools writes to `*_storage.json`), secrets included.
pub fn values(storage: &Storage) -> Map<String, Value> {
    let mut values = Map::new();
    for entry in &storage.entries {
        values.insert(entry.name.clone(), decode(&entry.name, &entry.value).0);
    }
    values
}

pub fn report(storage: &Storage, reveal_secrets: bool) -> StorageReport {
    let keys = storage
        .entries
        .iter()
        .map(|entry| {
            let (value, encoding) = decode(&entry.name, &entry.value);
            let secret = SECRET_KEYS.contains(&entry.name.as_str());
            KeyReport {
                name: entry.name.clone(),
                block: entry.block,
                length: entry.value.len(),
                encoding,
                value: if secret && !reveal_secrets {
                    Value::from(HIDDEN)
                } else {
                    value
                },
                secret,
                sum_ok: entry.sum_ok,
                bk7231tools_sees: entry.bk7231tools_sees,
            }
        })
        .collect();
    StorageReport {
        key_sector: storage.key_sector as u32,
        protected_sectors: storage.protected.iter().map(|&a| a as u32).collect(),
        other_key_sectors: storage
            .other_key_sectors
            .iter()
            .map(|&a| a as u32)
            .collect(),
        sectors: storage
            .sectors
            .iter()
            .map(|(at, usage)| sector(*at, usage))
            .collect::<Vec<_>>(),
        keys,
        problems: storage.problems.clone(),
        bk7231tools_fails: storage.bk7231tools_fails,
    }
}

/// What the user should know about a storage that was read.
pub fn notes(storage: &Storage, values: &Map<String, Value>) -> Vec<String> {
    let mut notes = Vec::new();
    if storage.bk7231tools_fails {
        notes.push(String::from(
            "bk7231tools 2.1.2 would stop on this storage (an erased or damaged sector inside its 32 KiB window); bkflash read around it",
        ));
    }
    let blocks = storage
        .sectors
        .iter()
        .filter(|(_, u)| !matches!(u, SectorUse::Skipped(_)))
        .count();
    if blocks == 0 {
        notes.push(String::from(
            "no data sector decrypts under this key sector's inner key: the data was written with another key, or the storage was never formatted",
        ));
    }
    if let Some(Value::String(text)) = values.get("user_param_key") {
        notes.push(format!(
            "user_param_key is not Tuya JSON bkflash can read, so the pins are unknown: {text}"
        ));
    }
    notes
}

/// Why there is no storage.
pub fn missing(damaged_key_sectors: &[usize], input: InputKind) -> Vec<String> {
    let mut notes: Vec<String> = damaged_key_sectors
        .iter()
        .map(|at| format!("the sector at 0x{at:06X} has the key-sector magic but its key sum is wrong: it cannot be used"))
        .collect();
    notes.push(String::from(match input {
        InputKind::Unrecognised => "no bootloader and no Tuya storage: this is not a flash image bkflash recognises",
        _ => "no Tuya KV storage in this image (a partial read, erased storage, or firmware that keeps none)",
    }));
    notes
}
