#!/usr/bin/env bash
# Long crash run: SIGKILL a process while it saves, many rounds on one store, then check that
# every acknowledged save is present and the store is sound; and SIGKILL imports after each of
# their batches in turn, each round into a new store, and check that every one left nothing or
# everything. The default `cargo test` runs a few rounds; this runs ROUNDS of each (default 40)
# in release mode.
#   scripts/crash-soak.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-40}"
KOPPEL_KILL_ROUNDS="$rounds" KOPPEL_IMPORT_KILL_ROUNDS="$rounds" \
    cargo test --release --test store_kill -- --nocapture --test-threads=1
