"""Freshness probe for benches/freshness.sh: writes a new place through one server's API and
measures, from the write's answer, how long until another (or the same) server shows it in
search, in OGC API items and in a vector tile. Prints p50, p99 and the worst per surface.

Usage: freshness.py WRITE_URL READ_URL TOKEN PROBES
"""

import json
import math
import random
import sys
import time
import urllib.parse
import urllib.request

write_url, read_url, token, probes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"Authorization": f"Bearer {token}"}
digits = "零一二三四五六七八九"


def numeral(n):
    return "".join(digits[int(d)] for d in str(n))


def get(path):
    req = urllib.request.Request(read_url + path, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read()


def tile_of(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def visible(surface, name, lon, lat):
    if surface == "search":
        hits = json.loads(get("/api/search?q=" + urllib.parse.quote(name)))
        hits = hits.get("hits", hits) if isinstance(hits, dict) else hits
        return any(h.get("name") == name for h in hits)
    if surface == "ogc items":
        d = 0.0005
        box = f"{lon - d:.6f},{lat - d:.6f},{lon + d:.6f},{lat + d:.6f}"
        doc = json.loads(get(f"/ogc/collections/places/items?bbox={box}&limit=1000&f=json"))
        return any(f["properties"].get("name") == name for f in doc["features"])
    x, y = tile_of(lon, lat, 16)
    return name.encode() in get(f"/tiles/places/16/{x}/{y}.mvt")


rng = random.Random(20261207)
surfaces = ["search", "ogc items", "tile"]
waits = {s: [] for s in surfaces}
missed = {s: 0 for s in surfaces}
run = rng.randrange(10**6)
for i in range(probes):
    name = f"鲜度{numeral(run)}之{numeral(i)}楼"
    lon, lat = 111.95 + rng.random() * 0.04, 43.63 + rng.random() * 0.03
    body = json.dumps({
        "reason": "新鲜度测试",
        "document": {"issuer": "二连浩特市人民政府", "number": "二政发〔2026〕9号", "date": "2026-11-01"},
        "writes": [{"op": "create", "layer": "places", "feature": {
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, "category": "building"}}}],
    }).encode()
    req = urllib.request.Request(write_url + "/api/changesets", data=body, method="POST",
                                 headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201), r.status
    answered = time.monotonic()
    pending = set(surfaces)
    while pending and time.monotonic() - answered < 10:
        for s in sorted(pending):
            if visible(s, name, lon, lat):
                waits[s].append(time.monotonic() - answered)
                pending.discard(s)
    for s in pending:
        missed[s] += 1
    time.sleep(0.05)

for s in surfaces:
    w = sorted(waits[s])
    if not w:
        print(f"{s:10} never visible in {probes} probes")
        continue
    p = lambda q: w[min(len(w) - 1, round((len(w) - 1) * q))] * 1000
    print(f"{s:10} p50 {p(0.5):.1f} ms  p99 {p(0.99):.1f} ms  worst {w[-1] * 1000:.1f} ms"
          f"  ({len(w)} of {probes} seen; {missed[s]} not within 10 s)")
