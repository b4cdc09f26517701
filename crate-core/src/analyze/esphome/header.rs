//! The top of the YAML: device name, LibreTiny board, and the usual logger/API/OTA/Wi-Fi blocks with
//! Wi-Fi credentials as `!secret`, so the file never holds a password.

use super::Builder;
use super::yaml::{Map, Node, s};
use crate::analyze::device::lookup::get;
use crate::analyze::device::{ConfigData, SourceKind};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use serde_json::Value;

/// LibreTiny's generic Tuya boards, by chip (UPK2ESPHome's table).
const BOARDS: &[(&str, &str)] = &[
    ("BK7231T", "generic-bk7231t-qfn32-tuya"),
    ("BK7231N", "generic-bk7231n-qfn32-tuya"),
];
/// Module prefixes UPK2ESPHome reads the chip from.
const MODULE_PREFIXES: &[(&str, &str)] = &[("WB", "BK7231T"), ("CB", "BK7231N")];
pub const UNKNOWN_BOARD: &str = "REPLACEME";

/// The chip as UPK2ESPHome infers it from the configuration alone; `?` for a module it does not know.
pub fn config_chip(config: &ConfigData, upk: &serde_json::Map<String, Value>) -> Option<String> {
    if let Some(module) = get(upk, "module")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
    {
        let prefix: String = module
            .chars()
            .take(2)
            .collect::<String>()
            .to_ascii_uppercase();
        let chip = MODULE_PREFIXES
            .iter()
            .find(|(p, _)| *p == prefix)
            .map_or("?", |(_, chip)| chip);
        return Some(chip.to_string());
    }
    if let Some(chip) = config
        .profile_chip()
        .filter(|c| BOARDS.iter().any(|(b, _)| b == c))
    {
        return Some(chip);
    }
    if let Some(slug) = config.profile_slug() {
        for (mark, chip) in [
            ("bk7231t", "BK7231T"),
            ("bk7231s", "BK7231T"),
            ("bk7231n", "BK7231N"),
        ] {
            if slug.contains(mark) {
                return Some(chip.to_string());
            }
        }
    }
    [("uart_adapt_params", "BK7231T"), ("baud_cfg", "BK7231N")]
        .iter()
        .find(|(key, _)| {
            config.data.contains_key(*key)
                && matches!(config.kind, SourceKind::StorageJson | SourceKind::Dump)
        })
        .map(|(_, chip)| chip.to_string())
}

/// The board: from the chip bkflash identified when it has one, else from the configuration.
pub fn board(
    config: &ConfigData,
    upk: &serde_json::Map<String, Value>,
    identified: Option<&str>,
    builder: &mut Builder,
) -> String {
    let chip = identified
        .map(String::from)
        .or_else(|| config_chip(config, upk));
    match chip
        .as_deref()
        .and_then(|c| BOARDS.iter().find(|(b, _)| *b == c))
    {
        Some((_, board)) => String::from(*board),
        None => {
            builder.warn(match chip {
                Some(chip) => format!("only BK7231T and BK7231N have a LibreTiny Tuya board (the chip is {chip}): set bk72xx board by hand"),
                None => String::from("no module or chip found: set bk72xx board by hand"),
            });
            String::from(UNKNOWN_BOARD)
        }
    }
}

/// A host name from the module (`tuya-cb2s`), lowercase letters, digits and dashes only.
fn device_name(upk: &serde_json::Map<String, Value>, board: &str) -> String {
    let base = get(upk, "module")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .map_or_else(
            || board.split('-').nth(1).unwrap_or("device").to_string(),
            str::to_ascii_lowercase,
        );
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("tuya-{}", clean.trim_matches('-'))
}

/// Everything above the device's components.
pub fn document(upk: &serde_json::Map<String, Value>, board: &str) -> Map {
    let wifi = Map::new()
        .with("ssid", Node::Raw(String::from("!secret wifi_ssid")))
        .with("password", Node::Raw(String::from("!secret wifi_password")))
        .with("ap", Node::Map(Map::new()));
    Map::new()
        .with(
            "esphome",
            Node::Map(Map::new().with("name", s(&device_name(upk, board)))),
        )
        .with("bk72xx", Node::Map(Map::new().with("board", s(board))))
        .with("logger", Node::Map(Map::new()))
        .with("web_server", Node::Map(Map::new()))
        .with("captive_portal", Node::Map(Map::new()))
        .with("mdns", Node::Map(Map::new()))
        .with("api", Node::Map(Map::new()))
        .with(
            "ota",
            Node::List(vec![Node::Map(Map::new().with("platform", s("esphome")))]),
        )
        .with("wifi", Node::Map(wifi))
}
