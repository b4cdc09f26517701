//! The browser's port chooser (`navigator.serial.requestPort()`) and what it tells about the port.
//! Cancelling the chooser is an ordinary outcome, not a failure, so it has its own variant.

use core::fmt;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::SerialPort;

use crate::adapters;
use crate::js_error::js_error_words;

/// USB ids the browser reports for a port (absent for Bluetooth or built-in ports).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PortInfo {
    pub usb_vendor_id: Option<u16>,
    pub usb_product_id: Option<u16>,
}

impl PortInfo {
    /// Read `port.getInfo()`; a port that reports nothing usable is described as non-USB.
    pub fn of(port: &SerialPort) -> Self {
        let info = port.get_info();
        Self {
            usb_vendor_id: info.get_usb_vendor_id(),
            usb_product_id: info.get_usb_product_id(),
        }
    }
}

impl fmt::Display for PortInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&adapters::describe(self.usb_vendor_id, self.usb_product_id))
    }
}

/// Why no port came back from the chooser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickError {
    /// The user closed the chooser without picking a port.
    NoPortChosen,
    /// This tab has no `navigator.serial`.
    NoWebSerial,
    /// The browser refused, with its own message.
    Browser(String),
}

impl fmt::Display for PickError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPortChosen => {
                f.write_str("No port chosen. Plug in the USB-UART adapter and press Connect again.")
            }
            Self::NoWebSerial => f.write_str(
                "This browser tab has no Web Serial; see the notice above for browsers that work.",
            ),
            Self::Browser(message) => write!(
                f,
                "Choosing a serial port failed: {message}. Reload the page and try again; \
                 on Linux, check that your user may open the port (group dialout)."
            ),
        }
    }
}

/// Open the browser's port chooser and return the port the user picked.
pub async fn pick_port() -> Result<SerialPort, PickError> {
    chosen_port(request_port()?).await
}

/// Open the browser's port chooser; must run in the user's click. The promise settles with the
/// port the user picks.
pub fn request_port() -> Result<js_sys::Promise, PickError> {
    let navigator = web_sys::window().ok_or(PickError::NoWebSerial)?.navigator();
    let serial = js_sys::Reflect::get(&navigator, &JsValue::from_str("serial"))
        .ok()
        .filter(|s| !s.is_undefined() && !s.is_null())
        .ok_or(PickError::NoWebSerial)?;
    let serial: web_sys::Serial = serial.unchecked_into();
    Ok(serial.request_port().unchecked_into())
}

/// The port a `request_port` promise settles with.
pub async fn chosen_port(request: js_sys::Promise) -> Result<SerialPort, PickError> {
    match wasm_bindgen_futures::JsFuture::from(request).await {
        Ok(port) => Ok(port.unchecked_into()),
        Err(error) => Err(classify(&error)),
    }
}

/// Chromium reports a closed chooser as a `NotFoundError` DOMException.
fn classify(error: &JsValue) -> PickError {
    let field = |key: &str| {
        js_sys::Reflect::get(error, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    };
    if field("name").as_deref() == Some("NotFoundError") {
        return PickError::NoPortChosen;
    }
    PickError::Browser(field("message").unwrap_or_else(|| js_error_words(error)))
}
