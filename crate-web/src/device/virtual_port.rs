//! Opening the virtual device: the first time, the browser fetches its module (device/ in dist/) and
//! starts its worker; what comes back is shaped like a Web Serial port (www/device/virtual-serial.js).

use wasm_bindgen::prelude::*;
use web_sys::SerialPort;

use crate::js_error::js_error_words;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = openVirtualPort)]
    async fn open_in_worker(chip: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = openVirtualLogPort)]
    async fn open_log_in_worker() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = touchCen)]
    async fn touch_cen_in_worker() -> Result<JsValue, JsValue>;
}

/// A fresh simulated chip (a `VirtualChip` id) behind a port object the Web Serial transport can open.
pub async fn open_virtual_port(chip: &str) -> Result<SerialPort, String> {
    match open_in_worker(chip).await {
        Ok(port) => Ok(port.unchecked_into()),
        Err(error) => Err(format!(
            "The virtual device did not start: {}. Reload the page and try again.",
            js_error_words(&error)
        )),
    }
}

/// The UART2 of the virtual chip now connected, as a second port the log monitor opens like an adapter.
pub async fn open_virtual_log_port() -> Result<SerialPort, String> {
    match open_log_in_worker().await {
        Ok(port) => Ok(port.unchecked_into()),
        Err(error) => Err(format!(
            "The virtual device's log port did not open: {}. Press Virtual device, then try again.",
            js_error_words(&error)
        )),
    }
}

/// The virtual user's manual reset: CEN of the virtual chip now connected touched to GND and let go.
pub async fn touch_virtual_cen() -> Result<(), String> {
    match touch_cen_in_worker().await {
        Ok(_) => Ok(()),
        Err(error) => Err(format!(
            "The virtual chip could not be reset: {}. Press Virtual device, then try again.",
            js_error_words(&error)
        )),
    }
}
