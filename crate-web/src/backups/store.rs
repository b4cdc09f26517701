//! The backups kept in this browser: a folder in the origin private file system (OPFS), newest
//! `KEEP` files, stored under their backup name. Storage is asked to be persistent when a backup is kept.

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions,
    FileSystemGetFileOptions, FileSystemWritableFileStream, StorageManager,
};

use super::js::{blob_bytes, settle};
use crate::js_error::js_error_words;

/// The standard CRC-32 (zlib, what `crc32 FILE` prints) of a backup, as the page shows it.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bkflash_core::crc::chip_crc(bytes)
}

/// The folder inside the origin's private file system.
const FOLDER: &str = "bkflash-backups";
/// Backups kept; the oldest beyond this are deleted after a new one is checked.
pub const KEEP: usize = 8;

/// One backup kept in this browser.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredBackup {
    pub name: String,
    pub size: u64,
    /// Standard CRC-32 of the stored bytes.
    pub crc: u32,
    /// When it was stored, ms since the epoch.
    pub saved_ms: f64,
}

fn storage() -> Result<StorageManager, String> {
    web_sys::window()
        .map(|w| w.navigator().storage())
        .ok_or_else(|| String::from("this page has no window"))
}

fn fail(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |e| {
        format!(
            "{what} in this browser's storage failed ({})",
            js_error_words(&e)
        )
    }
}

async fn folder() -> Result<FileSystemDirectoryHandle, String> {
    let root: FileSystemDirectoryHandle = settle(storage()?.get_directory())
        .await
        .map_err(fail("Opening the backup folder"))?;
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(true);
    settle(root.get_directory_handle_with_options(FOLDER, &options))
        .await
        .map_err(fail("Opening the backup folder"))
}

/// `Ok` when the backup folder can be opened: checked before a backup is read, so a browser that
/// refuses storage is told at once, not after minutes of reading.
pub async fn ready() -> Result<(), String> {
    folder().await.map(drop)
}

/// Store `bytes` as `name`, replacing a file of that name; the file appears only once complete.
pub async fn put(name: &str, bytes: &[u8]) -> Result<(), String> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let file: FileSystemFileHandle =
        settle(folder().await?.get_file_handle_with_options(name, &options))
            .await
            .map_err(fail("Creating the backup"))?;
    let writable: FileSystemWritableFileStream = settle(file.create_writable())
        .await
        .map_err(fail("Writing the backup"))?;
    // A copy owned by JavaScript: the write may still read it after this call returns.
    let copy = Uint8Array::from(bytes);
    let written = match writable.write_with_js_u8_array(&copy) {
        Ok(promise) => settle::<JsValue>(promise).await.map(drop),
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        let _abandoned = settle::<JsValue>(writable.abort()).await;
        return Err(fail("Writing the backup")(e));
    }
    settle::<JsValue>(writable.close())
        .await
        .map(drop)
        .map_err(fail("Finishing the backup"))
}

/// The bytes of the stored backup `name`.
pub async fn read(name: &str) -> Result<Vec<u8>, String> {
    let file: FileSystemFileHandle = settle(folder().await?.get_file_handle(name))
        .await
        .map_err(fail("Opening the backup"))?;
    let file: File = settle(file.get_file())
        .await
        .map_err(fail("Opening the backup"))?;
    blob_bytes(&file).await.map_err(fail("Reading the backup"))
}

pub async fn remove(name: &str) -> Result<(), String> {
    settle::<JsValue>(folder().await?.remove_entry(name))
        .await
        .map(drop)
        .map_err(fail("Deleting the backup"))
}

/// Every stored backup, newest first, with its size and CRC-32.
pub async fn list() -> Result<Vec<StoredBackup>, String> {
    let folder = folder().await?;
    let entries = folder.values();
    let mut backups = Vec::new();
    loop {
        let step = match entries.next() {
            Ok(promise) => settle::<JsValue>(promise).await,
            Err(e) => Err(e),
        }
        .map_err(fail("Listing the backups"))?;
        let done = js_sys::Reflect::get(&step, &JsValue::from_str("done"))
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            break;
        }
        let handle = js_sys::Reflect::get(&step, &JsValue::from_str("value"))
            .map_err(fail("Listing the backups"))?;
        let kind = js_sys::Reflect::get(&handle, &JsValue::from_str("kind"))
            .ok()
            .and_then(|k| k.as_string());
        if kind.as_deref() != Some("file") {
            continue;
        }
        let handle: FileSystemFileHandle = handle.unchecked_into();
        let file: File = settle(handle.get_file())
            .await
            .map_err(fail("Listing the backups"))?;
        let bytes = blob_bytes(&file)
            .await
            .map_err(fail("Reading the backup"))?;
        backups.push(StoredBackup {
            name: file.name(),
            size: bytes.len() as u64,
            crc: crc32(&bytes),
            saved_ms: file.last_modified(),
        });
    }
    backups.sort_by(|a, b| b.saved_ms.total_cmp(&a.saved_ms));
    Ok(backups)
}

/// Delete all but the newest `KEEP` backups; returns the names deleted.
pub async fn prune() -> Result<Vec<String>, String> {
    let mut deleted = Vec::new();
    for old in list().await?.into_iter().skip(KEEP) {
        remove(&old.name).await?;
        deleted.push(old.name);
    }
    Ok(deleted)
}

/// Ask the browser to keep this origin's storage under pressure; `Some(granted)`, or `None` when
/// the browser cannot be asked.
pub async fn ask_persistent() -> Option<bool> {
    let promise = storage().ok()?.persist().ok()?;
    settle::<JsValue>(promise).await.ok().map(|v| v.is_truthy())
}

/// Whether the browser already keeps this origin's storage.
pub async fn is_persistent() -> Option<bool> {
    let promise = storage().ok()?.persisted().ok()?;
    settle::<JsValue>(promise).await.ok().map(|v| v.is_truthy())
}
