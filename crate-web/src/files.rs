//! Files in and out of the page: read a picked or dropped file, offer bytes as a download, and the
//! backup file name `bkflash-backup-<chip>-<flashid>-<YYYYMMDD-HHMMSS>.bin`, written and read back.

use bkflash_core::flasher::ChipInfo;
#[cfg(target_arch = "wasm32")]
use js_sys::{Array, Date, Uint8Array};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_futures::JsFuture;
#[cfg(target_arch = "wasm32")]
use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

#[cfg(target_arch = "wasm32")]
use crate::js_error::js_error_words;

/// The bytes of a `File` the user gave the page.
#[cfg(target_arch = "wasm32")]
pub async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    JsFuture::from(file.array_buffer())
        .await
        .map(|buffer| Uint8Array::new(&buffer).to_vec())
        .map_err(|e| {
            format!(
                "Reading {} failed ({}); pick the file again.",
                file.name(),
                js_error_words(&e)
            )
        })
}

/// Offer `bytes` as a download called `name`.
#[cfg(target_arch = "wasm32")]
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: JsValue| {
        format!(
            "Saving {name} failed ({}); allow downloads for this page and retry.",
            js_error_words(&e)
        )
    };
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail(JsValue::NULL))?;
    let anchor: HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser has taken the blob once the click is handled; revoking later frees its memory.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _gone_already_is_fine = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _timer_id = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// Flash tags that name no part: the page's and the CLI's stand-ins when the id is unknown.
pub const UNNAMED_FLASH_TAGS: [&str; 2] = ["flash", "nojedec"];

/// Chip and flash id for file names: `bk7231n`, `eb6015`.
pub fn chip_tags(chip: &ChipInfo) -> (String, String) {
    let name = chip
        .family
        .map_or("bk72xx", |f| f.name())
        .to_ascii_lowercase();
    let flash = chip.jedec.map_or_else(
        || {
            chip.flash
                .map_or_else(|| String::from("flash"), |f| f.part.to_ascii_lowercase())
        },
        |j| format!("{:02x}{:02x}{:02x}", j[0], j[1], j[2]),
    );
    (name, flash)
}

/// `bkflash-backup-bk7231n-eb6015-20261124-021500.bin`, in the user's local time.
#[cfg(target_arch = "wasm32")]
pub fn backup_name(chip: &ChipInfo) -> String {
    let (name, flash) = chip_tags(chip);
    format!(
        "bkflash-backup-{name}-{flash}-{}.bin",
        timestamp(&Date::new_0())
    )
}

/// What a backup's name says: `bkflash-backup-<chip>-<flash>-<YYYYMMDD>-<HHMMSS>.bin`, as the page
/// and the CLI write it (also after a browser appended " (1)" to a second download).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupTags {
    pub chip: String,
    pub flash: String,
    /// `2026-11-24 12:00:00`
    pub taken: String,
}

pub fn backup_tags(name: &str) -> Option<BackupTags> {
    let rest = name.strip_prefix("bkflash-backup-")?;
    let mut parts = rest.splitn(4, '-');
    let (chip, flash, day, time) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let time = time.get(..6)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(day, 8) && digits(time, 6)) || chip.is_empty() || flash.is_empty() {
        return None;
    }
    Some(BackupTags {
        chip: chip.to_ascii_lowercase(),
        flash: flash.to_ascii_lowercase(),
        taken: format!(
            "{}-{}-{} {}:{}:{}",
            &day[..4],
            &day[4..6],
            &day[6..],
            &time[..2],
            &time[2..4],
            &time[4..]
        ),
    })
}

/// `bkflash-read-bk7231n-eb6015-0x011000-0x001000.bin` for a partial read.
pub fn read_name(chip: &ChipInfo, start: u32, len: u32) -> String {
    let (name, flash) = chip_tags(chip);
    format!("bkflash-read-{name}-{flash}-0x{start:06X}-0x{len:06X}.bin")
}

/// Local time as `YYYYMMDD-HHMMSS`.
#[cfg(target_arch = "wasm32")]
pub fn timestamp(date: &Date) -> String {
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}
