//! bkflash-web: the flasher page (Leptos, CSR), the Web Serial transport and the virtual device
//! (its simulated chip, device/wall_clock.rs, is compiled only into the on-demand module src/bin/bkflash-device.rs).
//! Browser-only: on a host target the crate is empty, so native workspace builds skip Leptos.
#![cfg(target_arch = "wasm32")]

pub mod adapters;
mod app;
pub mod backups;
pub mod device;
pub mod files;
pub mod jobs;
pub mod logs;
pub mod manifest;
mod notice;
pub mod serial;
pub mod session;
pub mod spi;
pub mod support;
pub mod ui;

pub use app::App;

/// Mount the page on `<body>`. Here rather than in main.rs, so the page's view code is compiled once,
/// in this crate: instantiated from the binary it came out as a second copy of the flasher (~40 KB).
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
