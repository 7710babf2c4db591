"""OWSLib (PyPI) writing through diming's OGC API - Features Part 4, with If-Match.

Usage: owslib_transactions.py BASE_URL TOKEN STREET_ID  -- prints what happened as JSON.
"""
import json
import sys

from owslib.ogcapi.features import Features

base, token, street = sys.argv[1:4]
api = Features(base, headers={"Authorization": f"Bearer {token}"})
api.headers["Content-Type"] = "application/geo+json"
out = {}

plate = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [111.9701, 43.6452]},
    "properties": {"street": street, "number": "1附9"},
}
api.collection_item_create("door_plates", json.dumps(plate))
location = api.response_headers["Location"]
fid = location.rsplit("/", 1)[1]
out["created_etag"] = api.response_headers["ETag"]

# Replace with the current version named.
feature = api.collection_item("door_plates", fid)
feature["properties"]["kind"] = "door_small"
api.headers["If-Match"] = api.response_headers["ETag"]
api.collection_item_update("door_plates", fid, json.dumps(feature))
out["updated_etag"] = api.response_headers["ETag"]

# The same version again is stale: refused.
try:
    api.collection_item_update("door_plates", fid, json.dumps(feature))
    out["stale"] = "accepted"
except RuntimeError as e:
    out["stale"] = json.loads(str(e))["code"]

api.headers["If-Match"] = out["updated_etag"]
api.collection_item_delete("door_plates", fid)
try:
    del api.headers["If-Match"]
    api.collection_item("door_plates", fid)
    out["after_delete"] = "found"
except RuntimeError:
    out["after_delete"] = "gone"
print(json.dumps(out))
