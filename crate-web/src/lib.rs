//! bkflash-web: the flasher page (Leptos, CSR), the Web Serial transport and the virtual device
//! (its simulated chip, device/wall_clock.rs, is compiled only into the on-demand module src/bin/bkflash-device.rs).
//! The page's pure logic (firmware model, plan words, manifest rules, file names, ranges, job and
//! progress words, the wiring picture's drawing) also builds on the host, where `cargo test` runs its
//! unit tests; the browser parts (marked `wasm32` below) exist only on wasm, so native workspace
//! builds skip Leptos.

pub mod announce;
pub mod backups;
pub mod files;
pub mod firmware;
pub mod job;
pub mod manifest;
pub mod range;
pub mod wiring_drawing;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod adapters;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod clipboard;
#[cfg(target_arch = "wasm32")]
pub mod device;
#[cfg(target_arch = "wasm32")]
mod guided;
#[cfg(target_arch = "wasm32")]
mod handover;
#[cfg(target_arch = "wasm32")]
pub mod inside;
#[cfg(target_arch = "wasm32")]
pub mod internal_error;
#[cfg(target_arch = "wasm32")]
mod jobs;
#[cfg(target_arch = "wasm32")]
mod js_error;
#[cfg(target_arch = "wasm32")]
mod logs;
#[cfg(target_arch = "wasm32")]
mod notice;
#[cfg(target_arch = "wasm32")]
pub mod serial;
#[cfg(target_arch = "wasm32")]
pub mod session;
#[cfg(target_arch = "wasm32")]
mod sink;
#[cfg(target_arch = "wasm32")]
pub mod spi;
#[cfg(target_arch = "wasm32")]
pub mod start_shell;
#[cfg(target_arch = "wasm32")]
mod support;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
mod view_choice;

#[cfg(target_arch = "wasm32")]
pub use app::App;

/// Mount the page on `<body>`, carrying out what the first-load Start screen handed over (`handover`,
/// `undefined` when www/boot.js loaded the page first). Here rather than in main.rs, so the page's
/// view code is compiled once, in this crate: instantiated from the binary it came out as a second
/// copy of the flasher (~40 KB).
#[cfg(target_arch = "wasm32")]
pub fn start(handover: &wasm_bindgen::JsValue) {
    internal_error::install_panic_banner();
    handover::receive(handover);
    leptos::mount::mount_to_body(App);
}
