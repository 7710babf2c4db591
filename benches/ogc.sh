#!/usr/bin/env bash
# OGC API – Features items (bbox, limit 100) at 32 concurrent clients, side by side: diming
# (PostgreSQL store, answered from memory), pygeoapi from PyPI (Flask under gunicorn with
# 2 × cores + 1 workers, gunicorn's own advice) and tipg from PyPI (FastAPI with asyncpg under
# uvicorn, 5 workers), the two reading the same door plates from PostGIS. The peers read
# EPSG:4490 with EPSG's latitude-first axis order, so they get a copy of the table with the
# same rows, SRID 4326 (CGCS2000 and WGS 84 differ by centimetres) and the same GiST index.
# Usage: benches/ogc.sh [seconds]   (installs wrk from Debian and the peers from PyPI into
# cache folders if needed; a peer that does not answer stops the script with its log)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin=$CARGO_TARGET_DIR/release/diming
pg=$(.ci/postgres)
venv=${DIMING_BENCH_VENV:-$HOME/.cache/diming/pygeoapi}
# pygeoapi's PostgreSQL provider needs SQLAlchemy's GeoAlchemy2 (not among its own
# requirements): without it the provider fails at the first request.
[ -x "$venv/bin/gunicorn" ] && "$venv/bin/python" -c 'import geoalchemy2' 2>/dev/null || {
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'pygeoapi==0.21.0' psycopg2-binary gunicorn 'GeoAlchemy2>=0.14' 'SQLAlchemy>=2'
}
tvenv=${DIMING_BENCH_TIPG_VENV:-$HOME/.cache/diming/tipg}
[ -x "$tvenv/bin/uvicorn" ] || {
  python3 -m venv "$tvenv"
  "$tvenv/bin/pip" install -q 'tipg==1.6.1' 'uvicorn[standard]'
}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; pkill -f "tipg.main:app|pygeoapi.flask_app" 2>/dev/null || true; rm -rf "$work"' EXIT
db="${pg%/postgres}/diming_ogc"
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_ogc WITH (FORCE)' -c 'CREATE DATABASE diming_ogc OWNER diming'" >/dev/null
"$bin" --db "$db" demo --force >/dev/null
PGPASSWORD=diming psql -qAt -h 127.0.0.1 -U diming diming_ogc -c "
  CREATE TABLE peer_door_plates AS SELECT id, version, valid_from, recorded_at, source, street_id,
    number, number_value, ST_SetSRID(geom, 4326)::geometry(Point, 4326) AS geom FROM door_plates;
  ALTER TABLE peer_door_plates ADD PRIMARY KEY (id);
  CREATE INDEX ON peer_door_plates USING gist (geom);
  ANALYZE peer_door_plates;" >/dev/null

cat > "$work/pygeoapi.yml" <<YAML
server:
  bind: {host: 127.0.0.1, port: 8097}
  url: http://127.0.0.1:8097
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  cors: false
  pretty_print: false
  limits: {default_items: 10, max_items: 1000}
  map: {url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: OSM}
logging: {level: ERROR}
metadata:
  identification: {title: peer, description: peer, keywords: [peer], keywords_type: theme, terms_of_service: none, url: 'http://127.0.0.1'}
  license: {name: none, url: 'http://127.0.0.1'}
  provider: {name: none, url: 'http://127.0.0.1'}
  contact: {name: none, position: none, address: none, city: none, stateorprovince: none, postalcode: none, country: none, phone: none, fax: none, email: none, url: 'http://127.0.0.1', hours: none, instructions: none, role: pointOfContact}
resources:
  door_plates:
    type: collection
    title: door_plates
    description: door plates
    keywords: [door]
    extents:
      spatial: {bbox: [111.8, 43.5, 112.1, 43.8], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}
    providers:
      - type: feature
        name: PostgreSQL
        data: {host: 127.0.0.1, port: 5432, dbname: diming_ogc, user: diming, password: diming, search_path: [public]}
        id_field: id
        table: peer_door_plates
        geom_field: geom
YAML
(cd "$work" && PYGEOAPI_CONFIG=pygeoapi.yml "$venv/bin/pygeoapi" openapi generate pygeoapi.yml --output-file openapi.yml >/dev/null 2>&1)

"$bin" --db "$db" serve --addr 127.0.0.1:8098 >/dev/null 2>&1 &
(cd "$work" && PYGEOAPI_CONFIG=pygeoapi.yml PYGEOAPI_OPENAPI=openapi.yml \
  "$venv/bin/gunicorn" -w $((2 * $(nproc) + 1)) -b 127.0.0.1:8097 pygeoapi.flask_app:APP >"$work/pygeoapi.log" 2>&1) &
(cd "$work" && DATABASE_URL=postgresql://diming:diming@127.0.0.1:5432/diming_ogc \
  TIPG_DB_SCHEMAS='["public"]' TIPG_MAX_FEATURES_PER_QUERY=1000 \
  "$tvenv/bin/uvicorn" tipg.main:app --host 127.0.0.1 --port 8096 --workers 5 >"$work/tipg.log" 2>&1) &
for port in 8098 8097 8096; do
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
done
ours=/ogc/collections/door_plates/items
pygeoapi=/collections/door_plates/items
tipg=/collections/public.peer_door_plates/items
q='?bbox=111.95,43.64,111.96,43.648&limit=100&f='
count() { # name port path format log: the features of the same box, or the peer's log and a stop
  local n
  n=$(curl -sf "http://127.0.0.1:$2$3$q$4" | python3 -c 'import sys,json; print(len(json.load(sys.stdin)["features"]))') || {
    echo "$1 did not answer $3$q$4" >&2; [ -n "${5:-}" ] && tail -30 "$5" >&2; exit 1; }
  echo "$n"
}
# tipg's GeoJSON is `f=geojson` (its `json` is a bare list).
n1=$(count diming 8098 "$ours" json)
n2=$(count pygeoapi 8097 "$pygeoapi" json "$work/pygeoapi.log")
n3=$(count tipg 8096 "$tipg" geojson "$work/tipg.log")
echo "same box: diming $n1 features, pygeoapi $n2, tipg $n3"
[ "$n1" = "$n2" ] && [ "$n1" = "$n3" ] || { echo "the servers disagree on the same box" >&2; exit 1; }

measure() {
  local name=$1 port=$2 items=$3 format=$4 out
  out=$(ITEMS=$items FORMAT=$format wrk -t2 -c32 -d"${secs}s" --latency -s benches/ogc.lua "http://127.0.0.1:$port")
  local rps p99 errors
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$name: ${rps} requests/s, p99 ${p99}, non-2xx ${errors:-0}" >&2
  echo "$rps"
}
a=$(measure diming 8098 "$ours" json)
b=$(measure pygeoapi 8097 "$pygeoapi" json)
c=$(measure tipg 8096 "$tipg" geojson)
awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { printf "diming / pygeoapi: %.1f ×\ndiming / tipg: %.1f × (target ≥ 10 ×)\n", a / b, a / c }'
su postgres -c "psql -qAtc 'DROP DATABASE IF EXISTS diming_ogc WITH (FORCE)'" >/dev/null || true
