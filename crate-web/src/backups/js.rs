//! Small helpers for the promise-based browser storage APIs: await a promise, read a blob, and the
//! `name` of a rejected DOMException (AbortError, QuotaExceededError, ...).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `error.name` of a DOMException or Error, `""` for anything else.
pub fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// Await `promise` and cast its value (unchecked: these APIs return what they document).
pub async fn settle<T: JsCast>(promise: js_sys::Promise) -> Result<T, JsValue> {
    JsFuture::from(promise).await.map(JsCast::unchecked_into)
}

/// The bytes of a `Blob` or `File`.
pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, JsValue> {
    let buffer: js_sys::ArrayBuffer = settle(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
