"""OWSLib (PyPI) reading diming's OGC API - Features, as a GIS script would.

Usage: owslib_features.py BASE_URL  -- prints what it read as one JSON object.
"""
import json
import sys

from owslib.ogcapi.features import Features

base = sys.argv[1]
api = Features(base)
out = {
    "title": api.response["title"],
    "conformance": api.conformance()["conformsTo"],
    "collections": sorted(c["id"] for c in api.collections()["collections"]),
}
page = api.collection_items("streets", limit=5)
out["streets_page"] = page["numberReturned"]
out["streets_matched"] = page["numberMatched"]
out["streets_next"] = any(link["rel"] == "next" for link in page["links"])
box = api.collection_items("door_plates", bbox=[111.94, 43.62, 111.98, 43.66], limit=10000)
out["plates_in_box"] = box["numberReturned"]
named = api.collection_items("streets", filter="name = '建设街'", limit=100)
out["filtered"] = [f["properties"]["name"] for f in named["features"]]
first = page["features"][0]
out["one"] = api.collection_item("streets", first["id"])["properties"]["name"]
print(json.dumps(out, ensure_ascii=False))
