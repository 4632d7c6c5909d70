#!/usr/bin/env bash
# Runs koppel's fuzz targets (fuzz/, libFuzzer through cargo-fuzz), one after the other.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600 s; every target)
# Installs cargo-fuzz from crates.io when it is missing. Works on the stable toolchain:
# RUSTC_BOOTSTRAP=1 lets stable rustc take the -Z flags cargo-fuzz passes; without the
# nightly sanitizer runtime the targets run without AddressSanitizer (`-s none`), which
# still finds panics, overflows (debug assertions are on), hangs and runaway memory.
# Each run is niced (the machine may be shared); findings land in fuzz/artifacts/<target>/,
# and the corpus each run grows in fuzz/corpus/<target>/ (a small seed set is committed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    echo "== $target: ${seconds} s"
    nice -n 19 cargo fuzz run -s none --release "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
        -print_final_stats=1 2>&1 | grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done|==[0-9]+== ERROR|SUMMARY|thread .* panicked|artifact_prefix|Test unit written)' || true
    if ls "fuzz/artifacts/$target"/* >/dev/null 2>&1; then
        echo "!! $target found inputs that fail: fuzz/artifacts/$target/"
    fi
done
