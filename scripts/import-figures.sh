#!/usr/bin/env bash
# Time and peak memory of import and check at the 100k scale, as a user runs them:
#   scripts/import-figures.sh [VOLUNTEERS]   (default 100000; release build)
# Prints the wall time and maximum resident set size of `koppel export`, `koppel import`
# (into a new store) and `koppel check`, from GNU time (/usr/bin/time -v).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
cargo build --release --quiet
bin="$PWD/target/release/koppel"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" demo --volunteers "$n" --no-tui --data "$work/source" >/dev/null
measure() {
    local name="$1"
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || {
        cat "$work/time.txt"
        exit 1
    }
    local wall rss
    wall="$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')"
    rss="$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')"
    printf '%-8s %10s  %6d MB\n' "$name" "$wall" "$((rss / 1024))"
}
measure export "$bin" export --data "$work/source" --output "$work/all.jsonl"
ls -l "$work/all.jsonl" | awk '{printf "file     %d MB\n", $5 / 1000000}'
measure import "$bin" import --data "$work/copy" "$work/all.jsonl"
measure check "$bin" check --data "$work/copy"
