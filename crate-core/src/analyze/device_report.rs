//! The device section of the report: each configuration key classified (mapped, informational,
//! unknown) through the key table, and a pin table joining the Tuya meaning with the OpenBeken role.

use super::device::keys::{KeyClass, channel_of, classify, matches};
use super::device::lookup::{as_int, get, gpio};
use super::device::{ConfigData, SourceKind};
use super::openbeken::Template;
use super::report::{DeviceReport, PinUse};
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

/// Pin keys the ESPHome converter turns into components (UPK2ESPHome's parts).
const ESPHOME_PINS: &[&str] = &[
    "rl{n}_pin",
    "rl_on{n}_pin",
    "rl_off{n}_pin",
    "led{n}_pin",
    "bt{n}_pin",
    "onoff{n}",
    "total_bt_pin",
    "key_pin",
    "k{n}pin_pin",
    "netled_pin",
    "netled1_pin",
    "wfst_pin",
    "r_pin",
    "g_pin",
    "b_pin",
    "c_pin",
    "w_pin",
    "iicscl",
    "iicsda",
    "ele_pin",
    "vi_pin",
    "sel_pin_pin",
    "ele_rx",
    "ele_tx",
    "ir",
    "infrr",
    "infre",
];

/// Whether a converter uses the pin key (the OpenBeken template or the ESPHome YAML).
fn converted(key: &str, template: Option<&Template>) -> bool {
    ESPHOME_PINS.iter().any(|p| matches(p, key))
        || template.is_some_and(|t| {
            t.pins.iter().any(|p| p.key == key) || t.command_keys.iter().any(|k| k == key)
        })
}

fn level_key(key: &str) -> String {
    match key.strip_suffix("_pin") {
        Some(base) => alloc::format!("{base}_lv"),
        None => alloc::format!("{key}_lv"),
    }
}

fn pins(upk: &Map<String, Value>, template: Option<&Template>) -> Vec<PinUse> {
    upk.iter()
        .filter_map(|(key, value)| match classify(key) {
            Some(KeyClass::Pin(function)) => Some((key, value, function)),
            _ => None,
        })
        .map(|(key, value, function)| {
            let function = match channel_of(key) {
                Some(n) => function.replace("{n}", n),
                None => String::from(function),
            };
            let active = match as_int(get(upk, &level_key(key))) {
                Some(1) => Some("high"),
                Some(0) => Some("low"),
                _ => None,
            };
            let openbeken = template
                .and_then(|t| t.pins.iter().find(|p| p.key == *key))
                .map(|p| alloc::format!("{};{}", p.role, p.channel));
            PinUse {
                gpio: gpio(Some(value)),
                key: key.clone(),
                function,
                active,
                openbeken,
            }
        })
        .collect()
}

pub fn report(
    config: &ConfigData,
    upk: &Map<String, Value>,
    origin: &'static str,
    template: Option<&Template>,
    tuya_mcu_baud: Option<Value>,
) -> DeviceReport {
    let mut mapped = Vec::new();
    let mut informational = Vec::new();
    let mut unknown = Vec::new();
    for key in upk.keys() {
        let pin_of_level = |base: &str| {
            upk.keys()
                .any(|k| level_key(k) == base && converted(k, template))
        };
        match classify(key) {
            Some(KeyClass::Pin(_)) if converted(key, template) => mapped.push(key.clone()),
            Some(KeyClass::Level) if pin_of_level(key) => mapped.push(key.clone()),
            Some(KeyClass::Setting(_)) => mapped.push(key.clone()),
            Some(_) => informational.push(key.clone()),
            None => unknown.push(key.clone()),
        }
    }
    DeviceReport {
        origin,
        format: if origin == "input" {
            config.kind
        } else {
            SourceKind::Dump
        },
        module: get(upk, "module").and_then(Value::as_str).map(String::from),
        config: Value::Object(upk.clone()),
        pins: pins(upk, template),
        mapped_keys: mapped,
        informational_keys: informational,
        unknown_keys: unknown,
        tuya_mcu_baud,
    }
}
