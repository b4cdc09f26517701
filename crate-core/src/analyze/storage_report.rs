//! The storage as the report shows it: per-sector verdicts, keys with decoded values, and cloud
//! credentials hidden unless asked for (dump-analysis.md §2.6 "Secrets").

use super::report::{KeyReport, SectorReport, StorageReport};
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
    storage
        .entries
        .iter()
        .map(|e| (e.name.clone(), decode(&e.name, &e.value).0))
        .collect()
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
