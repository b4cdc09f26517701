//! The analysis module (src/bin/bkflash-analyze.rs, analyze/ in dist/), imported the first time a
//! backup is analysed so the first load of the page carries neither AES, JSON nor the report's views.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = showInside)]
    async fn show_in_module(name: &str, bytes: &[u8]) -> Result<JsValue, JsValue>;
}

/// Render what is inside `bytes` (the file `name`) into `#inside-view`, or say why that failed.
pub async fn show(name: &str, bytes: &[u8]) -> Result<(), String> {
    show_in_module(name, bytes).await.map(drop).map_err(|error| {
        let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        format!(
            "The backup analysis did not run: {message}. Reload the page (it fetches the analysis \
             the first time it is needed) and try again."
        )
    })
}
