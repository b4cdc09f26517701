//! Entry point Trunk builds: mounts the bkflash page on `<body>`.
//! A host build gets a stub that says how to build the page instead.

#[cfg(target_arch = "wasm32")]
fn main() {
    bkflash_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-web runs in a browser: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
