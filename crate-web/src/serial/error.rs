//! The error type of the Web Serial transport: which operation failed, what kind of failure, and
//! the browser's own words, phrased so the page can show it to the user as is.

use core::fmt;

use bkflash_core::transport::{TransportError, TransportErrorKind};
use wasm_bindgen::JsValue;

use crate::js_error::js_error_words;

/// DOMException names Web Serial uses, by what they mean for the flasher; any other name is `Other`.
/// Chromium rejects with `NetworkError` when the device is lost.
static DOM_ERROR_KINDS: [(&str, TransportErrorKind); 3] = [
    ("NetworkError", TransportErrorKind::Disconnected),
    ("NotSupportedError", TransportErrorKind::Unsupported),
    ("AbortError", TransportErrorKind::Cancelled),
];

/// A failed Web Serial operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSerialError {
    /// What bkflash was doing, e.g. "reading from the serial port".
    pub operation: String,
    pub kind: TransportErrorKind,
    /// The browser's error name and message, or bkflash's own reason.
    pub detail: String,
}

impl WebSerialError {
    /// The adapter is gone (unplugged, or the browser lost the device).
    pub fn disconnected(operation: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            operation: operation.into(),
            kind: TransportErrorKind::Disconnected,
            detail: detail.into(),
        }
    }

    /// A rejected browser promise; the exception's name decides whether the port is gone.
    pub fn from_js(operation: impl Into<String>, error: &JsValue) -> Self {
        let (name, message) = js_error_parts(error);
        let kind = DOM_ERROR_KINDS
            .iter()
            .find(|(dom_name, _)| *dom_name == name)
            .map_or(TransportErrorKind::Other, |&(_, kind)| kind);
        let detail = if name.is_empty() {
            message
        } else {
            format!("{name}: {message}")
        };
        Self {
            operation: operation.into(),
            kind,
            detail,
        }
    }

    fn advice(&self) -> &'static str {
        match self.kind {
            TransportErrorKind::Disconnected => {
                "The adapter seems to be unplugged or was taken by another program. Plug it back in and press Connect again."
            }
            TransportErrorKind::Cancelled => "The operation was stopped.",
            TransportErrorKind::Unsupported => {
                "This adapter or browser cannot do that; try another USB-UART adapter (CH340, CP2102, FT232R)."
            }
            TransportErrorKind::Other => {
                "Close other programs or tabs that use the port, check the wiring, then press Connect again."
            }
        }
    }
}

impl fmt::Display for WebSerialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed ({}). {}",
            capitalised(&self.operation),
            self.detail,
            self.advice()
        )
    }
}

impl TransportError for WebSerialError {
    fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

/// The `name` and `message` of a thrown JS value (a DOMException or Error); a bare value is stringified.
pub fn js_error_parts(error: &JsValue) -> (String, String) {
    let field = |key: &str| {
        js_sys::Reflect::get(error, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    };
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => (name, message),
        _ => (String::new(), js_error_words(error)),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
