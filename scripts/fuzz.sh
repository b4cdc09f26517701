#!/usr/bin/env bash
# Fuzz bkflash-core's parsers (reply decoder, UF2 parser, file recognition, Tuya KV storage) with cargo-fuzz/libFuzzer.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60; a long run: scripts/fuzz.sh 1800)
# Ends with "N passed, M failed"; exits non-zero when a target crashes and prints the reproducer.
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
CARGO_FUZZ_VERSION="0.13.1"
TARGETS=(decoder uf2 recognise kv_storage)

cd "$(dirname "$0")/.."
ROOT="$PWD"
FUZZ="$ROOT/fuzz"

if ! [[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]]; then
    echo "fuzz.sh: SECONDS_PER_TARGET must be a positive whole number, got '$SECONDS_PER_TARGET'" >&2
    exit 2
fi

if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# cargo-fuzz passes nightly-only flags (-Zsanitizer, -Cpasses=sancov-module); the only toolchain
# here is stable, which accepts them when told it is bootstrapping itself.
export RUSTC_BOOTSTRAP=1
# Release build with overflow checks. No sanitizer: bkflash-core has no unsafe code, so ASan would
# only halve the execution rate.
BUILD_FLAGS=(--release --debug-assertions --sanitizer none)
TARGET_DIR="${CARGO_TARGET_DIR:-$FUZZ/target}"
unset CARGO_TARGET_DIR

echo "== building fuzz targets"
(cd "$FUZZ" && cargo fuzz build "${BUILD_FLAGS[@]}" --target-dir "$TARGET_DIR")

# Seeds: the committed reply vectors, the repo's firmware vectors, and two images assembled from them
# (an app image = CRC blocks + RBL trailer; a flash image from address 0 with the app at 0x11000).
seed_corpus() {
    local target="$1" dir="$FUZZ/corpus/$1"
    mkdir -p "$dir"
    case "$target" in
        decoder)
            cp "$FUZZ"/seeds/decoder/* "$dir"/
            ;;
        uf2)
            cp "$ROOT"/testdata/*.uf2 "$dir"/
            ;;
        recognise)
            find "$ROOT/testdata" -maxdepth 1 -type f ! -name '*.md' ! -name '*.json' ! -name '*.py' \
                -exec cp {} "$dir"/ \;
            local crc="$ROOT/testdata/bk7231t_app_0x011000.crc" rblh="$ROOT/testdata/bk7231t_app_0x129F0A.rblh"
            cat "$crc" "$rblh" >"$dir/seed_app_image"
            {
                head -c 34 "$crc"
                head -c $((0x11000 - 34 - 102)) /dev/zero | tr '\0' '\377'
                cat "$rblh" "$crc"
            } >"$dir/seed_flash_image"
            ;;
        kv_storage)
            # Clear-text storages in the target's input form: a selector byte (31: 32 pages per sector)
            # then the plaintext sectors the dump generator builds.
            "$ROOT/.venv/bin/python" - "$dir" <<'PY'
import sys
sys.path.insert(0, "testdata/dumps")
import devices, tuya_flash
for name, device in (("plug", devices.PLUG), ("bulb", devices.BULB)):
    st = tuya_flash.Storage()
    st.put("user_param_key", devices.tuya_json(device["upk"]).encode(), 0)
    st.put("baud_cfg", b'{"baud":9600}', 1)
    blob = bytes([31]) + b"".join(st.block_plain(block, 3) for block in range(3))
    open(f"{sys.argv[1]}/seed_{name}", "wb").write(blob)
PY
            ;;
    esac
}

stat_of() {
    sed -n "s/^stat::$2: *//p" "$1" | tail -n 1
}

passed=0
failed=0
run_stamp="$(mktemp)"
trap 'rm -f "$run_stamp"' EXIT
for target in "${TARGETS[@]}"; do
    seed_corpus "$target"
    log="$FUZZ/artifacts/$target.log"
    mkdir -p "$FUZZ/artifacts/$target"
    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s"
    status=0
    (cd "$FUZZ" && cargo fuzz run "${BUILD_FLAGS[@]}" --target-dir "$TARGET_DIR" "$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=1024 \
        -dict="dicts/$target.dict" -print_final_stats=1) >"$log" 2>&1 || status=$?
    execs="$(stat_of "$log" number_of_executed_units)"
    rate="$(stat_of "$log" average_exec_per_sec)"
    corpus="$(sed -n 's/.*DONE .* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -n 1)"
    files="$(find "$FUZZ/corpus/$target" -type f | wc -l)"
    crashes="$(find "$FUZZ/artifacts/$target" -type f -newer "$run_stamp" | wc -l)"
    echo "$target: ${execs:-?} executions (${rate:-?}/s), corpus ${corpus:-?} inputs ($files files on disk), $crashes crashes"
    if [[ "$status" -eq 0 && "$crashes" -eq 0 ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED $target (exit $status); libFuzzer log: $log"
        grep -A1 -E "panicked at" "$log" || tail -n 30 "$log"
        grep -E "^SUMMARY|Test unit written to" "$log" || true
        find "$FUZZ/artifacts/$target" -type f -newer "$run_stamp" | while read -r artifact; do
            echo "reproduce: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${BUILD_FLAGS[*]} $target ${artifact#"$FUZZ"/})"
            echo "first bytes (hex): $(head -c 64 "$artifact" | od -An -tx1 -v | tr -s ' \n' ' ')"
        done
    fi
done

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
