//! The place-name gazetteer (地名志): what the book holds, in the order it holds it. Pure: the
//! registry gathers the entries (`registry::gazetteer`), `publish::gazetteer` typesets them.
//!
//! Order (DOMAIN.md §1, the census categories): administrative units first, in the order of
//! the hierarchy; then streets; then the other places by category (GB/T 18521); within a
//! category by the unit they lie in (hierarchy order), then by pinyin. Two indexes: by pinyin
//! (toneless, then tones, then characters) and by strokes (the strokes of each character in
//! turn, then pinyin).

use serde::Serialize;
use std::cmp::Ordering;

/// Stroke counts of U+4E00..=U+9FFF (Unihan kTotalStrokes; `data/cjk_strokes.txt`).
const STROKES: &str = include_str!("../../data/cjk_strokes.txt");

/// The total strokes of a character, when known (CJK Unified Ideographs only).
pub fn strokes(c: char) -> Option<u8> {
    static TABLE: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        STROKES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.bytes())
            .map(|b| match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'z' => b - b'a' + 10,
                b'A'..=b'Z' => b - b'A' + 36,
                _ => 0,
            })
            .collect()
    });
    let i = (c as u32).checked_sub(0x4E00)? as usize;
    TABLE.get(i).copied().filter(|n| *n > 0)
}

/// A number in Chinese numerals, 0–99: 二, 十四, 二十.
pub fn numeral(n: u8) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let n = usize::from(n);
    match n {
        0 => "〇".to_string(),
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
    }
}

/// A stroke-count heading: 二画, 十四画.
pub fn count_label(n: u8) -> String {
    format!("{}画", numeral(n))
}

/// One entry of the book.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// A label unique in the book (`e` + the record id), for page references.
    pub key: String,
    pub name: String,
    /// The standard romanization (pinyin words, or the Mongolian transcription: Erenhot).
    pub romanization: String,
    /// What the romanization is made from (pinyin, a fixed form, the Mongolian script).
    pub basis: crate::names::romanize::Basis,
    /// Toneless pinyin of the characters, for the index order.
    pub pinyin: String,
    /// Pinyin with tone numbers, to order names that differ only in tones.
    pub pinyin_tones: String,
    /// The Mongolian script form, when the name has one.
    pub name_mn: Option<String>,
    pub category: String,
    /// Where it lies: the units from the city down.
    pub unit: String,
    /// The hierarchy order of its unit (the unit's code), for grouping.
    pub unit_code: String,
    /// "东经…至东经…，北纬…至北纬…" or a point.
    pub location: String,
    pub meaning: Option<String>,
    pub history: Option<String>,
    pub description: Option<String>,
    /// Approval: body, number, date.
    pub approval: Option<String>,
    /// A small locator map (SVG), for streets and areas.
    pub map: Option<String>,
}

impl Entry {
    /// Stroke counts of each character (unknown last).
    pub fn stroke_key(&self) -> Vec<u8> {
        self.name
            .chars()
            .map(|c| strokes(c).unwrap_or(u8::MAX))
            .collect()
    }
}

/// Pinyin index order.
pub fn pinyin_order(a: &Entry, b: &Entry) -> Ordering {
    a.pinyin
        .cmp(&b.pinyin)
        .then_with(|| a.pinyin_tones.cmp(&b.pinyin_tones))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.key.cmp(&b.key))
}

/// Stroke index order: the strokes of the first character, then of the next…, then pinyin.
pub fn stroke_order(a: &Entry, b: &Entry) -> Ordering {
    a.stroke_key()
        .cmp(&b.stroke_key())
        .then_with(|| pinyin_order(a, b))
}

/// A section of the body: a category, its entries grouped by unit.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    /// (unit heading, entries); one group without a heading for administrative units.
    pub groups: Vec<(Option<String>, Vec<Entry>)>,
}

/// A street's door plates for the street list.
#[derive(Debug, Clone, Serialize)]
pub struct StreetPlates {
    pub name: String,
    pub unit: String,
    pub plates: usize,
    /// Lowest and highest odd and even numbers.
    pub odd: Option<(u32, u32)>,
    pub even: Option<(u32, u32)>,
}

/// A correction against an earlier source or an earlier name (校勘记录).
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub name: String,
    pub earlier: String,
    pub on: String,
    pub basis: String,
}

