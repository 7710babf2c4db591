#!/usr/bin/env bash
# 50 officers editing different streets at once for 60 s through the web API (benches/
# officers.py), on each store: no error, and every acknowledged changeset read back from the
# store by a restarted server. Prints changesets per second and latency, and how many of the
# transactions wrote several changesets (group commit). Usage: benches/officers.sh [seconds]
# [officers]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
officers=${2:-50}
. benches/support/release.sh

serve() { # db
  "$bin" --db "$1" serve --addr 127.0.0.1:8103 >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf http://127.0.0.1:8103/healthz >/dev/null && return; sleep 0.2; done
  echo "the server did not start" >&2; exit 1
}
run() { # name db
  echo "== $1"
  "$bin" --db "$2" demo --force >/dev/null
  echo "officers-密码-长长的" | "$bin" --db "$2" user add officers --role names_officer --password-stdin >/dev/null
  local token
  token=$("$bin" --db "$2" user token officers --label officers | grep -Eo '[0-9a-f]{64}' | head -1)
  serve "$2"
  local status=0
  python3 benches/officers.py run http://127.0.0.1:8103 "$token" "$secs" "$officers" "$work/acked.json" || status=1
  curl -s http://127.0.0.1:8103/metrics | grep -E '^diming_(group_commits_total|changesets) ' || true
  kill $server; wait $server 2>/dev/null || true
  serve "$2"
  python3 benches/officers.py check http://127.0.0.1:8103 "$token" "$work/acked.json" || status=1
  kill $server; wait $server 2>/dev/null || true
  return $status
}

status=0
run sqlite "sqlite://$work/officers.gpkg" || status=1
db="${pg%/postgres}/diming_officers"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_officers WITH (FORCE)' -c 'CREATE DATABASE diming_officers OWNER diming'" >/dev/null
run postgresql "$db" || status=1
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_officers WITH (FORCE)'" >/dev/null || true
exit $status
