#!/usr/bin/env bash
# Long crash run: SIGKILL a process while it saves, many rounds on one store, then check that
# every acknowledged save is present and the store is sound. The default `cargo test` runs a
# few rounds; this runs ROUNDS (default 40) in release mode.
#   scripts/crash-soak.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-40}"
KOPPEL_KILL_ROUNDS="$rounds" cargo test --release --test store_kill -- --nocapture
