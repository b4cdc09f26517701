//! The rule that needs the chip's eFuse key: an app scrambled with another key does not boot
//! (formats.md §2.3). The refusal says what the chip is, what the file is for and what to flash.

use alloc::format;
use alloc::string::String;

use super::Firmware;
use super::beken::{AppKey, app_key};
use super::refusal::{Refusal, RefusalKind};
use crate::chips::{BOOTLOADER_END, ChipFamily};
use crate::key::{ChipKey, KeyKind};

/// The key the file's app (the bytes it writes at 0x11000) was scrambled with, if it writes one.
pub fn app_key_of(firmware: &Firmware) -> Option<AppKey> {
    firmware.regions.iter().find_map(|region| {
        let skip = BOOTLOADER_END.checked_sub(region.offset)? as usize;
        region.data.get(skip..).map(app_key)
    })
}

/// Refuse a file whose app key differs from the one the chip's eFuse holds. Files with an app of
/// unknown key pass (the analysis already notes it), and so do chips whose eFuse cannot tell.
pub fn check_key(
    firmware: &Firmware,
    family: Option<ChipFamily>,
    key: &ChipKey,
) -> Result<(), Refusal> {
    let (Some(wanted), Some(found)) = (key.required_app_key(), app_key_of(firmware)) else {
        return Ok(());
    };
    if found == AppKey::Unknown || found == wanted {
        return Ok(());
    }
    let chip = family.map_or("chip", ChipFamily::name);
    let is = match key.kind() {
        KeyKind::Zero => {
            format!("This {chip} has an all-zero eFuse key, so it boots only unencrypted apps")
        }
        KeyKind::Bypass => format!(
            "This {chip} has an eFuse key that turns flash encryption off, so it boots only unencrypted apps"
        ),
        KeyKind::TuyaDefault => format!(
            "This {chip} has the Beken/Tuya key in eFuse, so it boots only apps encrypted with that key"
        ),
        _ => format!(
            "This {chip} has its own eFuse key ({}), so it boots only apps encrypted with that key",
            key.hex()
        ),
    };
    let file = match found {
        AppKey::TuyaDefault => {
            "this file's app is encrypted with the Beken/Tuya key (a build for Tuya BK7231T/N modules)"
        }
        _ => "this file's app is unencrypted (a build for BK7231M or generic boards)",
    };
    let instead: String = match wanted {
        AppKey::Plain => String::from(
            "flash an unencrypted build made for BK7231M instead (for OpenBeken, an OpenBK7231M image)",
        ),
        AppKey::TuyaDefault => format!(
            "flash a build for Tuya {} modules instead (for OpenBeken, an OpenBK7231N image; for LibreTiny, a -tuya board)",
            family.map_or("BK7231N", ChipFamily::name)
        ),
        AppKey::Unknown => String::from("flash a build encrypted with the chip's own key instead"),
    };
    Err(Refusal {
        kind: RefusalKind::KeyMismatch,
        message: format!("{is}, but {file}; {instead}."),
    })
}
