#!/usr/bin/env bash
# Freshness: how long after a write's answer the change is visible in search, in OGC API items
# and in a vector tile, while the demo's mixed load (benches/load.lua, 4 connections) runs on
# the same server. SQLite (one server), PostgreSQL (the same server) and PostgreSQL across two
# servers sharing the database (written on one, read on the other, which learns of it by
# LISTEN/NOTIFY). Target: p99 ≤ 1 s everywhere. Usage: benches/freshness.sh [probes]
# (installs wrk from Debian if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
probes=${1:-200}
NEEDS_WRK=1 . benches/support/release.sh

prepare() { # db: the demo and an officer's token
  "$bin" --db "$1" demo --force >/dev/null
  echo "freshness-密码-长长的" | "$bin" --db "$1" user add fresh --role names_officer --password-stdin >/dev/null
  "$bin" --db "$1" user token fresh --label fresh | grep -Eo '[0-9a-f]{64}' | head -1
}
serve() { # db port
  "$bin" --db "$1" serve --addr "127.0.0.1:$2" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.2; done
  echo "the server on $2 did not start" >&2; exit 1
}
probe() { # name write-port read-port token
  echo "== $1"
  DIMING_TOKEN=$4 wrk -t2 -c4 -d600s -s benches/load.lua "http://127.0.0.1:$2" >/dev/null 2>&1 &
  local load=$!
  sleep 2
  python3 benches/freshness.py "http://127.0.0.1:$2" "http://127.0.0.1:$3" "$4" "$probes"
  kill $load; wait $load 2>/dev/null || true
}

token=$(prepare "sqlite://$work/fresh.gpkg")
serve "sqlite://$work/fresh.gpkg" 8099
probe "SQLite, one server" 8099 8099 "$token"
kill $server; wait $server 2>/dev/null || true

db="${pg%/postgres}/diming_fresh"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_fresh WITH (FORCE)' -c 'CREATE DATABASE diming_fresh OWNER diming'" >/dev/null
token=$(prepare "$db")
serve "$db" 8101
serve "$db" 8102
probe "PostgreSQL, one server" 8101 8101 "$token"
probe "PostgreSQL, written on one server, read on another" 8101 8102 "$token"
kill $(jobs -p) 2>/dev/null || true
sleep 1
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_fresh WITH (FORCE)'" >/dev/null || true
