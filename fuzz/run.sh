#!/bin/sh
# Runs every fuzz target for SECONDS each (default 600), one after another, then minimizes
# each corpus (cmin) so that what is committed stays small. Needs nightly Rust and
# cargo-fuzz (`cargo install cargo-fuzz`). A crash stops the script and leaves its input in
# fuzz/artifacts/TARGET/; fix the parser, and add the input to fuzz/corpus/TARGET/ so that
# the integration tests replay it from then on.
set -eu
cd "$(dirname "$0")/.."
seconds="${SECONDS_PER_TARGET:-600}"
targets="${*:-geojson wkb cql2 door_number names ledger archive fields}"
for t in $targets; do
    echo "== $t: ${seconds} s"
    extra=""
    # CQL2 filters: its dictionary, and inputs as long as the API takes (8 KiB), so that
    # the guard's counts can be overrun; a filter must be answered within a second.
    [ "$t" = cql2 ] && extra="-dict=fuzz/cql2.dict -max_len=8192 -len_control=0 -timeout=1"
    # shellcheck disable=SC2086
    cargo +nightly fuzz run -s none "$t" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 $extra
    cargo +nightly fuzz cmin -s none "$t"
done
