//! Does a sign show what the registry approved? Each rule has a stable id, names its source
//! (GB 17733, GB/T 16159 pinyin orthography, the Inner Mongolia rules in DOMAIN.md §3) and says
//! what the sign shows against what it should.

use super::{Condition, MnPosition, Sign, SignKind, WorkKind};
use crate::names::romanize::is_pinyin_word;
use crate::record::RecordId;
use serde::Serialize;

/// What a sign should show: taken from the approved record it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub record: RecordId,
    /// The standard name in characters (for a building or door plate: its street's name).
    pub zh: String,
    /// The approved Mongolian form, if the record has one.
    pub mn: Option<String>,
    /// The romanization in its sign form: capitals, no tones, apostrophes kept.
    pub pinyin: String,
    /// The door or building number (plates), without 号.
    pub number: Option<String>,
}

/// The rules a sign is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "&'static str")]
pub enum Rule {
    NoRecord,
    Chinese,
    MongolianMissing,
    MongolianWrong,
    PinyinMissing,
    PinyinTones,
    PinyinCase,
    PinyinApostrophe,
    PinyinForeign,
    PinyinSpelling,
    Number,
    MnPosition,
    MnShare,
    Proportion,
    NumberHeight,
    Condition(Condition),
}

impl From<Rule> for &'static str {
    fn from(r: Rule) -> &'static str {
        r.id()
    }
}

impl Rule {
    pub const ALL: [Rule; 19] = [
        Rule::NoRecord,
        Rule::Chinese,
        Rule::MongolianMissing,
        Rule::MongolianWrong,
        Rule::PinyinMissing,
        Rule::PinyinTones,
        Rule::PinyinCase,
        Rule::PinyinApostrophe,
        Rule::PinyinForeign,
        Rule::PinyinSpelling,
        Rule::Number,
        Rule::MnPosition,
        Rule::MnShare,
        Rule::Proportion,
        Rule::NumberHeight,
        Rule::Condition(Condition::Damaged),
        Rule::Condition(Condition::Dirty),
        Rule::Condition(Condition::Faded),
        Rule::Condition(Condition::Missing),
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::NoRecord => "names.record",
            Rule::Chinese => "text.zh",
            Rule::MongolianMissing => "text.mn.missing",
            Rule::MongolianWrong => "text.mn.wrong",
            Rule::PinyinMissing => "pinyin.missing",
            Rule::PinyinTones => "pinyin.tones",
            Rule::PinyinCase => "pinyin.case",
            Rule::PinyinApostrophe => "pinyin.apostrophe",
            Rule::PinyinForeign => "pinyin.foreign",
            Rule::PinyinSpelling => "pinyin.spelling",
            Rule::Number => "text.number",
            Rule::MnPosition => "layout.mn_position",
            Rule::MnShare => "layout.mn_share",
            Rule::Proportion => "layout.proportion",
            Rule::NumberHeight => "layout.number_height",
            Rule::Condition(Condition::Good) => "condition.good",
            Rule::Condition(Condition::Damaged) => "condition.damaged",
            Rule::Condition(Condition::Dirty) => "condition.dirty",
            Rule::Condition(Condition::Faded) => "condition.faded",
            Rule::Condition(Condition::Missing) => "condition.missing",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The rule in words.
    pub fn title(self) -> &'static str {
        match self {
            Rule::NoRecord => "标志所指的地名记录不存在或已注销",
            Rule::Chinese => "汉字须与核准的标准名称一致",
            Rule::MongolianMissing => "内蒙古地名标志须同时使用蒙古文",
            Rule::MongolianWrong => "蒙古文须与核准的蒙古文名称一致",
            Rule::PinyinMissing => "标志须标注汉语拼音",
            Rule::PinyinTones => "标志用拼音不标声调",
            Rule::PinyinCase => "标志用拼音字母一律大写",
            Rule::PinyinApostrophe => "拼音须保留隔音符号（'）",
            Rule::PinyinForeign => "不得使用英文或威妥玛式等旧拼法",
            Rule::PinyinSpelling => "拼音须与标准罗马字母拼写一致",
            Rule::Number => "门（楼）号须与门牌记录一致",
            Rule::MnPosition => "蒙古文须在汉字上方（或左侧）",
            Rule::MnShare => "蒙古文所占高度不小于汉字区的三分之一",
            Rule::Proportion => "街（巷）牌汉字占上部五分之三、拼音占下部五分之二",
            Rule::NumberHeight => "楼牌号码数字高度不小于 350 毫米",
            Rule::Condition(Condition::Good) => "完好",
            Rule::Condition(Condition::Damaged) => "标志残缺，须维修",
            Rule::Condition(Condition::Dirty) => "标志污损，须清洗",
            Rule::Condition(Condition::Faded) => "标志褪色，须更换",
            Rule::Condition(Condition::Missing) => "标志缺失，须补设",
        }
    }

