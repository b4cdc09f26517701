//! One wasm export for bench/browser.mjs: recognise and parse a firmware file, then plan it for a
//! blank 2 MiB chip, the work the web page does when a file is dropped (the page times the call).

use bkflash_core::image::analyze;
use bkflash_core::plan::{NothingKnown, Target, plan};
use wasm_bindgen::prelude::*;

/// Parse `file` and plan it; returns the number of sectors planned, or the refusal as an error.
#[wasm_bindgen]
pub fn parse_and_plan(file: &[u8]) -> Result<u32, JsValue> {
    let firmware = analyze(file).map_err(|refusal| JsValue::from_str(&format!("{refusal}")))?;
    let target = Target {
        flash_size: 0x20_0000,
        protected_below: 0x11000,
    };
    let plan = plan(&firmware.regions, &target, &NothingKnown)
        .map_err(|error| JsValue::from_str(&format!("{error}")))?;
    Ok(plan.sectors.len() as u32)
}
