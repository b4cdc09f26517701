#!/usr/bin/env bash
# Every test of bkflash, in order from cheap to real; stops at the first failure.
# `bash scripts/test.sh STEP...` runs only the named steps, `--list` names them. Add steps to STEPS.
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
  for file in dist/*.wasm dist/*.js dist/*.css dist/start/*.wasm dist/start/*.js dist/device/*.wasm dist/device/*.js dist/analyze/*.wasm dist/analyze/*.js dist/spi/*.wasm dist/spi/*.js; do
    printf '  %-48s %9s bytes, gzip -9 %8s\n' "$file" "$(wc -c < "$file")" "$(gzip -9c "$file" | wc -c)"
  done
}

bootstrap() { bash scripts/bootstrap.sh --test; }

# The style gate: formatting, clippy with warnings as errors on the host and the wasm page, every
# `docs/NAME.md §N` a comment cites names a file and a heading in docs/, and no file-level import
# cycle in the core, the simulator or the CLI.
style() {
  cargo fmt --all --check
  cargo clippy --locked --workspace --all-targets --features bkflash-sim/std -- -D warnings
  cargo clippy --locked -p bkflash-web --target wasm32-unknown-unknown --all-targets -- -D warnings
  python3 scripts/check-doc-refs.py
  python3 scripts/check-import-cycles.py crate-core crate-sim crate-cli crate-web
}

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

# name | what it shows | command
STEPS=(
  "bootstrap|bootstrap (installs only what is missing)|bootstrap"
  "style|style: rustfmt, clippy -D warnings (host and wasm), doc references, import cycles|style"
  "host|host tests (default members)|host_tests"
  "faults|fault matrix: 1,000 seeded sessions with faults (table)|fault_matrix_table"
  "links|link hazard matrix: adapters, reopen, ring (table)|link_matrix_table"
  "nostd|no_std proof: bkflash-core and bkflash-sim for thumbv7em-none-eabi|no_std_builds"
  "pty|pty server unit tests (bkflash-sim --features std)|pty_server_tests"
  "peers|peers, flashrom and the bkflash CLI against bkflash-sim on a pty|pty_peers"
  "fuzz|fuzzing: decoder, UF2 parser, file recognition, Tuya storage (60 s each)|bash scripts/fuzz.sh 60"
  "wasm|wasm tests in headless Chromium|wasm_tests"
  "release|release build of the page with Trunk|release_build"
  "bridge|simulator bridge for the end-to-end tests (test-only wasm)|bash scripts/e2e-bridge.sh"
  # The e2e files mostly wait on the simulated chips' real-time clocks, so two at a time on two cores
  # nearly halve the step (73/73 passed in 8.9 min against about 16 min one at a time, 2026-11-27).
  "e2e|end-to-end: built page in Chromium (playwright-core), two files at a time|node --test --test-concurrency=2 e2e/"
)

no_std_builds() {
  no_std_build bkflash-core
  no_std_build bkflash-sim
}

if [[ "${1:-}" == "--list" ]]; then
  for row in "${STEPS[@]}"; do
    IFS='|' read -r name what _ <<< "$row"
    printf '%-10s %s\n' "$name" "$what"
  done
  exit 0
fi

wanted=("$@")
for wanted_name in "${wanted[@]}"; do
  if ! printf '%s\n' "${STEPS[@]}" | grep -q "^$wanted_name|"; then
    echo "test.sh: no step named '$wanted_name'; bash scripts/test.sh --list names them" >&2
    exit 2
  fi
done
for row in "${STEPS[@]}"; do
  IFS='|' read -r name what command <<< "$row"
  if (( ${#wanted[@]} == 0 )) || printf '%s\n' "${wanted[@]}" | grep -qx "$name"; then
    read -r -a words <<< "$command"
    step "$what" "${words[@]}"
  fi
done
if (( ${#wanted[@]} == 0 )); then
  step "all tests passed" true
else
  step "passed: ${wanted[*]}" true
fi
