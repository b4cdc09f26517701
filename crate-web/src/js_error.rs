//! A thrown JavaScript value in words: its `name` and `message` when it is an `Error` or a
//! `DOMException`, its text when it is a string, and otherwise what kind of value it was.

use wasm_bindgen::JsValue;

/// "NotAllowedError: Permission denied", or the best words the value allows.
pub fn js_error_words(error: &JsValue) -> String {
    let field = |key: &str| {
        js_sys::Reflect::get(error, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|v| !v.is_empty())
    };
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (None, Some(message)) => message,
        (Some(name), None) => name,
        (None, None) => error.as_string().unwrap_or_else(|| {
            format!(
                "the browser gave no message (a {} was thrown)",
                error.js_typeof().as_string().unwrap_or_default()
            )
        }),
    }
}
