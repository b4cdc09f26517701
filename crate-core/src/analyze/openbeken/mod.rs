//! The OpenBeken template (device-database JSON: `pins` as `"Role;channel"`) from a device
//! configuration, with the startup commands Easy Flasher derives; every choice is reported.

pub mod rules;

use crate::analyze::device::lookup::{as_int, equals, get, gpio, py_str};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use rules::{CURRENTS, Channel, LED_DRIVERS, POLARITIES, Pick, RULES, Source};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// How to treat Tuya's `_lv` (active level) keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Levels {
    /// Ignore them like the OpenBeken tools do (the reference's default); disagreements are noted.
    #[default]
    AsOpenBekenTools,
    /// Use the `_n` role where `_lv` says the pin is active at the other level.
    Honour,
}

/// One pin of the template and the key it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PinRole {
    pub gpio: u8,
    pub role: String,
    pub channel: u8,
    pub key: String,
    pub source: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    /// The template JSON, ready for OpenBeken's importer or `--obk-config`.
    pub json: Value,
    pub pins: Vec<PinRole>,
    /// Keys used for the startup command (drivers, currents, PWM frequency, TuyaMCU).
    pub command_keys: Vec<String>,
    /// Decisions a user should know about (overwrites, levels, unsupported parts).
    pub notes: Vec<String>,
}

const MAX_CHANNEL_KEY: usize = 9;

/// Every key a rule matches, with the channel it gives.
fn rule_keys(rule: &rules::Rule) -> Vec<(String, u8)> {
    match rule.key.split_once("{n}") {
        None => alloc::vec![(String::from(rule.key), fixed(rule.channel))],
        Some((prefix, suffix)) => (0..=MAX_CHANNEL_KEY)
            .map(|n| (format!("{prefix}{n}{suffix}"), n as u8))
            .collect(),
    }
}

fn fixed(channel: Channel) -> u8 {
    match channel {
        Channel::Fixed(c) => c,
        Channel::FromKey => 0,
    }
}

fn level_key(key: &str) -> String {
    key.strip_suffix("_pin")
        .map_or_else(|| format!("{key}_lv"), |base| format!("{base}_lv"))
}

struct Pins {
    by_gpio: BTreeMap<u8, PinRole>,
    notes: Vec<String>,
}

impl Pins {
    fn set(&mut self, gpio: u8, role: &str, channel: u8, key: &str, source: Source) {
        let source = match source {
            Source::WebApp => "web app",
            Source::EasyFlasher => "Easy Flasher",
        };
        let new = PinRole {
            gpio,
            role: String::from(role),
            channel,
            key: String::from(key),
            source,
        };
        if let Some(old) = self.by_gpio.insert(gpio, new) {
            self.notes.push(format!("P{gpio} is named by both {} and {key}; the template keeps {key}, as the web app does", old.key));
        }
    }
}

/// The role after applying (or only noting) the key's `_lv`.
fn polar_role(
    upk: &Map<String, Value>,
    key: &str,
    role: &'static str,
    levels: Levels,
    notes: &mut Vec<String>,
) -> &'static str {
    let Some(polarity) = POLARITIES.iter().find(|p| p.role == role) else {
        return role;
    };
    let lv_key = level_key(key);
    let Some(level) = as_int(get(upk, &lv_key)) else {
        return role;
    };
    if level == polarity.level {
        return role;
    }
    match levels {
        Levels::Honour => polarity.inverse,
        Levels::AsOpenBekenTools => {
            notes.push(format!(
                "{lv_key}={level}: the pin is active at the other level than {role} assumes; the template keeps {role} as the OpenBeken tools do ({} if the device misbehaves)",
                polarity.inverse
            ));
            role
        }
    }
}

