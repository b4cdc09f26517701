//! Build the OpenBeken config sector from `Settings`: OpenBeken's own defaults, then the user's
//! Wi-Fi, MQTT, name and template pins, then the signed CRC-8 (docs/dump-analysis.md §1.6).

use super::crc8::tiny_crc8;
use super::error::ConfigError;
use super::layout::{self, PinArrays, Platform};
use super::roles::role_index;
use super::settings::{Settings, Template};
use crate::plan::{Region, SECTOR};
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// OpenBeken's defaults for a fresh config (`CFG_SetDefaultConfig`).
const MQTT_PORT: u16 = 1883;
const MQTT_USER: &str = "homeassistant";
const WEBAPP_ROOT: &str = "https://openbekeniot.github.io/webapp/";
const PING_HOST: &str = "192.168.0.1";
const NTP_SERVER: &str = "217.147.223.78";
const BOOT_OK_SECONDS: u8 = 5;
/// Short, long and hold-repeat button times in 0.1 s.
const BUTTON_TIMES: [u8; 3] = [3, 10, 5];
/// `OBK_FLAG_MQTT_BROADCASTSELFSTATEONCONNECT`, the one flag a fresh config sets.
const DEFAULT_FLAGS: u64 = 1 << 10;
/// Channel numbers OpenBeken has (`CHANNEL_MAX`).
const CHANNELS: u32 = 64;

/// The config sector for `platform`, ready to be written as one more region.
pub fn encode(
    settings: &Settings,
    platform: &Platform,
    mac: Option<[u8; 6]>,
) -> Result<Region, ConfigError> {
    let mut raw = vec![0u8; layout::SIZE];
    raw[..3].copy_from_slice(layout::IDENT);
    raw[layout::VERSION_AT..layout::VERSION_AT + 4].copy_from_slice(&layout::VERSION.to_le_bytes());
    let (short_name, long_name) = names(settings, platform, mac)?;
    let topic = settings
        .mqtt_topic
        .clone()
        .unwrap_or_else(|| short_name.clone());
    let texts: [(&str, (usize, usize), &str); 12] = [
        ("wifi_ssid", layout::WIFI_SSID, &settings.wifi_ssid),
        ("wifi_password", layout::WIFI_PASS, &settings.wifi_password),
        (
            "mqtt_host",
            layout::MQTT_HOST,
            settings.mqtt_host.as_deref().unwrap_or(""),
        ),
        ("mqtt_topic", layout::MQTT_CLIENT_ID, &topic),
        (
            "mqtt_user",
            layout::MQTT_USER,
            settings.mqtt_user.as_deref().unwrap_or(MQTT_USER),
        ),
        (
            "mqtt_password",
            layout::MQTT_PASS,
            settings.mqtt_password.as_deref().unwrap_or(""),
        ),
        ("webapp root", layout::WEBAPP_ROOT, WEBAPP_ROOT),
        ("name", layout::SHORT_NAME, &short_name),
        ("long device name", layout::LONG_NAME, &long_name),
        ("mqtt group", layout::MQTT_GROUP, platform.mqtt_group),
        ("ping host", layout::PING_HOST, PING_HOST),
        ("ntp server", platform.pins.ntp_server(), NTP_SERVER),
    ];
    for (field, place, text) in texts {
        put_text(&mut raw, field, place, text)?;
    }
    let port = settings.mqtt_port.unwrap_or(MQTT_PORT);
    raw[layout::MQTT_PORT..layout::MQTT_PORT + 4].copy_from_slice(&i32::from(port).to_le_bytes());
    raw[layout::BOOT_OK_SECONDS] = BOOT_OK_SECONDS;
    let buttons = platform.pins.button_times();
    raw[buttons..buttons + 3].copy_from_slice(&BUTTON_TIMES);
    let template = settings.template.clone().unwrap_or_default();
    let flags = template
        .flags_value()
        .map_err(ConfigError::Template)?
        .unwrap_or(DEFAULT_FLAGS);
    raw[layout::GENERIC_FLAGS..layout::GENERIC_FLAGS + 4]
        .copy_from_slice(&(flags as u32).to_le_bytes());
    raw[layout::GENERIC_FLAGS2..layout::GENERIC_FLAGS2 + 4]
        .copy_from_slice(&((flags >> 32) as u32).to_le_bytes());
    put_text(
        &mut raw,
        "template command",
        layout::INIT_COMMAND,
        template.command.as_deref().unwrap_or(""),
    )?;
    put_pins(&mut raw, &template, platform)?;
    raw[layout::CRC] = tiny_crc8(&raw[layout::VERSION_AT..]);
    // OpenBeken erases the sector and writes only the struct: the rest of the sector stays erased.
    let mut data = raw;
    data.resize(SECTOR as usize, 0xFF);
    Ok(Region {
        offset: platform.offset,
        data,
    })
}