/// The city in figures (概述).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overview {
    pub units_by_level: Vec<(String, usize)>,
    pub streets: usize,
    pub door_plates: usize,
    pub names_by_category: Vec<(String, usize)>,
    pub area_km2: Option<f64>,
}

/// Paper sizes: 16开 (185 × 260 mm, the default) or A4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    K16,
    A4,
}

impl Paper {
    pub fn mm(self) -> (f64, f64) {
        match self {
            Paper::K16 => (185.0, 260.0),
            Paper::A4 => (210.0, 297.0),
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_lowercase().as_str() {
            "16k" | "16开" => Ok(Paper::K16),
            "a4" => Ok(Paper::A4),
            _ => Err(format!("纸张“{s}”无效：应为 16k 或 a4")),
        }
    }
}

/// What the book does with approved names the naming rules still object to (an error not set
/// aside by a document): they are not standard names, so they are not entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NonStandard {
    /// Listed in an appendix of names under correction (待规范地名), with the rules' reasons.
    #[default]
    Appendix,
    /// Left out of the book; the 凡例 says how many.
    Omit,
}

/// An approved name the rules object to, for the appendix.
#[derive(Debug, Clone, Serialize)]
pub struct UnderCorrection {
    pub name: String,
    pub category: String,
    pub unit: String,
    /// The rules' objections, as officers read them.
    pub reasons: String,
}

/// The whole book.
#[derive(Debug, Clone, Serialize)]
pub struct Book {
    pub title: String,
    pub city: String,
    pub city_mn: Option<String>,
    pub city_romanization: String,
    /// 编纂委员会 (from configuration).
    pub board: Vec<String>,
    pub preface: String,
    /// Where the city lies, after its name in the 概述 (from configuration; may be empty).
    pub situation: String,
    /// The state the book shows: a date ("截至…").
    pub as_of: String,
    /// The date printed on the copyright page (the only field that changes between two
    /// builds of the same state).
    pub printed: String,
    /// The changeset the edition was built from.
    pub changeset: Option<String>,
    pub overview: Overview,
    pub sections: Vec<Section>,
    pub units: Vec<(String, String, String)>,
    pub streets: Vec<StreetPlates>,
    pub sources: Vec<String>,
    pub corrections: Vec<Correction>,
    /// Approved names the rules object to (empty when they are left out).
    pub under_correction: Vec<UnderCorrection>,
    /// How many such names there are, listed or left out.
    pub nonstandard: usize,
    pub nonstandard_policy: NonStandard,
}