    /// Where the rule comes from.
    pub fn source(self) -> &'static str {
        match self {
            Rule::NoRecord | Rule::Chinese | Rule::Number => "《地名管理条例》；GB 17733",
            Rule::MongolianMissing | Rule::MongolianWrong | Rule::MnShare => {
                "GB 17733 第 5.1.6 条；内蒙古自治区蒙古语言文字工作条例"
            }
            Rule::MnPosition => "GB 17733 第 5.1.6 条",
            Rule::PinyinMissing
            | Rule::PinyinTones
            | Rule::PinyinCase
            | Rule::PinyinApostrophe
            | Rule::PinyinForeign
            | Rule::PinyinSpelling => "GB 17733；GB/T 16159；《中国地名汉语拼音字母拼写规则》",
            Rule::Proportion | Rule::NumberHeight => "GB 17733 版面规定",
            Rule::Condition(_) => "地名标志维护",
        }
    }

    /// The group a finding is reported in.
    pub fn group(self) -> &'static str {
        match self {
            Rule::NoRecord | Rule::Chinese | Rule::Number => "文字",
            Rule::MongolianMissing | Rule::MongolianWrong => "蒙古文",
            Rule::PinyinMissing
            | Rule::PinyinTones
            | Rule::PinyinCase
            | Rule::PinyinApostrophe
            | Rule::PinyinForeign
            | Rule::PinyinSpelling => "拼音",
            Rule::MnPosition | Rule::MnShare | Rule::Proportion | Rule::NumberHeight => "版式",
            Rule::Condition(_) => "状况",
        }
    }

    /// The work that puts it right: a wrong text means a new face.
    pub fn remedy(self) -> WorkKind {
        match self {
            Rule::Condition(c) => c.remedy().unwrap_or(WorkKind::Repair),
            _ => WorkKind::Replace,
        }
    }
}

/// One thing wrong with a sign.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    #[schema(value_type = String)]
    pub rule: Rule,
    pub message: String,
    /// Where the rule comes from.
    pub source: &'static str,
    /// What the sign shows (empty when it shows nothing).
    pub shown: String,
    /// What it should show.
    pub expected: String,
}

impl Finding {
    fn new(rule: Rule, shown: impl Into<String>, expected: impl Into<String>) -> Finding {
        Finding {
            rule,
            message: rule.title().to_string(),
            source: rule.source(),
            shown: shown.into(),
            expected: expected.into(),
        }
    }
}

const TONED: [(char, char); 24] = [
    ('ā', 'a'),
    ('á', 'a'),
    ('ǎ', 'a'),
    ('à', 'a'),
    ('ē', 'e'),
    ('é', 'e'),
    ('ě', 'e'),
    ('è', 'e'),
    ('ī', 'i'),
    ('í', 'i'),
    ('ǐ', 'i'),
    ('ì', 'i'),
    ('ō', 'o'),
    ('ó', 'o'),
    ('ǒ', 'o'),
    ('ò', 'o'),
    ('ū', 'u'),
    ('ú', 'u'),
    ('ǔ', 'u'),
    ('ù', 'u'),
    ('ǖ', 'ü'),
    ('ǘ', 'ü'),
    ('ǚ', 'ü'),
    ('ǜ', 'ü'),
];

