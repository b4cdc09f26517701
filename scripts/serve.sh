#!/usr/bin/env bash
# Install what is missing, build the page and serve it on http://127.0.0.1:8080 (Ctrl-C stops).
# 127.0.0.1 counts as a secure origin, so Web Serial works there without https.
set -euo pipefail
cd "$(dirname "$0")/.."
unset RUSTFLAGS   # it would replace the wasm cfg from .cargo/config.toml

bash scripts/bootstrap.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# A dist dir of its own: the served page carries Trunk's auto-reload script, which must not end up
# in dist/, where `trunk build` puts the page the e2e tests check.
# No auto-reload: its inline <script> is refused by the page's Content-Security-Policy.
exec trunk serve --release --offline --dist target/serve-dist --no-autoreload
