//! Files in and out of the page: read a picked or dropped file, offer bytes as a download, and the
//! file names of `bkflash_core::names` stamped with the browser's local time.

#[cfg(target_arch = "wasm32")]
use bkflash_core::flasher::ChipInfo;
#[cfg(target_arch = "wasm32")]
use bkflash_core::names::{self, LocalTime};
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

pub use bkflash_core::names::{BackupTags, UNNAMED_FLASH_TAGS, backup_tags, chip_tags, read_name};

/// `bkflash-backup-bk7231n-eb6015-20261124-021500.bin`, in the user's local time.
#[cfg(target_arch = "wasm32")]
pub fn backup_name(chip: &ChipInfo) -> String {
    names::backup_name(chip, &local_time(&Date::new_0()))
}

/// Local time as `YYYYMMDD-HHMMSS`.
#[cfg(target_arch = "wasm32")]
pub fn timestamp(date: &Date) -> String {
    names::timestamp(&local_time(date))
}

#[cfg(target_arch = "wasm32")]
fn local_time(date: &Date) -> LocalTime {
    LocalTime {
        year: date.get_full_year() as i32,
        month: date.get_month() + 1,
        day: date.get_date(),
        hour: date.get_hours(),
        minute: date.get_minutes(),
        second: date.get_seconds(),
    }
}