fn untoned(c: char) -> Option<char> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    TONED.iter().find(|(t, _)| *t == lower).map(|(_, b)| *b)
}

/// Words of a romanized line, upper case, tones removed.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .map(|c| untoned(c).unwrap_or(c))
                .flat_map(char::to_uppercase)
                .collect()
        })
        .collect()
}

fn check_pinyin(shown: &str, expected: &str, out: &mut Vec<Finding>) {
    if shown.chars().any(|c| untoned(c).is_some()) {
        out.push(Finding::new(Rule::PinyinTones, shown, expected));
    }
    if shown.chars().any(|c| c.is_lowercase()) {
        out.push(Finding::new(Rule::PinyinCase, shown, expected));
    }
    let got = words(shown);
    let want = words(expected);
    if got == want {
        return;
    }
    // A word the standard form does not have and that no run of pinyin syllables spells is
    // English, Wade–Giles (HSIN, CH'ANG, TZU…) or another foreign form.
    let foreign = got
        .iter()
        .any(|w| !want.contains(w) && (w.contains('-') || !is_pinyin_word(w)));
    if foreign {
        out.push(Finding::new(Rule::PinyinForeign, shown, expected));
        return;
    }
    let bare = |ws: &[String]| ws.concat().replace('\'', "");
    if bare(&got) == bare(&want) && got.concat().len() < want.concat().len() {
        out.push(Finding::new(Rule::PinyinApostrophe, shown, expected));
    } else {
        out.push(Finding::new(Rule::PinyinSpelling, shown, expected));
    }
}

