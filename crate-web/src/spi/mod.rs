//! SPI recovery mode (docs/spi-unbrick.md): wiring, reset guidance, identify, back up, write a whole-flash
//! image and verify through a serprog programmer. Only the on-demand module `src/bin/bkflash-spi.rs` links it.

mod flows;
mod port;
mod save;
mod sink;
mod state;
mod view;

use wasm_bindgen::JsCast;

/// Mount the SPI recovery mode into `container` (a box the main page gives it).
pub fn mount(container: web_sys::Element) {
    console_error_panic_hook::set_once();
    let handle = leptos::mount::mount_to(container.unchecked_into(), view::SpiMode);
    handle.forget();
}
