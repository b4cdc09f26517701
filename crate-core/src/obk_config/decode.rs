//! Read an OpenBeken config sector back: check the mark, the layout version and the signed CRC-8,
//! then the fields bkflash writes (a backup's config, or a check of what is about to be written).

use super::crc8::tiny_crc8;
use super::error::DecodeError;
use super::layout::{self, PinArrays};
use super::roles::role_name;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

/// One GPIO with a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PinSetting {
    pub gpio: usize,
    pub role: u8,
    /// OpenBeken's name for the role, or `unknown role N` for a number it does not define.
    pub role_name: String,
    pub channel: u8,
    pub channel2: u8,
}

/// The fields of a valid config. Passwords are kept so a caller can compare; reports hide them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub version: i32,
    pub flags: u64,
    pub wifi_ssid: String,
    pub wifi_password: String,
    pub mqtt_host: String,
    pub mqtt_port: i32,
    pub mqtt_topic: String,
    pub mqtt_user: String,
    pub mqtt_password: String,
    pub short_name: String,
    pub long_name: String,
    pub pins: Vec<PinSetting>,
    pub command: String,
}

fn le32(raw: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]])
}

fn text(raw: &[u8], (at, capacity): (usize, usize)) -> String {
    let field = &raw[at..at + capacity];
    let end = field.iter().position(|&b| b == 0).unwrap_or(capacity);
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Check and decode a config sector written by a Beken build (signed CRC-8).
pub fn decode(sector: &[u8], pins: PinArrays) -> Result<Decoded, DecodeError> {
    if sector.len() < layout::SIZE {
        return Err(DecodeError::TooShort);
    }
    if &sector[..3] != layout::IDENT {
        return Err(DecodeError::NotAConfig);
    }
    let version = le32(sector, layout::VERSION_AT) as i32;
    if !(1..=layout::NEWEST_KNOWN_VERSION).contains(&version) {
        return Err(DecodeError::UnknownVersion(version));
    }
    let size = layout::crc_size(version);
    let computed = tiny_crc8(&sector[layout::VERSION_AT..size]);
    let stored = sector[layout::CRC];
    if computed != stored {
        return Err(DecodeError::CrcMismatch { stored, computed });
    }
    let pin_settings = (0..pins.entries)
        .filter(|&gpio| sector[pins.roles() + gpio] != 0)
        .map(|gpio| {
            let role = sector[pins.roles() + gpio];
            PinSetting {
                gpio,
                role,
                role_name: role_name(role)
                    .map_or_else(|| format!("unknown role {role}"), String::from),
                channel: sector[pins.channels() + gpio],
                channel2: sector[pins.channels2() + gpio],
            }
        })
        .collect();
    Ok(Decoded {
        version,
        flags: u64::from(le32(sector, layout::GENERIC_FLAGS))
            | (u64::from(le32(sector, layout::GENERIC_FLAGS2)) << 32),
        wifi_ssid: text(sector, layout::WIFI_SSID),
        wifi_password: text(sector, layout::WIFI_PASS),
        mqtt_host: text(sector, layout::MQTT_HOST),
        mqtt_port: le32(sector, layout::MQTT_PORT) as i32,
        mqtt_topic: text(sector, layout::MQTT_CLIENT_ID),
        mqtt_user: text(sector, layout::MQTT_USER),
        mqtt_password: text(sector, layout::MQTT_PASS),
        short_name: text(sector, layout::SHORT_NAME),
        long_name: text(sector, layout::LONG_NAME),
        pins: pin_settings,
        command: text(sector, layout::INIT_COMMAND),
    })
}
