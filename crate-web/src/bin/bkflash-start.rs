//! The first module a plain visit loads: the guided Start screen alone (crate-web/src/start_shell.rs).
//! www/boot.js imports start/bkflash-start.js and calls `mount` with its loader of the flasher page.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Draw the Start screen; `load_app(handover)` loads the flasher page when the user picks.
    #[wasm_bindgen]
    pub fn mount(load_app: js_sys::Function) {
        bkflash_web::start_shell::mount(load_app);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-start is the page's first-load Start screen: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
