//! The end-to-end tests' simulator bridge (`SimPort`, src/sim_bridge.rs), a wasm module of its own so
//! that the page and its virtual device ship without it. Built by scripts/e2e-bridge.sh.

// Shared with the virtual device, which also asks when the chip next acts; the bridge polls.
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
#[path = "../device/wall_clock.rs"]
mod wall_clock;

#[cfg(target_arch = "wasm32")]
#[path = "../sim_bridge.rs"]
mod sim_bridge;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-sim-bridge is a test module for e2e/sim-serial.js: run `bash scripts/e2e-bridge.sh`."
    );
    std::process::exit(2);
}
