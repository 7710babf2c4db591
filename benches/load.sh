#!/usr/bin/env bash
# Load test on loopback: the demo registry served by a release build, 4 connections, 2 wrk
# threads, 30 s of mixed reads and writes (benches/load.lua), against each store, then the same
# mix with its writes replaced by reads, and the ratio of the two (the cost of the writes);
# then the server's peak memory. Usage: benches/load.sh [seconds]   (installs wrk from Debian
# if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
NEEDS_WRK=1 . benches/support/release.sh

run() {
  local name=$1 db=$2
  "$bin" --db "$db" demo --force >/dev/null
  echo "load-test-密码-长长的" | "$bin" --db "$db" user add loadtest --role names_officer --password-stdin >/dev/null
  local token
  token=$("$bin" --db "$db" user token loadtest --label load | grep -Eo '[0-9a-f]{64}' | head -1)
  "$bin" --db "$db" serve --addr 127.0.0.1:8099 >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8099/healthz >/dev/null && break; sleep 0.2; done
  local rss_start
  rss_start=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  echo "== $name"
  local mixed reads
  mixed=$(DIMING_TOKEN=$token wrk -t2 -c4 -d"${secs}s" --latency -s benches/load.lua http://127.0.0.1:8099 | grep -E '^requests|Non-2xx' || true)
  echo "mixed (one write in ten): $mixed"
  reads=$(WRITES=0 DIMING_TOKEN=$token wrk -t2 -c4 -d"${secs}s" --latency -s benches/load.lua http://127.0.0.1:8099 | grep -E '^requests|Non-2xx' || true)
  echo "reads only (the same mix): $reads"
  rate() { echo "$1" | grep -Eo '[0-9]+/s' | head -1 | tr -d '/s'; }
  awk -v a="$(rate "$mixed")" -v b="$(rate "$reads")" 'BEGIN { printf "mixed / reads only: %.2f (target ≥ 0.25)\n", a / b }'
  echo "server memory: ${rss_start} MB after loading the demo, peak $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB"
  kill $pid; wait $pid 2>/dev/null || true
}

run sqlite "sqlite://$work/load.gpkg"
db="${pg%/postgres}/diming_load"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_load WITH (FORCE)' -c 'CREATE DATABASE diming_load OWNER diming'" >/dev/null
run postgresql "$db"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_load WITH (FORCE)'" >/dev/null
