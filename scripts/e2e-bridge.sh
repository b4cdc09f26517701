#!/usr/bin/env bash
# Build the end-to-end tests' simulator bridge (SimPort, crate-web/src/sim_bridge.rs) into
# target/e2e-bridge/, where e2e/harness.mjs serves it to e2e/sim-serial.js. Test-only: the page never
# ships it. Run after `trunk build --release`, whose compiled crates it reuses (a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUSTFLAGS   # it would replace the wasm cfg from .cargo/config.toml
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"

cargo build --release --locked --target wasm32-unknown-unknown -p bkflash-web --bin bkflash-sim-bridge
wasm-bindgen --target web --no-typescript --out-dir "$target_dir/e2e-bridge" \
  "$target_dir/wasm32-unknown-unknown/release/bkflash-sim-bridge.wasm"
