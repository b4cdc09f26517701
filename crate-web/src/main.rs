//! Entry point Trunk builds: the flasher page. www/boot.js (or the first-load Start screen, through
//! boot.js) calls `mount`; a host build gets a stub that says how to build the page instead.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Mount the page on `<body>` with what the first-load Start screen handed over (or `undefined`).
    #[wasm_bindgen]
    pub fn mount(handover: JsValue) {
        bkflash_web::start(&handover);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-web runs in a browser: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
