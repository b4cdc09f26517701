//! What the user asks to be configured on first boot, read from a JSON file (`--obk-config`):
//! Wi-Fi, optional MQTT, a device name and an OpenBeken template whose pins are applied.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;
use serde::Deserialize;
use serde_json::Value;

/// The settings file. Unknown keys are refused so a typo cannot silently drop a setting.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub wifi_ssid: String,
    /// Empty for an open network.
    #[serde(default)]
    pub wifi_password: String,
    pub mqtt_host: Option<String>,
    pub mqtt_port: Option<u16>,
    pub mqtt_user: Option<String>,
    pub mqtt_password: Option<String>,
    /// OpenBeken's "client topic" (its MQTT client id); defaults to the device name.
    pub mqtt_topic: Option<String>,
    /// Short device name (host name); defaults to OpenBeken's own `obk` + four MAC bytes.
    pub name: Option<String>,
    pub template: Option<Template>,
}

/// The parts of an OpenBeken template (the `--openbeken` output, or a devices.json entry) that
/// go into the config; descriptive fields (vendor, name, chip, board, image, ...) are ignored.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Template {
    /// GPIO number (decimal text) to `"Role;channel[;channel2]"`.
    #[serde(default)]
    pub pins: BTreeMap<String, String>,
    /// Decimal text (the device database) or a number: OpenBeken's `Flags` value.
    pub flags: Option<Value>,
    /// The startup command line.
    pub command: Option<String>,
}

/// Secrets stay out of debug output, so logging a `Settings` never shows a password.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("wifi_ssid", &self.wifi_ssid)
            .field("wifi_password", &"<hidden>")
            .field("mqtt_host", &self.mqtt_host)
            .field("mqtt_port", &self.mqtt_port)
            .field("mqtt_user", &self.mqtt_user)
            .field(
                "mqtt_password",
                &self.mqtt_password.as_ref().map(|_| "<hidden>"),
            )
            .field("mqtt_topic", &self.mqtt_topic)
            .field("name", &self.name)
            .field("template", &self.template)
            .finish()
    }
}

impl Settings {
    /// Parse the settings file; the error names the field or the JSON position at fault.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let settings: Settings = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if settings.wifi_ssid.is_empty() {
            return Err(String::from("wifi_ssid is empty; give the network name"));
        }
        Ok(settings)
    }
}

impl Template {
    /// The `flags` value as a number, whether it was written as text or as a number.
    pub fn flags_value(&self) -> Result<Option<u64>, String> {
        match &self.flags {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("template flags {n} is not a whole number of 0 or more")),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => text
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| format!("template flags '{text}' is not a whole number")),
            Some(other) => Err(format!(
                "template flags {other} is neither text nor a number"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_file_and_hides_secrets_in_debug_output() {
        let settings = Settings::from_json(
            r#"{"wifi_ssid":"home","wifi_password":"hunter22","mqtt_host":"10.0.0.2","mqtt_port":1884,
                "mqtt_user":"ha","mqtt_password":"mqttpw","mqtt_topic":"plug1","name":"plug1",
                "template":{"vendor":"Tuya","pins":{"26":"Rel;1"},"flags":"1024","command":"PWMFrequency 1000"}}"#,
        )
        .unwrap();
        assert_eq!(settings.mqtt_port, Some(1884));
        let template = settings.template.as_ref().unwrap();
        assert_eq!(template.pins["26"], "Rel;1");
        assert_eq!(template.flags_value(), Ok(Some(1024)));
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter22") && !shown.contains("mqttpw"),
            "{shown}"
        );
    }

    #[test]
    fn refuses_typos_and_an_empty_ssid() {
        assert!(
            Settings::from_json(r#"{"wifi_ssid":"a","wifi_pasword":"x"}"#)
                .unwrap_err()
                .contains("wifi_pasword")
        );
        assert!(Settings::from_json(r#"{"wifi_ssid":""}"#).is_err());
        assert!(Settings::from_json(r#"{"wifi_password":"x"}"#).is_err());
        let template = Template {
            flags: Some(Value::from("ten")),
            ..Template::default()
        };
        assert!(template.flags_value().is_err());
    }
}