/// The short and long device names: the user's, or OpenBeken's own MAC-based defaults.
fn names(
    settings: &Settings,
    platform: &Platform,
    mac: Option<[u8; 6]>,
) -> Result<(String, String), ConfigError> {
    if let Some(name) = settings.name.as_ref().filter(|n| !n.is_empty()) {
        return Ok((name.clone(), name.clone()));
    }
    let mac = mac.ok_or(ConfigError::NoName)?;
    let suffix: String = mac[2..].iter().map(|b| format!("{b:02X}")).collect();
    Ok((
        format!("obk{suffix}"),
        format!("{}_{suffix}", platform.long_name_prefix),
    ))
}

fn put_text(
    raw: &mut [u8],
    field: &'static str,
    (at, capacity): (usize, usize),
    text: &str,
) -> Result<(), ConfigError> {
    let bytes = text.as_bytes();
    if bytes.len() >= capacity {
        return Err(ConfigError::TooLong {
            field,
            max: capacity - 1,
        });
    }
    if bytes.contains(&0) {
        return Err(ConfigError::NulInText { field });
    }
    raw[at..at + bytes.len()].copy_from_slice(bytes);
    Ok(())
}

/// One `"Role;channel[;channel2]"` entry of a template.
struct PinSpec {
    gpio: usize,
    role: u8,
    channel: u8,
    channel2: u8,
}

fn put_pins(raw: &mut [u8], template: &Template, platform: &Platform) -> Result<(), ConfigError> {
    let pins: PinArrays = platform.pins;
    for (gpio, spec) in &template.pins {
        let pin = parse_pin(gpio, spec, platform)?;
        raw[pins.roles() + pin.gpio] = pin.role;
        raw[pins.channels() + pin.gpio] = pin.channel;
        raw[pins.channels2() + pin.gpio] = pin.channel2;
    }
    Ok(())
}

fn parse_pin(gpio: &str, spec: &str, platform: &Platform) -> Result<PinSpec, ConfigError> {
    let bad = |why: String| ConfigError::BadPin {
        pin: String::from(gpio),
        why,
    };
    let number: usize = gpio
        .trim()
        .parse()
        .map_err(|_| bad(String::from("the pin is not a GPIO number")))?;
    if number >= platform.gpio_count {
        return Err(bad(format!(
            "{} has GPIOs 0 to {}",
            platform.family.name(),
            platform.gpio_count - 1
        )));
    }
    let parts: Vec<&str> = spec.split(';').map(str::trim).collect();
    if parts.len() > 3 {
        return Err(bad(format!("'{spec}' has more than role;channel;channel2")));
    }
    let role = role_index(parts[0])
        .ok_or_else(|| bad(format!("'{}' is not an OpenBeken pin role", parts[0])))?;
    let channel = |i: usize| -> Result<u8, ConfigError> {
        match parts.get(i).filter(|p| !p.is_empty()) {
            None => Ok(0),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|&c| c < CHANNELS)
                .map(|c| c as u8)
                .ok_or_else(|| bad(format!("channel '{text}' is not 0 to {}", CHANNELS - 1))),
        }
    };
    Ok(PinSpec {
        gpio: number,
        role,
        channel: channel(1)?,
        channel2: channel(2)?,
    })
}
