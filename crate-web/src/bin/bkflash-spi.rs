//! The SPI recovery mode's module, loaded only when the user opens that mode: the main page imports
//! spi/bkflash-spi.js and calls `mount` with the box the mode lives in (crate-web/src/spi/).

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Draw the SPI recovery mode into `container`.
    #[wasm_bindgen]
    pub fn mount(container: web_sys::Element) {
        bkflash_web::spi::mount(container);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-spi is the page's SPI recovery mode: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
