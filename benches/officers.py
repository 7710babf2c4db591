"""Many officers at once (benches/officers.sh): each moves a street of their own through the
web API (read the record, shift it a metre, save it with its version), again and again for the
given time. Prints changesets per second, latency and every error; writes what was
acknowledged to a file, which `check` then compares with what a restarted server reads back
from the store (nothing acknowledged may be lost).

Usage: officers.py run URL TOKEN SECONDS OFFICERS ACKED.json
       officers.py check URL TOKEN ACKED.json
"""

import copy
import json
import sys
import threading
import time
import urllib.error
import urllib.request

DOC = {"issuer": "二连浩特市人民政府", "number": "二政发〔2026〕9号", "date": "2026-11-01"}
# What a street's record holds that a write gives back (the rest is derived or history).
WRITABLE = {"name", "name_mn", "class", "source", "naming", "numbering"}
digits = "零一二三四五六七八九"


def numeral(n):
    return "".join(digits[int(d)] for d in str(n))


def call(url, token, path, body=None):
    req = urllib.request.Request(
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run(url, token, seconds, officers, out):
    writes = [{"op": "create", "layer": "streets", "feature": {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [
            [111.95 + i * 0.0004, 43.60], [111.95 + i * 0.0004, 43.61]]},
        "properties": {"name": f"试编{numeral(i + 1)}巷", "class": "branch"}}}
        for i in range(officers)]
    status, answer = call(url, token, "/api/changesets",
                          {"reason": "压测准备", "document": DOC, "writes": writes})
    assert status == 201, (status, answer)
    streets = [r["id"] for r in answer["records"]]
    acked = {s: 0 for s in streets}
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def officer(street):
        status, feature = call(url, token, f"/api/records/{street}")
        assert status == 200, (status, feature)
        version = feature["properties"]["version"]
        props = {k: v for k, v in feature["properties"].items() if k in WRITABLE}
        geometry = feature["geometry"]
        n = 0
        while time.monotonic() < deadline:
            n += 1
            shift = 0.00001 if n % 2 else -0.00001
            geometry = copy.deepcopy(geometry)
            for line in geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]:
                for point in line:
                    point[0] += shift
            t = time.monotonic()
            status, answer = call(url, token, "/api/changesets", {
                "reason": "移动街道", "writes": [{"op": "update", "id": street, "if_match": version,
                    "feature": {"type": "Feature", "geometry": geometry, "properties": props}}]})
            took = time.monotonic() - t
            with lock:
                if status == 201:
                    version = answer["records"][0]["version"]
                    acked[street] += 1
                    latencies.append(took)
                else:
                    errors.append((status, str(answer)[:200]))
                    return

    threads = [threading.Thread(target=officer, args=(s,)) for s in streets]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    for e in errors[:5]:
        print("  error:", e)
    latencies = sorted(latencies) or [0.0]
    p = lambda q: latencies[min(len(latencies) - 1, round((len(latencies) - 1) * q))] * 1000
    total = sum(acked.values())
    print(f"{officers} officers, {elapsed:.0f} s: {total} changesets acknowledged, {total / elapsed:.0f}/s; "
          f"latency p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms; errors {len(errors)}")
    json.dump(acked, open(out, "w"))
    return 1 if errors else 0


def check(url, token, path):
    acked = json.load(open(path))
    lost = 0
    for street, n in acked.items():
        status, feature = call(url, token, f"/api/records/{street}")
        version = feature["properties"]["version"] if status == 200 else None
        if version != 1 + n:
            lost += 1
            print(f"  street {street}: {n} changesets acknowledged, the store has version {version}")
    print(f"after a restart: {sum(acked.values())} acknowledged changesets, {lost} streets short")
    return 1 if lost else 0


if __name__ == "__main__":
    if sys.argv[1] == "run":
        sys.exit(run(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]))
    sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
