#!/bin/sh
# Keystroke -> screen through a pseudo-terminal, on the release binary with a 100,000-volunteer
# demo store (built once under target/bench-stores/ if missing).
#
# Starts `koppel --data STORE` in a 120x40 pty five times (process start -> first frame, and ->
# full list shown), then presses <down> 200 times. Each press is timed from writing the key to
# the moment the bytes read back from the pty, fed through a vt100 parser, show the new
# selection (the selected row, the row above it and both ends of the list window, checked by
# name, municipality and intake date). Nothing sleeps: the reader polls the pty.
#
# Then, in another start, types searches key by key ("mole", "jan jansen", "jansen, j",
# "06-1"), each key timed until the screen has settled on its result: the query, the count of
# matches and the best match on the first row, as the library ranks them.
#
# The measurements live in benches/tui.rs (`pty_keystroke`, `pty_search`); this runs only those
# and prints the medians. Extra arguments go to the bench binary.
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench tui -- pty_ "$@"
