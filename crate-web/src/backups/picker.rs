//! The save dialog (File System Access `showSaveFilePicker`) where the browser has one. It is opened
//! during the click, because browsers show it only then; the chosen file is written, closed and read back.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    File, FilePickerAcceptType, FileSystemFileHandle, FileSystemWritableFileStream,
    SaveFilePickerOptions,
};

use super::js::{blob_bytes, error_name, settle};
use crate::js_error::js_error_words;

/// The browser remembers the folder last chosen under this id.
const DIALOG_ID: &str = "bkflash-backups";

/// Where a backup goes: its name and, where the browser has a save dialog, the dialog's answer.
pub struct SaveChoice {
    pub name: String,
    dialog: Option<Promise>,
}

/// What the user answered in the save dialog.
pub enum Answer {
    Chosen(FileSystemFileHandle),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog: the browser has none (`None`), or it refused to show one here (the reason).
    Unavailable(Option<String>),
}

fn has_save_dialog(window: &web_sys::Window) -> bool {
    Reflect::has(window, &JsValue::from_str("showSaveFilePicker")).unwrap_or(false)
}

fn options(name: &str) -> SaveFilePickerOptions {
    let accept = Object::new();
    let extensions = Array::of1(&JsValue::from_str(".bin"));
    let _always_settable = Reflect::set(
        &accept,
        &JsValue::from_str("application/octet-stream"),
        &extensions,
    );
    let binary = FilePickerAcceptType::new();
    binary.set_description("Flash backup");
    binary.set_accept(accept.unchecked_ref());
    let options = SaveFilePickerOptions::new();
    options.set_suggested_name(Some(name));
    options.set_id(DIALOG_ID);
    options.set_types(&[binary]);
    options
}

/// Open the save dialog for `name` now; call this in the click handler that starts the job.
pub fn ask_where(name: String) -> SaveChoice {
    let dialog = web_sys::window().filter(has_save_dialog).map(|window| {
        match window.show_save_file_picker_with_options(&options(&name)) {
            Ok(promise) => promise.unchecked_into::<Promise>(),
            Err(error) => Promise::reject(&error),
        }
    });
    SaveChoice { name, dialog }
}

impl SaveChoice {
    /// Wait for the dialog's answer.
    pub async fn answer(&mut self) -> Answer {
        let Some(dialog) = self.dialog.take() else {
            return Answer::Unavailable(None);
        };
        match settle::<FileSystemFileHandle>(dialog).await {
            Ok(handle) => Answer::Chosen(handle),
            Err(error) if error_name(&error) == "AbortError" => Answer::Cancelled,
            Err(error) => Answer::Unavailable(Some(js_error_words(&error))),
        }
    }
}

/// Write `bytes` to the chosen file, close it, and return what the file then holds.
pub async fn write_and_read_back(
    handle: &FileSystemFileHandle,
    bytes: &[u8],
) -> Result<Vec<u8>, String> {
    let writable: FileSystemWritableFileStream = settle(handle.create_writable())
        .await
        .map_err(|e| js_error_words(&e))?;
    // A copy owned by JavaScript: the write may still read it after this call returns.
    let copy = Uint8Array::from(bytes);
    let written = match writable.write_with_js_u8_array(&copy) {
        Ok(promise) => settle::<JsValue>(promise).await.map(drop),
        Err(e) => Err(e),
    };
    if let Err(error) = written {
        let _abandoned = settle::<JsValue>(writable.abort()).await;
        return Err(js_error_words(&error));
    }
    settle::<JsValue>(writable.close())
        .await
        .map_err(|e| js_error_words(&e))?;
    let file: File = settle(handle.get_file())
        .await
        .map_err(|e| js_error_words(&e))?;
    blob_bytes(&file).await.map_err(|e| js_error_words(&e))
}
