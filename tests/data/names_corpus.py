#!/usr/bin/env python3
"""Builds tests/data/names_corpus.csv, the labelled corpus the naming rules are measured on.

    python3 tests/data/names_corpus.py SRC

SRC as for data/names/build/lexicons.py (china-division and opencc unpacked there).

Clean names: official names of the National Bureau of Statistics' division lists (2023, npm
china-division 2.7.0), taken at a fixed stride (counties, towns, rural villages, the
townships and 嘎查 of Inner Mongolia), without names holding digits or brackets.
Non-standard names: urban community names of the same lists that carry a housing estate's
foreign, grandiose or developer's name, or digits, read and labelled by hand below (the
kinds the 2018–2019 clean-up named); and clean names written in traditional characters
(OpenCC's STCharacters), the form the rules must refuse. Each row: name, kind, labels.
"""
import csv
import re
import sys
from pathlib import Path

SRC = Path(sys.argv[1])
division = SRC / "china-division/dist"


def rows(f):
    return list(csv.DictReader(open(division / f"{f}.csv", encoding="utf-8")))


def plain(name):
    return not re.search(r"[0-9０-９A-Za-z（）()·\-]", name)


def stride(names, n):
    names = [x for x in names if plain(x)]
    step = max(1, len(names) // n)
    return names[::step][:n]


clean = []
clean += stride([r["name"] for r in rows("areas")], 100)
clean += stride([r["name"] for r in rows("streets")], 260)
rural = [r["name"] for r in rows("villages") if "社区" not in r["name"] and "居" not in r["name"]]
clean += stride(rural, 160)
mongol = [
    r["name"]
    for f in ("streets", "villages")
    for r in rows(f)
    if r["provinceCode"] == "15" and re.search("苏木|嘎查", r["name"])
]
clean += stride(mongol, 60)
clean = list(dict.fromkeys(clean))

st = {}
for line in open(SRC / "opencc/data/dictionary/STCharacters.txt", encoding="utf-8"):
    if "\t" in line and not line.startswith("#"):
        k, v = line.rstrip("\n").split("\t")
        st[k] = v.split()[0]
traditional = []
for name in clean:
    t = "".join(st.get(c, c) for c in name)
    if t != name:
        traditional.append(t)
traditional = traditional[::4][:120]

# Urban communities of the official lists, labelled by hand (the name of the estate, with
# 社区 for the committee's generic words).
LABELLED = {
    "foreign": """东方夏威夷社区 剑桥春天社区 加州水郡社区 加拿大花园社区 北欧社区 华远波士顿社区
        地中海社区 地中海阳光社区 塞纳阳光社区 富莱茵社区 屹馨曼谷华尚社区 巴黎之春社区
        巴黎印象社区 巴黎第五区社区 曼谷阳光社区 林肯公园社区 枫丹白露社区 格兰香榭社区
        欧洲新城社区 欧洲花园社区 温哥华社区 漫步巴黎社区 爱琴海社区 瑞士花园社区
        维多利亚夏郡社区 罗马嘉园社区 罗马广场社区 英伦名苑社区 英伦名郡社区 莱茵小城社区
        莱茵小镇社区 莱茵水岸社区 西雅图社区 金罗马社区 金荷兰庭社区 雅典城社区 雅典娜社区
        香榭丽东区社区 米兰春天社区 莱茵假日社区 新加坡城社区 
        IT家园社区""",
    "grandiose": """东方御景社区 中海寰宇社区 五州帝景社区 君临天下社区 宏伟帝景社区 帝景城社区
        御府江南社区 御景台社区 御景嘉园社区 御景江山社区 御景湾社区 皇冠国际社区 皇家园林社区
        皇家帝苑社区 皇家海洋世界社区 皇家湾社区 皇家花园社区 皇庭港湾社区
        紫御府社区 龙山帝景社区 龙湾帝景社区 龙熙帝景社区 珠江帝景社区 京贸国际城社区
        兴龙国际城社区 暖山国际城社区 和欣国际花园社区 珠峰国际花园社区 龙腾国际花园社区
        鑫苑国际花园社区 盛和天下社区 金域天下社区 汇豪天下社区 泰和御景豪庭社区 海上御景苑社区""",
    "personal_or_enterprise": """万科城市花园社区 万科幸福里社区 万科新城社区 万科星园社区
        万科花园社区 万科金域社区 万达公馆社区 万达广场社区 万达星城社区 万达长青社区
        世茂天城中心社区 世茂湖滨花园社区 世茂滨江社区 世茂花园社区 保利公园九里社区
        保利华都社区 保利叶之林社区 保利城社区 保利心语社区 保利时代社区 保利水韵社区
        保利江城社区 保利灯塔社区 保利花园社区 保利蓝海郡社区 华南碧桂园社区 印象旭辉社区""",
    "odd": """030院社区 102社区 110街社区 1201社区 179社区 202所社区 309医院社区 3520社区
        602库社区 607社区 6916社区 701社区 7080社区 768厂社区 801社区 9511工厂联合社区
        七四0社区 万寿路1号社区 万寿路28号社区 复兴路20号社区 复兴路乙4号院社区
        中核21社区 中核405社区 中航307社区 兴盛街187号院社区 华润·凌江社区 五三（1）社区""",
}
BOTH = {  # names of two kinds
    "恒大帝景社区": "grandiose+personal_or_enterprise",
    "恒大御景半岛社区": "grandiose+personal_or_enterprise",
    "旭辉御府社区": "grandiose+personal_or_enterprise",
    "富力丹麦小镇社区": "foreign+personal_or_enterprise",
    "万科华尔兹社区": "foreign+personal_or_enterprise",
    "保利拉菲社区": "foreign+personal_or_enterprise",
    "禹洲尊府社区": "grandiose+personal_or_enterprise",
}

out = Path("tests/data/names_corpus.csv")
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "kind", "labels"])
    for n in clean:
        w.writerow([n, "unit", "clean"])
    for n in traditional:
        w.writerow([n, "unit", "traditional"])
    for label, names in LABELLED.items():
        for n in names.split():
            w.writerow([n, "unit", label])
    for n, labels in BOTH.items():
        w.writerow([n, "unit", labels])
print(f"{len(clean)} clean, {len(traditional)} traditional, "
      + ", ".join(f"{len(v.split())} {k}" for k, v in LABELLED.items()) + f", {len(BOTH)} of two kinds")
