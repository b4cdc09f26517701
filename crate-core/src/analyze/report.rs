//! What `analyze` returns: one serialisable report (the CLI prints it as JSON, the page renders it)
//! with the partition map, the storage, the device configuration and the generated setups.

use super::device::SourceKind;
use super::esphome::Esphome;
use super::openbeken::Template;
use super::tuya_kv::value::Encoding;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A flash image from address 0 (2 or 4 MiB, or shorter).
    FullFlash,
    /// A full dump that started at 0x11000 and wrapped; offsets below are after rotating it back.
    RotatedFullFlash,
    /// Just the Tuya KV storage (key sector first), offsets are file offsets.
    StorageOnly,
    /// Every byte is 0xFF.
    Erased,
    /// A JSON text: bk7231tools storage JSON, a raw `user_param_key` or a Cloudcutter profile.
    ConfigText,
    /// Neither a flash image nor a storage nor a configuration bkflash recognises.
    Unrecognised,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionKind {
    Bootloader,
    App,
    Ota,
    RfCalibration,
    OpenbekenConfig,
    TuyaFileArea,
    TuyaKvProtected,
    TuyaKvKey,
    TuyaKvData,
    TuyaKvSwap,
    /// Erased sectors no partition claims.
    Empty,
    /// Sectors with data bkflash does not recognise.
    Unknown,
}

impl PartitionKind {
    pub fn title(self) -> &'static str {
        match self {
            PartitionKind::Bootloader => "bootloader",
            PartitionKind::App => "app",
            PartitionKind::Ota => "OTA download",
            PartitionKind::RfCalibration => "RF calibration",
            PartitionKind::OpenbekenConfig => "OpenBeken config",
            PartitionKind::TuyaFileArea => "Tuya file area",
            PartitionKind::TuyaKvProtected => "Tuya KV protected sector",
            PartitionKind::TuyaKvKey => "Tuya KV key sector",
            PartitionKind::TuyaKvData => "Tuya KV data",
            PartitionKind::TuyaKvSwap => "Tuya KV swap",
            PartitionKind::Empty => "empty (erased)",
            PartitionKind::Unknown => "unknown data",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Partition {
    pub kind: PartitionKind,
    pub title: &'static str,
    pub offset: u32,
    pub size: u32,
    /// How it was recognised.
    pub found_by: String,
    pub details: Vec<Detail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chip {
    pub name: &'static str,
    /// `bootloader_crc`, `fal_download_offset`, `rf_calibration_offset`, `module_name`, `em_sys_env` or `tuya_mcu_key`.
    pub method: &'static str,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectorReport {
    pub offset: u32,
    /// `current`, `replaced`, `erased` or `skipped` (damaged or not a data block).
    pub status: &'static str,
    pub block: Option<u16>,
    pub generation: Option<u32>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyReport {
    pub name: String,
    pub block: u16,
    pub length: usize,
    pub encoding: Encoding,
    /// The decoded value; `"<hidden>"` for secrets unless they were asked for.
    pub value: Value,
    pub secret: bool,
    pub sum_ok: bool,
    /// bk7231tools 2.1.2 would show the same value (its 32 KiB window, first copy of each block).
    pub bk7231tools_sees: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StorageReport {
    pub key_sector: u32,
    pub protected_sectors: Vec<u32>,
    pub other_key_sectors: Vec<u32>,
    pub sectors: Vec<SectorReport>,
    pub keys: Vec<KeyReport>,
    pub problems: Vec<String>,
    /// bk7231tools 2.1.2 would stop with an error on this storage.
    pub bk7231tools_fails: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PinUse {
    pub gpio: Option<u8>,
    pub key: String,
    /// What the key says the pin does.
    pub function: String,
    /// From the key's `_lv`: `high`, `low`, or `None` when the config does not say.
    pub active: Option<&'static str>,
    /// The OpenBeken template's role for the pin, if it has one.
    pub openbeken: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceReport {
    /// `storage`, `app_code` or `input`.
    pub origin: &'static str,
    pub format: SourceKind,
    pub module: Option<String>,
    /// `user_param_key` with typed values (the old nested format already flattened).
    pub config: Value,
    pub pins: Vec<PinUse>,
    /// Keys a converter uses (pins, levels, settings).
    pub mapped_keys: Vec<String>,
    /// Keys whose meaning is known but that nothing converts.
    pub informational_keys: Vec<String>,
    /// Keys whose meaning bkflash does not know: shown, never guessed.
    pub unknown_keys: Vec<String>,
    pub tuya_mcu_baud: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub input: InputKind,
    pub size: usize,
    pub chip: Option<Chip>,
    pub partitions: Vec<Partition>,
    pub storage: Option<StorageReport>,
    pub device: Option<DeviceReport>,
    pub openbeken: Option<Template>,
    pub esphome: Option<Esphome>,
    /// Things the user should know that fit nowhere above.
    pub notes: Vec<String>,
}
