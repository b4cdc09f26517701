//! The device configuration behind the converters: `user_param_key` plus the storage keys that
//! matter (TuyaMCU baud), from a dump, a bkflash/bk7231tools storage JSON, a raw UPK or a Cloudcutter profile.

pub mod keys;
pub mod lookup;
pub mod oldfmt;

use crate::analyze::tuya_kv::tuya_json;
use alloc::string::String;
use serde::Serialize;
use serde_json::{Map, Value};

/// Where the configuration came from (UPK2ESPHome's input kinds, plus a dump read by bkflash).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The storage of a flash dump.
    Dump,
    /// A storage JSON with `gw_bi` (bk7231tools' `*_storage.json`).
    StorageJson,
    /// A bare `user_param_key` (has `Jsonver`, `jv`, `crc` or `sw`).
    RawUpk,
    /// A tuya-cloudcutter device profile (`schemas` and `profiles`).
    CloudcutterProfile,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConfigData {
    pub kind: SourceKind,
    pub data: Map<String, Value>,
}

/// The first of: standard JSON, the Tuya JSON repair; it must give an object.
fn parse_object(text: &str) -> Option<Map<String, Value>> {
    let text = text.trim();
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Some(map),
        Ok(_) => None,
        Err(_) => tuya_json::parse(text),
    }
}

impl ConfigData {
    /// Read a text input the way UPK2ESPHome does; the error is its message.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let data = parse_object(text).ok_or_else(|| String::from("Input data parsing error"))?;
        let kind = if data.contains_key("schemas") && data.contains_key("profiles") {
            SourceKind::CloudcutterProfile
        } else if data.contains_key("gw_bi") {
            SourceKind::StorageJson
        } else if ["Jsonver", "jv", "crc", "sw"]
            .iter()
            .any(|k| data.contains_key(*k))
        {
            SourceKind::RawUpk
        } else {
            return Err(String::from("Couldn't recognize input data"));
        };
        Ok(ConfigData { kind, data })
    }

    /// The storage keys of a dump, by name.
    pub fn from_storage(data: Map<String, Value>) -> Self {
        ConfigData {
            kind: SourceKind::Dump,
            data,
        }
    }

    fn object(&self, key: &str) -> Map<String, Value> {
        match self.data.get(key) {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        }
    }

    /// The pin configuration, in today's flat form.
    pub fn upk(&self) -> Map<String, Value> {
        let upk = match self.kind {
            SourceKind::CloudcutterProfile => self.object("device_configuration"),
            SourceKind::StorageJson | SourceKind::Dump => self.object("user_param_key"),
            SourceKind::RawUpk => self.data.clone(),
        };
        if oldfmt::is_old_format(&upk) {
            oldfmt::flatten_old(&upk)
        } else {
            upk
        }
    }

    /// A TuyaMCU device: the MCU, not the Wi-Fi chip, drives the hardware.
    pub fn is_tuya_mcu(&self) -> bool {
        match self.kind {
            SourceKind::CloudcutterProfile => self
                .profile_slug()
                .is_some_and(|slug| slug.starts_with("bk7231") && slug.contains("common")),
            SourceKind::StorageJson | SourceKind::Dump => {
                self.data.contains_key("baud_cfg") || self.data.contains_key("uart_adapt_params")
            }
            SourceKind::RawUpk => false,
        }
    }

    /// `baud_cfg`, or `uart_adapt_params` when that is empty.
    pub fn uart_config(&self) -> Map<String, Value> {
        let baud_cfg = self.object("baud_cfg");
        if baud_cfg.is_empty() {
            self.object("uart_adapt_params")
        } else {
            baud_cfg
        }
    }

    fn first_profile(&self) -> Option<&Value> {
        match self.data.get("profiles") {
            Some(Value::Array(list)) => list.first(),
            _ => None,
        }
    }

    pub fn profile_slug(&self) -> Option<String> {
        match self.first_profile()? {
            Value::String(slug) => Some(slug.to_ascii_lowercase()),
            Value::Object(profile) => profile
                .get("slug")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            _ => None,
        }
    }

    /// The profile's firmware chip, when it names one.
    pub fn profile_chip(&self) -> Option<String> {
        let Value::Object(profile) = self.first_profile()? else {
            return None;
        };
        profile
            .get("firmware")?
            .get("chip")?
            .as_str()
            .map(String::from)
    }
}
