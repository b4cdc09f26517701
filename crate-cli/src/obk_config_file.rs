//! `bkflash write OBK.bin --obk-config FILE.json`: the OpenBeken config sector built from the settings
//! file, added as one more region so the device joins the network on first boot. Passwords are never printed.

use std::path::Path;

use bkflash_core::analyze::flash_map::areas;
use bkflash_core::chips::ChipFamily;
use bkflash_core::obk_config::{Settings, config_region};
use bkflash_core::plan::{Region, SECTOR};

use crate::exit::Exit;
use crate::failure::Failure;
use crate::session::Session;

/// Read and check the settings file before anything is sent to the chip.
pub fn load(job: &'static str, path: &Path) -> Result<Settings, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {job}: cannot read the OpenBeken settings {}: {e}",
                path.display()
            ),
        )
    })?;
    Settings::from_json(&text).map_err(|why| {
        Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {job}: the OpenBeken settings {} are refused: {why}",
                path.display()
            ),
        )
    })
}

/// The MAC in the chip's RF calibration, for OpenBeken's default device name (only read when needed).
fn chip_mac(session: &mut Session, family: ChipFamily) -> Option<[u8; 6]> {
    let at = areas::rf_calibration_offset(family)?;
    let sector =
        pollster::block_on(session.flasher.read(at..at + SECTOR, &mut session.view)).ok()?;
    session.view.finish();
    areas::mac(&sector)
}

/// The config sector for the connected chip, checked against the file's own regions.
pub fn region(
    job: &'static str,
    settings: &Settings,
    session: &mut Session,
    file: &[Region],
) -> Result<Region, Failure> {
    let family = session.chip.family;
    let mac = match (settings.name.as_deref(), family) {
        (None | Some(""), Some(family)) => chip_mac(session, family),
        _ => None,
    };
    let region = config_region(settings, family, mac).map_err(|e| {
        Failure::plain(
            Exit::Refused,
            format!("bkflash {job}: --obk-config refused: {e}; nothing was written"),
        )
    })?;
    let end = region.offset + region.data.len() as u32;
    if let Some(clash) = file
        .iter()
        .find(|r| r.offset < end && r.offset + r.data.len() as u32 > region.offset)
    {
        return Err(Failure::plain(
            Exit::Refused,
            format!(
                "bkflash {job}: the file already writes 0x{:06X}..0x{:06X}, over the OpenBeken config sector at 0x{:06X}; drop --obk-config or write an image that stops before it",
                clash.offset,
                clash.offset + clash.data.len() as u32,
                region.offset
            ),
        ));
    }
    Ok(region)
}

/// One line that says what will be configured, without any password.
pub fn describe(settings: &Settings, region: &Region) -> String {
    let mut parts = vec![format!(
        "Wi-Fi '{}' ({})",
        settings.wifi_ssid,
        if settings.wifi_password.is_empty() {
            "open network"
        } else {
            "password set"
        }
    )];
    if let Some(host) = &settings.mqtt_host {
        parts.push(format!(
            "MQTT {host}:{}",
            settings.mqtt_port.unwrap_or(1883)
        ));
    }
    if let Some(name) = &settings.name {
        parts.push(format!("name '{name}'"));
    }
    let pins = settings.template.as_ref().map_or(0, |t| t.pins.len());
    parts.push(format!("{pins} template pins"));
    format!(
        "OpenBeken config at 0x{:06X}: {}",
        region.offset,
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_never_shows_a_password() {
        let settings = Settings::from_json(
            r#"{"wifi_ssid":"home","wifi_password":"hunter22","mqtt_host":"10.0.0.2","mqtt_password":"mqttsecret","name":"plug"}"#,
        )
        .unwrap();
        let region = config_region(&settings, Some(ChipFamily::Bk7231N), None).unwrap();
        let line = describe(&settings, &region);
        assert_eq!(
            line,
            "OpenBeken config at 0x1D1000: Wi-Fi 'home' (password set), MQTT 10.0.0.2:1883, name 'plug', 0 template pins"
        );
        assert!(!line.contains("hunter22") && !line.contains("mqttsecret"));
    }

    #[test]
    fn unreadable_or_bad_settings_are_refused_before_connecting() {
        let dir = std::env::temp_dir().join(format!("bkflash-obk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.json");
        std::fs::write(&path, r#"{"wifi_ssid":"x","wifi_pass":"y"}"#).unwrap();
        let failure = load("write", &path).unwrap_err();
        assert_eq!(failure.exit(), Exit::Refused);
        assert!(
            failure.lines()[0].contains("wifi_pass"),
            "{:?}",
            failure.lines()
        );
        assert!(load("write", &dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
