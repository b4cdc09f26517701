#!/usr/bin/env bash
# Every test of bkflash, in order from cheap to real; stops at the first failure.
# Each step prints the seconds elapsed since the start. Add steps at the bottom.
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUSTFLAGS   # it would replace the wasm cfg from .cargo/config.toml

started=$SECONDS
step() {
  printf '\n==> [%4ss] %s\n' "$((SECONDS - started))" "$1"
  shift
  "$@"
}

host_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --locked
  else
    cargo test --locked
  fi
}

no_std_build() {
  cargo build --locked -p "$1" --target thumbv7em-none-eabi
}

wasm_tests() {
  CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked -p bkflash-web --target wasm32-unknown-unknown
}

release_build() {
  trunk build --release --locked --offline
  for file in dist/*.wasm dist/*.js dist/*.css dist/device/*.wasm dist/device/*.js; do
    printf '  %-48s %9s bytes, gzip -9 %8s\n' "$file" "$(wc -c < "$file")" "$(gzip -9c "$file" | wc -c)"
  done
}

bootstrap() { bash scripts/bootstrap.sh --test; }

# The host tests already run it; this shows its table of sessions, recoveries and clean failures.
fault_matrix_table() {
  cargo test --locked -p bkflash-sim --test fault_matrix -- --nocapture
}

# The link hazards (lossy adapters, reopen glitch, ring overflow, late replies) with success rates.
link_matrix_table() {
  cargo test --locked -p bkflash-sim --test fault_matrix_links -- --nocapture
}

pty_server_tests() {
  cargo test --locked -p bkflash-sim --features std --lib pty
}

# bk7231tools, ltchiptool and our own CLI against bkflash-sim on a pty (builds both binaries once).
pty_peers() {
  cargo build --locked -p bkflash-sim --features std --bin bkflash-sim
  cargo build --locked -p bkflash-cli --bin bkflash
  local bins="${CARGO_TARGET_DIR:-$PWD/target}/debug"
  BKFLASH_SIM_BIN="$bins/bkflash-sim" BKFLASH_BIN="$bins/bkflash" .venv/bin/python -m pytest -q peers/
}

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never TRUNK_SKIP_VERSION_CHECK=true

step "bootstrap (installs only what is missing)"           bootstrap
step "host tests (default members)"                         host_tests
step "fault matrix: 1,000 seeded sessions with faults (table)" fault_matrix_table
step "link hazard matrix: adapters, reopen, ring (table)"   link_matrix_table
step "no_std proof: bkflash-core for thumbv7em-none-eabi"   no_std_build bkflash-core
step "no_std proof: bkflash-sim for thumbv7em-none-eabi"    no_std_build bkflash-sim
step "pty server unit tests (bkflash-sim --features std)"  pty_server_tests
step "peers and bkflash CLI against bkflash-sim on a pty"    pty_peers
step "fuzzing: decoder, UF2 parser, file recognition, Tuya storage (60 s each)" bash scripts/fuzz.sh 60
step "wasm tests in headless Chromium"                      wasm_tests
step "release build of the page with Trunk"                 release_build
step "simulator bridge for the end-to-end tests (test-only wasm)" bash scripts/e2e-bridge.sh
step "end-to-end: built page in Chromium (playwright-core)" node --test e2e/
step "all tests passed"                                     true
