//! The backup analysis module, fetched only when a backup or a dropped dump is analysed (analyze/ in
//! dist/): `show` analyses the file and renders "Inside this backup" into the page's container.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;
    use web_sys::HtmlElement;

    /// Analyse `bytes` (the file `name`) and render the report into `container`.
    #[wasm_bindgen]
    pub fn show(container: HtmlElement, name: String, bytes: &[u8]) {
        bkflash_web::inside::view::show(container, name, bytes);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-analyze is the page's backup analysis: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
