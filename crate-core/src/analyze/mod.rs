//! What is inside a backup: the partition map, the Tuya KV storage, the device configuration and a
//! ready OpenBeken template and ESPHome YAML, from one call on the file's bytes (dump-analysis.md).

pub mod bytes;
pub mod chip;
pub mod device;
pub mod device_report;
pub mod esphome;
pub mod flash_map;
pub mod openbeken;
pub mod order;
pub mod report;
pub mod storage_report;
pub mod tuya_kv;

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use device::ConfigData;
use device::lookup::truthy;
use openbeken::Levels;
use report::{InputKind, Partition, PartitionKind, Report};
use serde_json::{Map, Value};

/// Choices the user can make; the defaults are the reference's recommendations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Show cloud and Wi-Fi credentials (`gw_bi`, `gw_ai`, `gw_wsm`) instead of `<hidden>`.
    pub reveal_secrets: bool,
    /// How the OpenBeken template treats Tuya's `_lv` keys.
    pub levels: Levels,
}

/// Analyse a flash dump, a storage-only file or a configuration text.
pub fn analyze(bytes: &[u8], options: &Options) -> Report {
    let mut report = Report {
        input: InputKind::Unrecognised,
        size: bytes.len(),
        chip: None,
        partitions: Vec::new(),
        storage: None,
        device: None,
        openbeken: None,
        esphome: None,
        notes: Vec::new(),
    };
    if bytes.is_empty() {
        report.notes.push(String::from("the file is empty"));
        return report;
    }
    if let Some(text) = config_text(bytes) {
        return from_config_text(report, text, options);
    }
    if bytes::is_erased(bytes) {
        report.input = InputKind::Erased;
        report.partitions = vec![whole(
            PartitionKind::Empty,
            bytes.len(),
            "every byte is 0xFF",
        )];
        report.notes.push(String::from(
            "the image is erased flash: there is nothing to analyse",
        ));
        return report;
    }
    from_image(report, bytes, options)
}

/// A JSON object as text (a storage JSON, a raw `user_param_key`, a Cloudcutter profile).
fn config_text(bytes: &[u8]) -> Option<&str> {
    let text = core::str::from_utf8(bytes).ok()?;
    text.trim_start().starts_with('{').then_some(text)
}

fn whole(kind: PartitionKind, len: usize, found_by: &str) -> Partition {
    Partition {
        kind,
        title: kind.title(),
        offset: 0,
        size: len as u32,
        found_by: String::from(found_by),
        details: Vec::new(),
    }
}

fn from_config_text(mut report: Report, text: &str, options: &Options) -> Report {
    report.input = InputKind::ConfigText;
    match ConfigData::from_text(text) {
        Ok(config) => convert(&mut report, &config, "input", options),
        Err(why) => report.notes.push(alloc::format!(
            "the text is not a configuration bkflash knows: {why}"
        )),
    }
    report
}

fn from_image(mut report: Report, bytes: &[u8], options: &Options) -> Report {
    let image: Cow<[u8]> = match flash_map::rotation::unrotate(bytes) {
        Some(flash) => {
            report.input = InputKind::RotatedFullFlash;
            report.notes.push(String::from(
                "the dump starts at flash 0x11000 and wraps around (a read that began after the bootloader); offsets are given after rotating it back",
            ));
            Cow::Owned(flash)
        }
        None => Cow::Borrowed(bytes),
    };
    let facts = flash_map::facts(&image);
    let storage = tuya_kv::read(&image);
    if report.input == InputKind::Unrecognised {
        report.input = match (&facts.bootloader, &storage) {
            (Some(_), _) => InputKind::FullFlash,
            (None, Ok(_)) => InputKind::StorageOnly,
            (None, Err(_)) => InputKind::Unrecognised,
        };
    }
    report.chip = chip::from_flash(&facts);
    let layout = report
        .chip
        .as_ref()
        .map(|c| if c.name == "BK7231N" { "N" } else { "T" });
    report.partitions = flash_map::partitions(&image, &facts, storage.as_ref().ok(), layout);
    let mut values = Map::new();
    match &storage {
        Ok(storage) => {
            values = storage_report::values(storage);
            report.storage = Some(storage_report::report(storage, options.reveal_secrets));
            report.notes.extend(storage_report::notes(storage, &values));
        }
        Err(damaged) => report
            .notes
            .extend(storage_report::missing(damaged, report.input)),
    }
    let mut origin = "storage";
    if !values.contains_key("user_param_key")
        && let Some(text) = facts.app.as_ref().and_then(|a| a.upk_text.as_deref())
        && let Some(upk) = tuya_kv::tuya_json::parse(text)
    {
        values.insert(String::from("user_param_key"), Value::Object(upk));
        origin = "app_code";
        report.notes.push(String::from(
            "user_param_key is not in the storage; the default copy compiled into the app is used",
        ));
    }
    let config = ConfigData::from_storage(values);
    if report.chip.is_none() {
        report.chip = chip::from_config(&config.upk(), &config.data);
    }
    if !config.upk().is_empty() || config.is_tuya_mcu() {
        convert(&mut report, &config, origin, options);
    } else if storage.is_ok() && !config.data.contains_key("user_param_key") {
        report.notes.push(String::from(
            "the storage holds no user_param_key and no TuyaMCU settings: the pins are unknown",
        ));
    }
    report
}

/// The device section, the OpenBeken template and the ESPHome YAML for `config`.
fn convert(report: &mut Report, config: &ConfigData, origin: &'static str, options: &Options) {
    let upk = config.upk();
    let tuya_mcu_baud = config.is_tuya_mcu().then(|| {
        let uart = config.uart_config();
        [uart.get("uart_baud"), uart.get("baud")]
            .into_iter()
            .flatten()
            .find(|v| truthy(Some(v)))
            .cloned()
            .unwrap_or(Value::Null)
    });
    let chip = report.chip.as_ref().map(|c| c.name);
    let template_chip = chip
        .map(String::from)
        .or_else(|| esphome::config_chip_name(config, &upk));
    let template = openbeken::template(
        &upk,
        tuya_mcu_baud.as_ref(),
        template_chip.as_deref(),
        options.levels,
    );
    report.device = Some(device_report::report(
        config,
        &upk,
        origin,
        Some(&template),
        tuya_mcu_baud,
    ));
    report.esphome = Some(esphome::convert(config, chip));
    report.openbeken = Some(template);
}
