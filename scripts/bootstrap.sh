#!/usr/bin/env bash
# Idempotent installer for what bkflash needs (Debian 12; only crates.io, npm, PyPI and apt are used).
#   bash scripts/bootstrap.sh          build tools: rust targets, trunk, wasm-bindgen-cli, wasm-opt (npm)
#   bash scripts/bootstrap.sh --test   also what the tests need: chromium + chromedriver, playwright-core,
#                                      and the Python peers in .venv (if peers/requirements.txt exists)
# Each tool is checked by its --version first; a second run installs nothing and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUSTFLAGS   # it would replace the wasm cfg from .cargo/config.toml

TRUNK_VERSION=0.21.14        # newest trunk that builds on rustc 1.95 (0.22.x needs 1.96.1)
WASM_OPT_VERSION=version_132 # npm binaryen@132.0.0; Debian's binaryen 108 yields a wasm that dies at start-up
RUST_TARGETS=(wasm32-unknown-unknown thumbv7em-none-eabi)
TEST_APT_PACKAGES=(chromium chromium-driver flashrom)   # flashrom: the referee of the SPI path (peers/)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

want_test_tools=false
case "${1:-}" in
  --test) want_test_tools=true ;;
  "") ;;
  *) echo "usage: bash scripts/bootstrap.sh [--test]" >&2; exit 2 ;;
esac

installed=()
note() { installed+=("$1"); printf 'bootstrap: installing %s\n' "$1"; }
has() { command -v "$1" >/dev/null 2>&1; }
version_is() { has "$1" && "$1" --version 2>/dev/null | grep -qF -- "$2"; }
lock_version() { grep -A1 "^name = \"$1\"\$" Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p'; }

for target in "${RUST_TARGETS[@]}"; do
  if ! rustup target list --installed | grep -qx "$target"; then
    note "rust target $target"
    rustup target add "$target"
  fi
done

# Trunk runs the wasm-bindgen CLI, which must match the crate in Cargo.lock exactly.
wasm_bindgen_version=$(lock_version wasm-bindgen)
trunk_pin=$(sed -n 's/^wasm_bindgen = "\([^"]*\)".*/\1/p' Trunk.toml)
if [ -z "$wasm_bindgen_version" ] || [ "$wasm_bindgen_version" != "$trunk_pin" ]; then
  echo "bootstrap: Cargo.lock has wasm-bindgen '$wasm_bindgen_version' but Trunk.toml pins '$trunk_pin';" \
       "make them equal (and crate-web's wasm-bindgen = \"=...\" pin) before building." >&2
  exit 1
fi

if ! version_is trunk "trunk $TRUNK_VERSION"; then
  note "trunk $TRUNK_VERSION (cargo install, ~9 min on 2 cores)"
  # trunk's own release profile is fat LTO with one codegen unit; turning that off saves ~3 minutes.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --force --locked trunk --version "$TRUNK_VERSION"
fi

if ! version_is wasm-bindgen "wasm-bindgen $wasm_bindgen_version" \
   || ! version_is wasm-bindgen-test-runner "wasm-bindgen-test-runner $wasm_bindgen_version"; then
  note "wasm-bindgen-cli $wasm_bindgen_version (cargo install, ~4 min)"
  # No --locked: the 0.2.130 lockfile pins webpki-roots 1.0.11, which the reachable registry lacks.
  cargo install --force wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

npm_pin() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" package.json; }
npm_has() { grep -qF "\"version\": \"$(npm_pin "$1")\"" "node_modules/$1/package.json" 2>/dev/null; }
if ! version_is wasm-opt "($WASM_OPT_VERSION)" || ! npm_has playwright-core || ! npm_has axe-core; then
  note "npm packages from package-lock.json (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if $want_test_tools; then
  if ! has chromium || ! has chromedriver || ! has flashrom; then
    note "${TEST_APT_PACKAGES[*]} (apt)"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${TEST_APT_PACKAGES[@]}" >/dev/null
  fi

  # The venv is rebuilt only when peers/requirements.txt changes (its hash is stamped inside .venv).
  if [ -f peers/requirements.txt ]; then
    requirements_hash=$(sha256sum peers/requirements.txt | cut -d' ' -f1)
    if [ "$(cat .venv/requirements.sha256 2>/dev/null)" != "$requirements_hash" ]; then
      note "Python peers into .venv (pip, peers/requirements.txt)"
      python3 -m venv .venv
      .venv/bin/pip install --quiet --disable-pip-version-check -r peers/requirements.txt
      echo "$requirements_hash" > .venv/requirements.sha256
    fi
  fi
fi

if [ ${#installed[@]} -eq 0 ]; then
  echo "bootstrap: everything already installed, nothing to do."
else
  echo "bootstrap: installed ${#installed[@]} item(s): ${installed[*]}"
fi
