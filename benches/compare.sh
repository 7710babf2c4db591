#!/usr/bin/env bash
# Two builds of diming side by side in one sitting, over HTTP on loopback: OGC API items (the
# requests of benches/ogc.lua) and vector tiles (benches/tiles.lua), each server in turn, twice,
# against the same demo registry in PostgreSQL. Usage:
#   benches/compare.sh OLD_BINARY NEW_BINARY [seconds]
# (build each with `cargo build --release` at its commit and copy target/release/diming aside).
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 secs=${3:-15}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
pg=$(.ci/postgres)
db="${pg%/postgres}/diming_compare"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_compare WITH (FORCE)' -c 'CREATE DATABASE diming_compare OWNER diming'" >/dev/null
"$new" --db "$db" demo --force >/dev/null
run() { # name binary port
  "$2" --db "$db" serve --addr "127.0.0.1:$3" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && break; sleep 0.2; done
  local items tiles streets
  items=$(ITEMS=/ogc/collections/door_plates/items wrk -t2 -c32 -d"${secs}s" -s benches/ogc.lua "http://127.0.0.1:$3" | awk '/Requests\/sec/ {print $2}')
  tiles=$(TABLE=door_plates wrk -t2 -c4 -d"${secs}s" -s benches/tiles.lua "http://127.0.0.1:$3" | awk '/Requests\/sec/ {print $2}')
  streets=$(TABLE=streets wrk -t2 -c4 -d"${secs}s" -s benches/tiles.lua "http://127.0.0.1:$3" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-4s OGC items %8s req/s   door-plate tiles %8s/s   street tiles %8s/s\n' "$1" "$items" "$tiles" "$streets"
}
for round in 1 2; do
  run old "$old" 8301
  run new "$new" 8302
done
