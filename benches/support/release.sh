# Sourced by the HTTP benchmarks: a release build of diming (`$bin`), PostgreSQL with PostGIS
# running (`$pg`, as .ci/postgres prints it), a scratch folder (`$work`) removed on exit with
# the servers the script started; wrk from Debian when `NEEDS_WRK` is set.
[ -n "${NEEDS_WRK:-}" ] && { command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin=$CARGO_TARGET_DIR/release/diming
pg=$(.ci/postgres)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
