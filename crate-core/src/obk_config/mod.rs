//! The OpenBeken config partition ("configured on first boot"): where it lives per chip, how it is
//! laid out and checked (signed CRC-8), built from the user's settings and decoded from a backup.

pub mod crc8;
pub mod decode;
pub mod encode;
pub mod error;
pub mod layout;
pub mod roles;
pub mod settings;

pub use decode::{Decoded, PinSetting, decode};
pub use error::{ConfigError, DecodeError};
pub use settings::{Settings, Template};

use crate::chips::ChipFamily;
use crate::plan::Region;

/// The config sector to write after an OpenBeken image on `family`: one more flash region.
pub fn config_region(
    settings: &Settings,
    family: Option<ChipFamily>,
    mac: Option<[u8; 6]>,
) -> Result<Region, ConfigError> {
    let family = family.ok_or(ConfigError::UnknownChip)?;
    let platform = layout::platform(family).ok_or(ConfigError::UnsupportedChip(family.name()))?;
    encode::encode(settings, platform, mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn plug_settings() -> Settings {
        Settings::from_json(
            r#"{"wifi_ssid":"home","wifi_password":"hunter22","mqtt_host":"192.168.1.10","mqtt_user":"ha",
                "mqtt_password":"pw","mqtt_topic":"plug1","name":"kitchen-plug",
                "template":{"pins":{"26":"Rel;1","10":"Btn;1","8":"WifiLED_n;0","6":"LED_n;1;2"},"command":"PWMFrequency 1000"}}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_written_config_decodes_to_the_settings() {
        let region = config_region(&plug_settings(), Some(ChipFamily::Bk7231N), None).unwrap();
        assert_eq!(region.offset, 0x1D_1000);
        assert_eq!(region.data.len(), 0x1000);
        assert!(region.data[layout::SIZE..].iter().all(|&b| b == 0xFF));
        let back = decode(&region.data, layout::PinArrays { entries: 32 }).unwrap();
        assert_eq!(back.version, 5);
        assert_eq!(
            (back.wifi_ssid.as_str(), back.wifi_password.as_str()),
            ("home", "hunter22")
        );
        assert_eq!(
            (back.mqtt_host.as_str(), back.mqtt_port),
            ("192.168.1.10", 1883)
        );
        assert_eq!(
            (back.mqtt_topic.as_str(), back.mqtt_user.as_str()),
            ("plug1", "ha")
        );
        assert_eq!(back.short_name, "kitchen-plug");
        assert_eq!(back.flags, 1 << 10);
        assert_eq!(back.command, "PWMFrequency 1000");
        let pins: alloc::vec::Vec<(usize, &str, u8, u8)> = back
            .pins
            .iter()
            .map(|p| (p.gpio, p.role_name.as_str(), p.channel, p.channel2))
            .collect();
        assert_eq!(
            pins,
            [
                (6, "LED_n", 1, 2),
                (8, "WifiLED_n", 0, 0),
                (10, "Btn", 1, 0),
                (26, "Rel", 1, 0)
            ]
        );
    }

    #[test]
    fn location_and_pin_width_follow_the_chip() {
        let t = config_region(&plug_settings(), Some(ChipFamily::Bk7231T), None).unwrap();
        assert_eq!(t.offset, 0x1E_1000);
        let wide = config_region(&plug_settings(), Some(ChipFamily::Bk7252), None).unwrap();
        assert_eq!(wide.offset, 0x1E_1000);
        let back = decode(&wide.data, layout::PinArrays { entries: 48 }).unwrap();
        assert_eq!(back.pins.len(), 4);
        assert_eq!(
            config_region(&plug_settings(), Some(ChipFamily::Bk7231Q), None),
            Err(ConfigError::UnsupportedChip("BK7231Q"))
        );
        assert_eq!(
            config_region(&plug_settings(), None, None),
            Err(ConfigError::UnknownChip)
        );
    }

    #[test]
    fn default_names_come_from_the_mac_like_openbeken_makes_them() {
        let mut settings = plug_settings();
        settings.name = None;
        settings.mqtt_topic = None;
        let mac = [0xC8, 0x47, 0x8C, 0x12, 0xAB, 0x09];
        let region = config_region(&settings, Some(ChipFamily::Bk7231N), Some(mac)).unwrap();
        let back = decode(&region.data, layout::PinArrays { entries: 32 }).unwrap();
        assert_eq!(back.short_name, "obk8C12AB09");
        assert_eq!(back.long_name, "OpenBK7231N_8C12AB09");
        assert_eq!(back.mqtt_topic, "obk8C12AB09");
        assert_eq!(
            config_region(&settings, Some(ChipFamily::Bk7231N), None),
            Err(ConfigError::NoName)
        );
    }

    #[test]
    fn a_wrong_crc_or_layout_version_is_refused() {
        let region = config_region(&plug_settings(), Some(ChipFamily::Bk7231T), None).unwrap();
        let pins = layout::PinArrays { entries: 32 };
        let mut bad_crc = region.data.clone();
        bad_crc[layout::WIFI_SSID.0] ^= 0x20;
        assert!(matches!(
            decode(&bad_crc, pins),
            Err(DecodeError::CrcMismatch { .. })
        ));
        let mut future = region.data.clone();
        future[layout::VERSION_AT] = 6;
        assert_eq!(decode(&future, pins), Err(DecodeError::UnknownVersion(6)));
        let mut not_cfg = region.data.clone();
        not_cfg[0] = b'X';
        assert_eq!(decode(&not_cfg, pins), Err(DecodeError::NotAConfig));
        assert_eq!(
            decode(&region.data[..100], pins),
            Err(DecodeError::TooShort)
        );
    }

    #[test]
    fn bad_settings_are_refused_without_showing_secrets() {
        let mut settings = plug_settings();
        settings.wifi_password = "x".repeat(64);
        let error = config_region(&settings, Some(ChipFamily::Bk7231N), None).unwrap_err();
        assert_eq!(
            error,
            ConfigError::TooLong {
                field: "wifi_password",
                max: 63
            }
        );
        assert!(!alloc::format!("{error}").contains("xxxx"));
        let mut settings = plug_settings();
        let pins = &mut settings.template.as_mut().unwrap().pins;
        pins.insert(String::from("29"), String::from("Rel;2"));
        let error = config_region(&settings, Some(ChipFamily::Bk7231N), None).unwrap_err();
        assert!(
            alloc::format!("{error}").contains("GPIOs 0 to 28"),
            "{error}"
        );
        let mut settings = plug_settings();
        let pins = &mut settings.template.as_mut().unwrap().pins;
        pins.insert(String::from("7"), String::from("Teleport;1"));
        assert!(
            alloc::format!(
                "{}",
                config_region(&settings, Some(ChipFamily::Bk7231N), None).unwrap_err()
            )
            .contains("'Teleport' is not an OpenBeken pin role")
        );
        let mut settings = plug_settings();
        let pins = &mut settings.template.as_mut().unwrap().pins;
        pins.insert(String::from("7"), String::from("PWM;64"));
        assert!(config_region(&settings, Some(ChipFamily::Bk7231N), None).is_err());
    }
}
