//! Small helpers for the promise-based browser storage APIs: await a promise with a readable error,
//! and the `name` of a rejected DOMException (AbortError, QuotaExceededError, ...).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `error.name` of a DOMException or Error, `""` for anything else.
pub fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// "QuotaExceededError: the quota has been exceeded", or the value as a string.
pub fn describe(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        let message: String = error.message().into();
        let name: String = error.name().into();
        return format!("{name}: {message}");
    }
    let name = error_name(error);
    let message = js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    match (name.is_empty(), message.is_empty()) {
        (false, false) => format!("{name}: {message}"),
        (false, true) => name,
        _ => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
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