impl Book {
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.sections
            .iter()
            .flat_map(|s| s.groups.iter().flat_map(|(_, e)| e.iter()))
    }

    /// The entries in pinyin order.
    pub fn pinyin_index(&self) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self.entries().collect();
        v.sort_by(|a, b| pinyin_order(a, b));
        v
    }

    /// The entries in stroke order, grouped by the strokes of the first character.
    pub fn stroke_index(&self) -> Vec<(String, Vec<&Entry>)> {
        let mut v: Vec<&Entry> = self.entries().collect();
        v.sort_by(|a, b| stroke_order(a, b));
        let mut out: Vec<(String, Vec<&Entry>)> = Vec::new();
        for e in v {
            let label = match e.name.chars().next().and_then(strokes) {
                Some(n) => count_label(n),
                None => "其他".to_string(),
            };
            match out.last_mut() {
                Some((l, list)) if *l == label => list.push(e),
                _ => out.push((label, vec![e])),
            }
        }
        out
    }

    /// What the editorial rules (凡例) say, from what the book holds.
    pub fn rules(&self) -> Vec<String> {
        let n = self.entries().count();
        let categories: Vec<&str> = self.sections.iter().map(|s| s.title.as_str()).collect();
        let with_mn = self.entries().filter(|e| e.name_mn.is_some()).count();
        let mut out = vec![
            format!(
                "本志收录{}截至{}经批准的标准地名 {n} 条，分{}、共 {} 类。",
                self.city,
                self.as_of,
                categories.join("、"),
                categories.len()
            ),
            "条目按类别编排；同类条目按所在行政区域的层级与区划代码顺序排列，同一区域内按汉语拼音排序。".to_string(),
            "条目名称后注罗马字母拼写，按《中国地名汉语拼音字母拼写规则（汉语地名部分）》拼写，专名中的序数词用阿拉伯数字。".to_string(),
            "地理位置采用 2000 国家大地坐标系（CGCS2000）经纬度；线状、面状地名注其经纬度范围，点状地名注其中心位置。".to_string(),
        ];
        use crate::names::romanize::Basis;
        let by = |basis| self.entries().filter(move |e| e.basis == basis);
        if let Some(e) = by(Basis::FixedForm).next() {
            out.push(format!(
                "蒙古语地名 {} 条采用其定形的音译转写（依《少数民族语地名汉语拼音字母音译转写法》），如“{}”写作 {}。",
                by(Basis::FixedForm).count(),
                e.name,
                e.romanization
            ));
        }
        if let Some(e) = by(Basis::Script).next() {
            out.push(format!(
                "尚无定形拼写的蒙古语地名 {} 条，按其蒙古文依《少数民族语地名汉语拼音字母音译转写法》逐字母转写，如“{}”写作 {}。",
                by(Basis::Script).count(),
                e.name,
                e.romanization
            ));
        }
        let pending: Vec<&str> = by(Basis::PendingScript).map(|e| e.name.as_str()).collect();
        if !pending.is_empty() {
            out.push(format!(
                "蒙古语地名 {} 条（{}）登记簿尚缺蒙古文写法，暂按汉字拼写，待补蒙古文后依音译转写法改正。",
                pending.len(),
                pending.join("、")
            ));
        }
        match (self.nonstandard, self.nonstandard_policy) {
            (0, _) => {}
            (n, NonStandard::Appendix) => out.push(format!(
                "经批准但不符合地名命名规则、尚待规范的地名 {n} 条，不作条目、不入索引，列于书末“待规范地名”，注明所违规则。"
            )),
            (n, NonStandard::Omit) => out.push(format!(
                "经批准但不符合地名命名规则、尚待规范的地名 {n} 条，本志未予收录。"
            )),
        }
        if with_mn > 0 {
            out.push(format!(
                "有蒙古文名称的 {with_mn} 条，蒙古文竖排于条目名称左侧，自上而下书写。"
            ));
        }
        if self.entries().any(|e| e.map.is_some()) {
            out.push("街路巷及面状地名附位置示意图，图中红色为本条目，比例尺见图。".to_string());
        }
        out.push("书末附汉语拼音索引、笔画索引（按首字笔画数，同画数按次字笔画数）、行政区划代码表、街路巷门牌号码表、资料来源和校勘记录。".to_string());
        out.push(
            "本志由地名管理信息系统依据登记簿自动编纂，版权页注明所依据的变更集，同一登记状态重印内容相同。"
                .to_string(),
        );
        out
    }
}

/// The columns of the name table: (key, Chinese header).
pub const NAME_COLUMNS: [(&str, &str); 31] = [
    ("id", "记录号"),
    ("name", "标准名称"),
    ("romanization", "罗马字母拼写"),
    ("pinyin", "汉语拼音"),
    ("name_mn", "蒙古文名称"),
    ("aliases", "别名"),
    ("abbreviations", "简称"),
    ("historical", "曾用名"),
    ("kind", "地名种类"),
    ("category", "类别"),
    ("category_code", "普查类别序号"),
    ("unit", "所在政区"),
    ("unit_code", "所在政区代码"),
    ("location", "地理位置"),
    ("lon", "中心经度"),
    ("lat", "中心纬度"),
    ("status", "使用状态"),
    ("named_on", "命名时间"),
    ("established", "设立年份"),
    ("abolished", "废止年份"),
    ("meaning", "地名含义"),
    ("history", "历史沿革"),
    ("description", "地理实体描述"),
    ("sources", "资料来源及出处"),
    ("survey", "测量方法"),
    ("approval_issuer", "批准机关"),
    ("approval_number", "批准文号"),
    ("approval_date", "批准日期"),
    ("valid_from", "登记时间"),
    ("version", "版本"),
    ("remarks", "备注"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stroke_counts_of_known_characters() {
        for (c, n) in [
            ('二', 2),
            ('连', 7),
            ('浩', 10),
            ('特', 10),
            ('赛', 14),
            ('乌', 4),
            ('一', 1),
            ('龘', 48),
        ] {
            assert_eq!(strokes(c), Some(n), "{c}");
        }
        assert_eq!(strokes('A'), None);
        assert_eq!(count_label(2), "二画");
        assert_eq!(count_label(14), "十四画");
        assert_eq!(count_label(20), "二十画");
    }
}