/// Build the template; `chip` and `board` fill the descriptive fields.
pub fn template(
    upk: &Map<String, Value>,
    tuya_mcu_baud: Option<&Value>,
    chip: Option<&str>,
    levels: Levels,
) -> Template {
    let mut pins = Pins {
        by_gpio: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut commands: Vec<String> = Vec::new();
    let mut command_keys: Vec<String> = Vec::new();
    let chip_type = as_int(get(upk, "chip_type"));
    let uart_meter = matches!(chip_type, Some(2 | 3));
    for rule in RULES {
        for (key, channel_from_key) in rule_keys(rule) {
            let Some(value) = get(upk, &key) else {
                continue;
            };
            if uart_meter && matches!(rule.role, "BL0937CF" | "BL0937CF1" | "BL0937SEL") {
                pins.notes.push(format!(
                    "{key} is ignored: chip_type {} is a UART power meter, not BL0937",
                    chip_type.unwrap_or(0)
                ));
                continue;
            }
            let Some(gpio_number) = gpio(Some(value)) else {
                pins.notes.push(format!(
                    "{key}={} is not a GPIO number; it is left out",
                    py_str(Some(value))
                ));
                continue;
            };
            let channel = match rule.channel {
                Channel::Fixed(c) => c,
                Channel::FromKey => channel_from_key,
            };
            let role = polar_role(upk, &key, rule.role, levels, &mut pins.notes);
            pins.set(gpio_number, role, channel, &key, rule.source);
        }
    }
    led_driver(upk, &mut pins, &mut commands, &mut command_keys);
    if equals(get(upk, "cwtype"), 1) {
        pins.notes.push(String::from(
            "cwtype=1: the cold/warm channels are brightness and colour temperature; OpenBeken may need its alternate CW mode (flag 8)",
        ));
    }
    match chip_type {
        Some(3) => {
            commands.push(String::from("startDriver BL0942"));
            command_keys.push(String::from("chip_type"));
        }
        Some(2) => pins.notes.push(String::from("chip_type 2 (HLW8032) has no OpenBeken mapping in the reference; the power meter is left out")),
        _ => {}
    }
    if let Some(hz) = as_int(get(upk, "pwmhz")) {
        commands.push(format!("PWMFrequency {hz}"));
        command_keys.push(String::from("pwmhz"));
    }
    if let Some(baud) = tuya_mcu_baud {
        commands.push(String::from("startDriver TuyaMCU"));
        if let Some(baud) = as_int(Some(baud)) {
            commands.push(format!("tuyaMcu_setBaudRate {baud}"));
        }
        pins.notes.push(String::from("TuyaMCU: the data points (which channel is which) are not in the dump; map them with linkTuyaMCUOutputToChannel"));
    }
    let command = match commands.len() {
        0 => String::new(),
        1 => commands.remove(0),
        _ => format!("backlog {}", commands.join("; ")),
    };
    let mut pins_json = Map::new();
    for p in pins.by_gpio.values() {
        pins_json.insert(
            p.gpio.to_string(),
            Value::String(format!("{};{}", p.role, p.channel)),
        );
    }
    let board = get(upk, "module")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let json = json!({
        "vendor": "Tuya",
        "bDetailed": "0",
        "name": "unknown",
        "model": "unknown",
        "chip": chip.unwrap_or("unknown"),
        "board": board,
        "keywords": [],
        "pins": pins_json,
        "command": command,
        "image": "",
        "wiki": "",
    });
    Template {
        json,
        pins: pins.by_gpio.into_values().collect(),
        command_keys,
        notes: pins.notes,
    }
}

fn pick(upk: &Map<String, Value>, keys: &[&str], how: Pick) -> Option<i64> {
    let mut values = keys.iter().filter_map(|k| as_int(get(upk, k)));
    match how {
        Pick::First => values.next(),
        Pick::Largest => values.max(),
    }
}

/// The I2C LED driver's pins, `LED_Map` and current command (web app pins, Easy Flasher commands).
fn led_driver(
    upk: &Map<String, Value>,
    pins: &mut Pins,
    commands: &mut Vec<String>,
    command_keys: &mut Vec<String>,
) {
    let (Some(scl), Some(sda)) = (gpio(get(upk, "iicscl")), gpio(get(upk, "iicsda"))) else {
        return;
    };
    let Some(&(_, prefix, driver)) = LED_DRIVERS
        .iter()
        .find(|(keys, ..)| keys.iter().any(|k| upk.contains_key(*k)))
    else {
        pins.notes.push(String::from("iicscl/iicsda name an I2C LED driver, but no current key says which chip it is; its pins are left out"));
        return;
    };
    let source = if driver == "KP18058" {
        Source::EasyFlasher
    } else {
        Source::WebApp
    };
    pins.set(sda, &format!("{prefix}DAT"), 0, "iicsda", source);
    pins.set(scl, &format!("{prefix}CLK"), 0, "iicscl", source);
    let map: Option<Vec<i64>> = ["iicr", "iicg", "iicb", "iicc", "iicw"]
        .iter()
        .map(|k| as_int(get(upk, k)))
        .collect();
    match map {
        Some(map) => {
            let text: Vec<String> = map.iter().map(i64::to_string).collect();
            commands.push(format!("LED_Map {}", text.join(" ")));
            command_keys.extend(["iicr", "iicg", "iicb", "iicc", "iicw"].map(String::from));
        }
        None => pins.notes.push(String::from(
            "not all of iicr/iicg/iicb/iicc/iicw are numbers: no LED_Map command",
        )),
    }
    if let Some(&(_, colour, white, how)) = CURRENTS.iter().find(|(d, ..)| *d == driver) {
        match (pick(upk, colour, Pick::First), pick(upk, white, how)) {
            (Some(c), Some(w)) => {
                commands.push(format!("{driver}_Current {c} {w}"));
                command_keys.extend(
                    colour
                        .iter()
                        .chain(white.iter())
                        .filter(|k| upk.contains_key(**k))
                        .map(|k| String::from(*k)),
                );
            }
            _ => pins.notes.push(format!(
                "{driver} currents are incomplete in the config: no {driver}_Current command"
            )),
        }
    }
}
