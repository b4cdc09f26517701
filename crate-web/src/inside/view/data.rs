//! The analysis as the panel needs it, made from the core's report (what `bkflash analyze --json`
//! prints) plus the two files the CLI writes with `--openbeken` and `--esphome`.

use bkflash_core::analyze::report::Report;
use serde_json::Value;

/// A region of the flash and how it was recognised.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// The report's kind (`bootloader`, `tuya_kv_data`, …), also the region's colour.
    pub kind: String,
    pub title: String,
    pub offset: u32,
    pub size: u32,
    pub found_by: String,
    pub details: Vec<(String, String)>,
}

/// A pin the device configuration names.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub gpio: Option<u32>,
    /// The configuration key (`rl1_pin`).
    pub key: String,
    /// What the key says the pin does (`relay 1`).
    pub function: String,
    /// `high`, `low`, or `None` when the config does not say.
    pub active: Option<String>,
    /// The OpenBeken role and channel (`Rel`, `1`).
    pub role: Option<(String, String)>,
}

/// Everything the panel shows about one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub name: String,
    /// The report's input kind (`full_flash`, `unrecognised`, …).
    pub input: String,
    pub size: u64,
    /// Chip name and the evidence that named it.
    pub chip: Option<(String, String)>,
    pub regions: Vec<Region>,
    pub module: Option<String>,
    /// `storage`, `app_code` or `input`: where the device configuration came from.
    pub origin: Option<String>,
    pub pins: Vec<Pin>,
    /// Keys a converter uses, with their values.
    pub mapped: Vec<(String, String)>,
    /// Keys whose meaning is known but that nothing converts.
    pub informational: Vec<(String, String)>,
    /// Keys bkflash does not know: shown with their values, never guessed.
    pub unknown: Vec<(String, String)>,
    /// The OpenBeken template as `bkflash analyze --openbeken` writes it.
    pub openbeken: Option<String>,
    /// The ESPHome YAML as `bkflash analyze --esphome` writes it.
    pub esphome: Option<String>,
    /// Why there is no YAML although there is a device configuration.
    pub esphome_error: Option<String>,
    pub notes: Vec<String>,
}

/// A serialised enum's name (`full_flash`), the same word the CLI's JSON uses.
fn code(value: serde_json::Result<Value>) -> String {
    match value {
        Ok(Value::String(text)) => text,
        _ => String::new(),
    }
}

/// A string as it is, anything else as JSON text.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Each key of `keys` with its value in `config`.
fn with_values(config: &Value, keys: &[String]) -> Vec<(String, String)> {
    keys.iter()
        .map(|key| (key.clone(), config.get(key).map(shown).unwrap_or_default()))
        .collect()
}

impl Analysis {
    /// The panel's view of `report` for the file `name`.
    pub fn new(name: String, report: &Report) -> Self {
        let device = report.device.as_ref();
        let config = device.map_or(Value::Null, |d| d.config.clone());
        let keys = |pick: fn(&bkflash_core::analyze::report::DeviceReport) -> &Vec<String>| {
            device.map_or_else(Vec::new, |d| with_values(&config, pick(d)))
        };
        let mut notes = report.notes.clone();
        if let Some(template) = &report.openbeken {
            notes.extend(template.notes.iter().cloned());
        }
        if let Some(esphome) = &report.esphome {
            notes.extend(esphome.warnings.iter().cloned());
        }
        Self {
            name,
            input: code(serde_json::to_value(report.input)),
            size: report.size as u64,
            chip: report
                .chip
                .as_ref()
                .map(|c| (String::from(c.name), c.evidence.clone())),
            regions: report
                .partitions
                .iter()
                .map(|p| Region {
                    kind: code(serde_json::to_value(p.kind)),
                    title: String::from(p.title),
                    offset: p.offset,
                    size: p.size,
                    found_by: p.found_by.clone(),
                    details: p
                        .details
                        .iter()
                        .map(|d| (d.label.clone(), d.value.clone()))
                        .collect(),
                })
                .collect(),
            module: device.and_then(|d| d.module.clone()),
            origin: device.map(|d| String::from(d.origin)),
            pins: device.map_or_else(Vec::new, |d| {
                d.pins
                    .iter()
                    .map(|p| Pin {
                        gpio: p.gpio.map(u32::from),
                        key: p.key.clone(),
                        function: p.function.clone(),
                        active: p.active.map(String::from),
                        role: p.openbeken.as_ref().map(|role| match role.split_once(';') {
                            Some((name, channel)) => (name.to_owned(), channel.to_owned()),
                            None => (role.clone(), String::new()),
                        }),
                    })
                    .collect()
            }),
            mapped: keys(|d| &d.mapped_keys),
            informational: keys(|d| &d.informational_keys),
            unknown: keys(|d| &d.unknown_keys),
            openbeken: report.openbeken.as_ref().map(|template| {
                let text =
                    serde_json::to_string_pretty(&template.json).expect("the template serialises");
                format!("{text}\n")
            }),
            esphome: report.esphome.as_ref().and_then(|e| e.yaml.clone()),
            esphome_error: report.esphome.as_ref().and_then(|e| e.error.clone()),
            notes,
        }
    }

    /// Nothing in the file was recognised: no partition, no storage, no configuration.
    pub fn recognised_nothing(&self) -> bool {
        self.input == "unrecognised" && self.pins.is_empty() && self.openbeken.is_none()
    }
}