/// Checks a sign against what it should show. `expected` is `None` when the record it names
/// does not exist (or is retired).
pub fn check(sign: &Sign, expected: Option<&Expected>) -> Vec<Finding> {
    let mut out = Vec::new();
    if sign.condition != Condition::Good {
        out.push(Finding::new(
            Rule::Condition(sign.condition),
            sign.condition.label(),
            Condition::Good.label(),
        ));
    }
    let Some(want) = expected else {
        out.push(Finding::new(Rule::NoRecord, sign.shows.zh.clone(), ""));
        return out;
    };
    let shows = &sign.shows;
    if shows.zh.trim() != want.zh {
        out.push(Finding::new(
            Rule::Chinese,
            shows.zh.clone(),
            want.zh.clone(),
        ));
    }
    if let Some(mn) = &want.mn {
        match shows.mn.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            None => out.push(Finding::new(Rule::MongolianMissing, "", mn.clone())),
            Some(m) if m != mn.trim() => {
                out.push(Finding::new(Rule::MongolianWrong, m, mn.clone()))
            }
            Some(_) => {}
        }
    }
    if sign.kind != SignKind::Door {
        match shows
            .pinyin
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => out.push(Finding::new(Rule::PinyinMissing, "", want.pinyin.clone())),
            Some(p) => check_pinyin(p, &want.pinyin, &mut out),
        }
    }
    if sign.kind.has_number()
        && let Some(n) = &want.number
        && shows.number.as_deref().map(str::trim) != Some(n.as_str())
    {
        out.push(Finding::new(
            Rule::Number,
            shows.number.clone().unwrap_or_default(),
            n.clone(),
        ));
    }
    if let Some(layout) = &sign.layout {
        let has_mn = shows.mn.is_some() || want.mn.is_some();
        if has_mn {
            match layout.mn_position {
                Some(MnPosition::Above | MnPosition::Left) => {}
                other => out.push(Finding::new(
                    Rule::MnPosition,
                    match other {
                        Some(MnPosition::Below) => "蒙古文在汉字下方",
                        Some(MnPosition::Right) => "蒙古文在汉字右侧",
                        _ => "未标明",
                    },
                    "蒙古文在汉字上方或左侧",
                )),
            }
            // A 5 % tolerance for measuring a sign with a tape.
            if layout.mn_mm < layout.zh_mm / 3.0 * 0.95 {
                out.push(Finding::new(
                    Rule::MnShare,
                    format!(
                        "蒙古文 {:.0} 毫米，汉字 {:.0} 毫米",
                        layout.mn_mm, layout.zh_mm
                    ),
                    format!("蒙古文不小于 {:.0} 毫米", layout.zh_mm / 3.0),
                ));
            }
        }
        if sign.kind.is_street_sign() && layout.zh_mm + layout.pinyin_mm > 0.0 {
            let share = layout.zh_mm / (layout.zh_mm + layout.pinyin_mm);
            if (share - 0.6).abs() > 0.03 {
                out.push(Finding::new(
                    Rule::Proportion,
                    format!(
                        "汉字 {:.0} 毫米、拼音 {:.0} 毫米（汉字占 {:.0}%）",
                        layout.zh_mm,
                        layout.pinyin_mm,
                        share * 100.0
                    ),
                    "汉字占 60%，拼音占 40%",
                ));
            }
        }
        if sign.kind == SignKind::Building && layout.number_mm < 350.0 {
            out.push(Finding::new(
                Rule::NumberHeight,
                format!("{:.0} 毫米", layout.number_mm),
                "不小于 350 毫米",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Mounting, SignLayout, SignText};
    use super::*;
    use crate::record::Source;

    fn expected() -> Expected {
        Expected {
            record: RecordId::derived("street/乌兰路"),
            zh: "乌兰路".into(),
            mn: Some("ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ".into()),
            pinyin: "WULAN LU".into(),
            number: None,
        }
    }

    fn sign(kind: SignKind, zh: &str, mn: Option<&str>, pinyin: Option<&str>) -> Sign {
        Sign {
            code: "T-1".into(),
            kind,
            facing: Some(90.0),
            mounting: Mounting::Pole,
            width_mm: 1200,
            height_mm: 400,
            vertical: false,
            material: None,
            installer: None,
            installed: None,
            names: vec![RecordId::derived("street/乌兰路")],
            shows: SignText {
                zh: zh.into(),
                mn: mn.map(Into::into),
                pinyin: pinyin.map(Into::into),
                number: None,
            },
            layout: Some(SignLayout {
                mn_position: Some(MnPosition::Above),
                mn_mm: 80.0,
                zh_mm: 180.0,
                pinyin_mm: 120.0,
                number_mm: 0.0,
            }),
            condition: Condition::Good,
            photos: vec![],
            source: Source::Survey,
        }
    }

    fn rules(s: &Sign, e: &Expected) -> Vec<&'static str> {
        check(s, Some(e)).iter().map(|f| f.rule.id()).collect()
    }

    const MN: Option<&str> = Some("ᠤᠯᠠᠭᠠᠨ ᠵᠠᠮ");

    #[test]
    fn a_conforming_street_sign_has_no_findings() {
        let s = sign(SignKind::Street, "乌兰路", MN, Some("WULAN LU"));
        assert!(check(&s, Some(&expected())).is_empty());
    }

    #[test]
    fn wrong_characters_are_found() {
        let s = sign(SignKind::Street, "乌兰大路", MN, Some("WULAN LU"));
        assert_eq!(rules(&s, &expected()), ["text.zh"]);
    }

    #[test]
    fn mongolian_missing_or_wrong_is_found() {
        let e = expected();
        let s = sign(SignKind::Lightbox, "乌兰路", None, Some("WULAN LU"));
        assert_eq!(rules(&s, &e), ["text.mn.missing"]);
        let s = sign(
            SignKind::Lightbox,
            "乌兰路",
            Some("ᠤᠯᠠᠨ ᠵᠠᠮ"),
            Some("WULAN LU"),
        );
        assert_eq!(rules(&s, &e), ["text.mn.wrong"]);
        // A record without a Mongolian form asks nothing of the sign.
        let e = Expected { mn: None, ..e };
        let s = sign(SignKind::Lightbox, "乌兰路", None, Some("WULAN LU"));
        assert!(rules(&s, &e).is_empty());
    }

    #[test]
    fn pinyin_in_the_sign_form() {
        let e = expected();
        let cases = [
            (None, "pinyin.missing"),
            (Some("WŪLÁN LÙ"), "pinyin.tones"),
            (Some("Wulan Lu"), "pinyin.case"),
            (Some("WULAN ROAD"), "pinyin.foreign"),
            (Some("WULAN LOO"), "pinyin.spelling"),
        ];
        for (shown, rule) in cases {
            let s = sign(SignKind::Street, "乌兰路", MN, shown);
            assert_eq!(rules(&s, &e), [rule], "{shown:?}");
        }
        let tian = Expected {
            zh: "天安门".into(),
            mn: None,
            pinyin: "TIAN'ANMEN".into(),
            ..e.clone()
        };
        let s = sign(SignKind::Place, "天安门", None, Some("TIANANMEN"));
        assert_eq!(rules(&s, &tian), ["pinyin.apostrophe"]);
        let s = sign(SignKind::Place, "天安门", None, Some("TIAN'ANMEN"));
        assert!(rules(&s, &tian).is_empty());
    }

    #[test]
    fn wade_giles_and_old_forms_are_foreign_or_misspelt() {
        let e = Expected {
            zh: "新华街".into(),
            mn: None,
            pinyin: "XINHUA JIE".into(),
            ..expected()
        };
        for wg in ["HSINHUA CHIEH", "HSIN-HUA STREET", "CH'ANGAN CHIEH"] {
            let s = sign(SignKind::Street, "新华街", None, Some(wg));
            assert_eq!(rules(&s, &e), ["pinyin.foreign"], "{wg}");
        }
        // The city's own name: the pinyin of the characters is not its standard form.
        let city = Expected {
            zh: "二连浩特市".into(),
            mn: None,
            pinyin: "ERENHOT SHI".into(),
            ..e
        };
        let s = sign(SignKind::Place, "二连浩特市", None, Some("ERLIANHAOTE SHI"));
        assert_eq!(rules(&s, &city), ["pinyin.spelling"]);
    }

    #[test]
    fn layout_rules_of_gb_17733() {
        let e = expected();
        let mut s = sign(SignKind::Street, "乌兰路", MN, Some("WULAN LU"));
        s.layout.as_mut().unwrap().mn_position = Some(MnPosition::Below);
        assert_eq!(rules(&s, &e), ["layout.mn_position"]);
        let mut s = sign(SignKind::Street, "乌兰路", MN, Some("WULAN LU"));
        s.layout.as_mut().unwrap().mn_mm = 40.0;
        assert_eq!(rules(&s, &e), ["layout.mn_share"]);
        let mut s = sign(SignKind::Street, "乌兰路", MN, Some("WULAN LU"));
        s.layout.as_mut().unwrap().pinyin_mm = 180.0;
        assert_eq!(rules(&s, &e), ["layout.proportion"]);
    }

    #[test]
    fn building_plates_need_their_number_and_big_digits() {
        let e = Expected {
            number: Some("12".into()),
            ..expected()
        };
        let mut s = sign(SignKind::Building, "乌兰路", MN, Some("WULAN LU"));
        s.shows.number = Some("12".into());
        s.layout = Some(SignLayout {
            mn_position: Some(MnPosition::Above),
            mn_mm: 60.0,
            zh_mm: 150.0,
            pinyin_mm: 50.0,
            number_mm: 400.0,
        });
        assert!(rules(&s, &e).is_empty());
        s.shows.number = Some("14".into());
        s.layout.as_mut().unwrap().number_mm = 300.0;
        assert_eq!(rules(&s, &e), ["text.number", "layout.number_height"]);
    }

    #[test]
    fn condition_and_a_missing_record_are_findings() {
        let mut s = sign(SignKind::Lightbox, "乌兰路", MN, Some("WULAN LU"));
        s.condition = Condition::Dirty;
        let f = check(&s, None);
        let ids: Vec<_> = f.iter().map(|f| f.rule.id()).collect();
        assert_eq!(ids, ["condition.dirty", "names.record"]);
        assert_eq!(f[0].rule.remedy(), WorkKind::Clean);
        assert_eq!(Rule::from_id("pinyin.case"), Some(Rule::PinyinCase));
    }
}
