//! Whether this browser tab can use Web Serial, and why not when it cannot.
//! Checked once at start-up; a fake `navigator.serial` installed before load counts as present.

use wasm_bindgen::JsValue;

/// What the page found about Web Serial in this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SerialSupport {
    /// `navigator.serial` exists.
    Available,
    /// The page was opened over plain http from a remote host; browsers hide Web Serial there.
    InsecureOrigin,
    /// The browser has no Web Serial at all (Safari, old Firefox, iPhone/iPad, old Chrome for Android).
    MissingApi,
}

/// A browser that ships Web Serial, as shown in the notice and the README table.
pub struct SupportedBrowser {
    pub name: &'static str,
    pub since: &'static str,
}

/// Desktop browsers with Web Serial, oldest supporting version first in each row.
#[rustfmt::skip]
pub static SUPPORTED_BROWSERS: [SupportedBrowser; 4] = [
    SupportedBrowser { name: "Chrome", since: "89" },
    SupportedBrowser { name: "Edge", since: "89" },
    SupportedBrowser { name: "Opera", since: "75" },
    SupportedBrowser { name: "Firefox", since: "151" },
];

/// Where flashing works, as the notice and Help say it (Chrome for Android has Web Serial over USB
/// OTG from version 148).
pub const WHERE_IT_WORKS: &str = "Works in Chrome, Edge, Opera (and Firefox 151+) on a computer, and in Chrome 148+ on Android with a USB-OTG adapter. Not on iPhone/iPad.";

/// Look at this tab: is `navigator.serial` there, and if not, is the origin to blame?
pub fn detect() -> SerialSupport {
    let Some(window) = web_sys::window() else {
        return SerialSupport::MissingApi;
    };
    let serial = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serial"))
        .unwrap_or(JsValue::UNDEFINED);
    if !serial.is_undefined() && !serial.is_null() {
        SerialSupport::Available
    } else if window.is_secure_context() {
        SerialSupport::MissingApi
    } else {
        SerialSupport::InsecureOrigin
    }
}
