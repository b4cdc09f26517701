#!/usr/bin/env bash
# The speed bench in one command: the virtual-clock tables (simulator wire-time model, rate choices
# and link hazards), the real-time head-to-head with bk7231tools on a pty, whole jobs at each tool's
# default rate (clean and behind a lossy adapter), and the browser numbers. Prints Markdown for
# BENCHMARKS.md.
# Usage: bash bench/run.sh [virtual] [link] [h2h] [defaults] [browser]   (default: all five)
# Head-to-head knobs: RUNS (3), JOBS (read,write,overwrite), BAUDS (921600,2000000); about 25 min.
# Defaults knobs: DEFAULT_RUNS (1), SEEDS (2), OLD_REV (the bkflash before issue 13, for its page
# default on the lossy adapter); about 30 min.
# Browser knob: TTI_RUNS (9) cold loads of the page and of the hello world each.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
PARTS=(virtual link h2h defaults browser)
if (($#)); then PARTS=("$@"); fi
RUNS="${RUNS:-3}"
wants() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }

echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); $(rustc --version)"

if wants virtual; then
    echo
    echo "## Virtual clock (simulator wire-time model, typical flash timings)"
    cargo bench -q -p bkflash-sim --bench wire 2>/dev/null | grep -v '^Running\|^$' || true
fi

if wants link; then
    echo
    echo "## Rate choices and link hazards (virtual clock, whole jobs including connect)"
    echo
    cargo bench -q -p bkflash-sim --bench link 2>/dev/null | grep -v '^Running\|^$' || true
fi

if wants h2h; then
    echo
    echo "## Head-to-head in real time (bkflash-sim --realtime on a pty, BK7231N, whole processes, median of $RUNS)"
    echo
    if [[ ! -x .venv/bin/python ]]; then
        echo "skipped: no .venv with bk7231tools (run: bash scripts/bootstrap.sh --test)"
    else
        cargo build -q --release -p bkflash-cli -p bkflash-sim --features bkflash-sim/std
        .venv/bin/python bench/head2head.py --sim "$CARGO_TARGET_DIR/release/bkflash-sim" \
            --cli "$CARGO_TARGET_DIR/release/bkflash" --runs "$RUNS" \
            --jobs "${JOBS:-read,write,overwrite}" --bauds "${BAUDS:-921600,2000000}"
    fi
fi

if wants defaults; then
    echo
    echo "## Whole jobs at each tool's default rate, in real time (bkflash-sim --realtime on a pty)"
    if [[ ! -x .venv/bin/python ]]; then
        echo
        echo "skipped: no .venv with bk7231tools (run: bash scripts/bootstrap.sh --test)"
    else
        cargo build -q --release -p bkflash-cli -p bkflash-sim --features bkflash-sim/std
        old_src="$CARGO_TARGET_DIR/bench-old-src"
        rm -rf "$old_src" && mkdir -p "$old_src"
        git archive "${OLD_REV:-77a09ff}" | tar -x -C "$old_src"
        (cd "$old_src" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/bench-old" cargo build -q --release --locked -p bkflash-cli)
        (cd bench && ../.venv/bin/python defaults.py --sim "$CARGO_TARGET_DIR/release/bkflash-sim" \
            --cli "$CARGO_TARGET_DIR/release/bkflash" --old-cli "$CARGO_TARGET_DIR/bench-old/release/bkflash" \
            --runs "${DEFAULT_RUNS:-1}" --seeds "${SEEDS:-2}")
    fi
fi

if wants browser; then
    echo
    echo "## Browser"
    echo
    if ! ls dist/*.wasm >/dev/null 2>&1 || [[ ! -d node_modules/playwright-core ]] || [[ ! -x .venv/bin/python ]]; then
        echo "skipped: needs a release build in dist/ (trunk build --release), npm ci (playwright-core)"
        echo "and .venv with ltchiptool (bash scripts/bootstrap.sh --test)"
    else
        # The Leptos hello world, built like the page (its own workspace and lock file; bench/hello-leptos).
        hello_dist="$CARGO_TARGET_DIR/bench-hello-dist"
        (cd bench/hello-leptos && TRUNK_SKIP_VERSION_CHECK=true trunk build --release --locked --offline \
            --dist "$hello_dist" >/dev/null 2>&1)
        wasm_target="$CARGO_TARGET_DIR/bench-wasm-plan"
        (cd bench/wasm-plan && CARGO_TARGET_DIR="$wasm_target" \
            cargo build -q --release --target wasm32-unknown-unknown)
        wasm-bindgen --target web --out-dir "$wasm_target/pkg" \
            "$wasm_target/wasm32-unknown-unknown/release/bkflash_bench_wasm_plan.wasm"
        # A 2 MiB LibreTiny UF2 (1 056 000 random image bytes at 0x11000), packed by ltchiptool.
        work="$(mktemp -d)"
        trap 'rm -rf "$work"' EXIT
        .venv/bin/python -c "import random,sys; sys.stdout.buffer.write(random.Random(7).randbytes(1056000))" > "$work/app.bin"
        .venv/bin/python -m ltchiptool uf2 write -b cb2s -o "$work/app.uf2" -L 1.13.0 -F bench:1.0.0 \
            -d 1700000000 --legacy "$work/app.bin+0x11000=flasher:app" > /dev/null
        node bench/browser.mjs dist "$hello_dist" "$wasm_target/pkg" "$work/app.uf2" "${TTI_RUNS:-9}"

        # Where the bytes go: Trunk's wasm-bindgen output optimised as for dist/, but keeping names.
        for module in bkflash-start bkflash-web bkflash-device; do
            shipped=$(find dist -name "${module}*_bg.wasm" | head -1)
            wasm-opt -Oz -g "$CARGO_TARGET_DIR/wasm-bindgen/release/${module}_bg.wasm" -o "$work/$module.wasm"
            echo
            echo "### Size breakdown: $module"
            echo
            node bench/wasm-sizes.mjs "$work/$module.wasm" "$(gzip -9c "$shipped" | wc -c)"
        done
    fi
fi
