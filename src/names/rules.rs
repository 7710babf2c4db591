//! The naming-rule checker (大洋怪重). Each verdict names its rule (a stable English id), its
//! severity, the part of the name it matched and an explanation in Chinese. Duplicates are
//! judged among the `peers` the caller passes: the names in the same scope and category
//! (streets of the town, 嘎查 of one 苏木, communities of the city…), indexed by what the rules
//! compare ([`Peers`]) so that a check reads only the names that share something with it.

use super::romanize::toneless;
use super::words::{CharStatus, WordLists, is_han, split};
use crate::record::RecordId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Only a generic, no generic where one is needed, or stacked generics.
    Malformed,
    /// 大: grandiose words.
    Grandiose,
    /// 洋: Latin letters, foreign names and transliterations.
    Foreign,
    /// 怪: digits or symbols in the Chinese, rare or traditional characters, a one-character
    /// specific part.
    Odd,
    /// 重: the same name in the same scope and category.
    Duplicate,
    /// The same toneless pinyin in the same scope.
    Homophone,
    /// Differs only by 新, 大, 老 or the city's own name.
    DerivedDuplicate,
    /// A person's or an enterprise's name.
    PersonalOrEnterprise,
    /// The same specific part as a name in scope with another generic (前进路 beside
    /// 前进大街): easily confused.
    SameSpecific,
    /// A name another record of the scope gave up by a rename not long ago.
    FormerName,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Malformed => "malformed",
            Rule::Grandiose => "grandiose",
            Rule::Foreign => "foreign",
            Rule::Odd => "odd",
            Rule::Duplicate => "duplicate",
            Rule::Homophone => "homophone",
            Rule::DerivedDuplicate => "derived_duplicate",
            Rule::PersonalOrEnterprise => "personal_or_enterprise",
            Rule::SameSpecific => "same_specific",
            Rule::FormerName => "former_name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rule::Malformed => "结构不规范",
            Rule::Grandiose => "大",
            Rule::Foreign => "洋",
            Rule::Odd => "怪",
            Rule::Duplicate => "重",
            Rule::Homophone => "同音",
            Rule::DerivedDuplicate => "派生重名",
            Rule::PersonalOrEnterprise => "人名或企业名",
            Rule::SameSpecific => "专名相同",
            Rule::FormerName => "曾用名",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of thing is named: the rules differ a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// 街路巷: needs a generic and a specific part of two characters or more.
    Street,
    /// Administrative units and self-governing organisations.
    Unit,
    /// Any other place.
    Place,
}

/// A name already in the registry, in the same scope and category as the one checked, with
/// the keys it is compared by (worked out once, not for every name it is checked against).
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub id: RecordId,
    pub name: String,
    sound: String,
    root: String,
    /// Names it had before a rename, each with the day it stopped being used.
    pub former: Vec<(String, chrono::NaiveDate)>,
    /// The record is retired: its name is a former name only, not a name in use.
    pub retired: bool,
}

impl Peer {
    pub fn new(id: RecordId, name: impl Into<String>, settings: &Settings) -> Self {
        let name = name.into();
        Peer {
            id,
            sound: toneless(&name),
            root: derived_root(&name, &city_forms(&settings.city)),
            name,
            former: Vec::new(),
            retired: false,
        }
    }

    /// A retired record's name, given up on `on`.
    pub fn retired(
        id: RecordId,
        name: impl Into<String>,
        on: chrono::NaiveDate,
        settings: &Settings,
    ) -> Self {
        let name = name.into();
        Peer {
            former: vec![(name.clone(), on)],
            retired: true,
            ..Peer::new(id, name, settings)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub rule: Rule,
    pub severity: Severity,
    /// The part of the name the rule matched.
    pub matched: String,
    pub explanation: String,
    /// The record the name conflicts with, for duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<RecordId>,
}

/// Settings of the checker that are local decisions.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The city's name (二连浩特市): names that differ only by it are derived duplicates.
    pub city: String,
    /// A homophone is a warning unless the city makes it an error.
    pub homophone: Severity,
    /// A name given up by a rename on or after this day is not to be given again (none:
    /// not checked).
    pub former_since: Option<chrono::NaiveDate>,
}

fn verdict(
    rule: Rule,
    severity: Severity,
    matched: impl Into<String>,
    explanation: String,
) -> Verdict {
    Verdict {
        rule,
        severity,
        matched: matched.into(),
        explanation,
        conflict: None,
    }
}

/// The forms of the city's name that may prefix a derived name: 二连浩特市, 二连浩特, 二连.
fn city_forms(city: &str) -> Vec<String> {
    let mut forms = vec![city.to_string()];
    if let Some(short) = city.strip_suffix(['市', '县', '旗', '区']) {
        forms.push(short.to_string());
    }
    let two: String = city.chars().take(2).collect();
    if two.chars().count() == 2 {
        forms.push(two);
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    forms
}

/// `name` without prefixes of the city's name and of 新, 大, 老.
fn derived_root(name: &str, forms: &[String]) -> String {
    let mut rest = name;
    loop {
        let before = rest;
        for f in forms {
            rest = rest.strip_prefix(f.as_str()).unwrap_or(rest);
        }
        rest = rest.trim_start_matches(['新', '大', '老']);
        if rest == before {
            return rest.to_string();
        }
    }
}

/// The names a name is compared with (its scope's), indexed by what the rules compare: the
/// name, its sound, its root without 新/大/老 and the city's name, its specific part, the names
/// it gave up. A check reads only the names that share one of these with it: the names audit
/// of a province's 100,000 streets compared each with all the others (ten billion pairs).
pub struct Peers<'a> {
    all: Vec<&'a Peer>,
    by: HashMap<(Key, &'a str), Vec<u32>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Name,
    Sound,
    Root,
    Specific,
    Former,
}

impl<'a> Peers<'a> {
    pub fn new(peers: impl IntoIterator<Item = &'a Peer>, lists: &WordLists) -> Self {
        let all: Vec<&Peer> = peers.into_iter().collect();
        let mut by: HashMap<(Key, &str), Vec<u32>> = HashMap::new();
        for (i, p) in all.iter().enumerate() {
            let i = i as u32;
            let mut add = |key, text: &'a str| by.entry((key, text)).or_default().push(i);
            add(Key::Name, p.name.as_str());
            add(Key::Sound, p.sound.as_str());
            add(Key::Root, p.root.as_str());
            let theirs = split(&p.name, lists);
            if theirs.generic.is_some() {
                add(Key::Specific, theirs.specific);
            }
            for (former, _) in &p.former {
                add(Key::Former, former.as_str());
            }
        }
        Peers { all, by }
    }

    /// The names sharing a key with the checked one, in their order, leaving out `except`
    /// (the record checked itself).
    fn sharing(&self, keys: &[(Key, &str)], except: Option<RecordId>) -> Vec<&'a Peer> {
        let mut at: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.by.get(k))
            .flatten()
            .copied()
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter()
            .map(|i| self.all[i as usize])
            .filter(|p| Some(p.id) != except)
            .collect()
    }
}

/// Checks one name. Verdicts come in rule order; an empty list means the name passes.
pub fn check<'a>(
    name: &str,
    kind: NameKind,
    peers: impl IntoIterator<Item = &'a Peer>,
    lists: &WordLists,
    settings: &Settings,
) -> Vec<Verdict> {
    check_among(name, kind, &Peers::new(peers, lists), None, lists, settings)
}

/// [`check`] against names already indexed, leaving out the record `except` (the one checked,
/// when it is among them).
pub fn check_among(
    name: &str,
    kind: NameKind,
    peers: &Peers,
    except: Option<RecordId>,
    lists: &WordLists,
    settings: &Settings,
) -> Vec<Verdict> {
    use Severity::{Error, Warning};
    let name = name.trim();
    let mut out = Vec::new();
    if name.is_empty() {
        out.push(verdict(Rule::Malformed, Error, "", "名称为空".into()));
        return out;
    }

    // Form: 专名 + 通名.
    let parts = split(name, lists);
    if lists.is_generic(name) {
        out.push(verdict(
            Rule::Malformed,
            Error,
            name,
            format!("“{name}”只有通名，缺少专名"),
        ));
    } else if parts.generic.is_none() && kind == NameKind::Street {
        out.push(verdict(
            Rule::Malformed,
            Warning,
            name,
            "街路巷名称缺少通名（路、街、巷等）".into(),
        ));
    }
    if let Some(inner) = lists.generic_of(parts.specific).filter(|g| g.no_stacking) {
        out.push(verdict(
            Rule::Malformed,
            Warning,
            format!("{}{}", inner.term, parts.generic.unwrap_or("")),
            format!(
                "通名叠加：“{}”之后又接“{}”",
                inner.term,
                parts.generic.unwrap_or("")
            ),
        ));
    }

    // 大
    for w in lists.grandiose.find(name) {
        let (severity, what) = if w.caution {
            (Warning, "，该词也有规范用法，请核实")
        } else {
            (Error, "，须有批准文件方可使用")
        };
        out.push(verdict(
            Rule::Grandiose,
            severity,
            w.word.as_str(),
            format!("含夸大用词“{}”{what}", w.word),
        ));
    }

    // 洋
    let latin: String = name.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if !latin.is_empty() {
        out.push(verdict(Rule::Foreign, Error, latin, "含拉丁字母".into()));
    }
    // Foreign names are looked for in the standard form, so that 莫斯科 is found in 莫斯科.
    let standard = lists.standard_form(name);
    for w in lists.foreign.find(&standard) {
        out.push(verdict(
            Rule::Foreign,
            if w.caution { Warning } else { Error },
            w.word.as_str(),
            format!("含外国地名或人名（译名）“{}”", w.word),
        ));
    }

    // 怪
    let digits: String = name
        .chars()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .collect();
    if !digits.is_empty() {
        out.push(verdict(
            Rule::Odd,
            Error,
            digits,
            "汉字名称中含阿拉伯数字（序数应写作汉字，罗马字母拼写时才用数字）".into(),
        ));
    }
    let symbols: String = name
        .chars()
        .filter(|c| !is_han(*c) && *c != '〇' && !c.is_alphanumeric())
        .collect();
    if !symbols.is_empty() {
        out.push(verdict(
            Rule::Odd,
            Error,
            symbols.clone(),
            format!("含符号“{symbols}”"),
        ));
    }
    let status: Vec<CharStatus> = name.chars().map(|c| lists.char_status(c)).collect();
    let of = |want: fn(&CharStatus) -> bool| -> String {
        name.chars()
            .zip(&status)
            .filter(|(_, s)| want(s))
            .map(|(c, _)| c)
            .collect()
    };
    let traditional = of(|s| matches!(s, CharStatus::Traditional(_)));
    if !traditional.is_empty() {
        // A simplified character beside the traditional ones (東城市场: 场).
        let mixed = name.chars().any(|c| lists.simplified.contains_key(&c));
        let what = if mixed {
            "繁简混用"
        } else {
            "使用繁体字"
        };
        out.push(verdict(
            Rule::Odd,
            Error,
            traditional,
            format!("{what}，规范写法为“{standard}”"),
        ));
    }
    let variant = of(|s| matches!(s, CharStatus::Variant(_)));
    if !variant.is_empty() {
        out.push(verdict(
            Rule::Odd,
            Error,
            variant.clone(),
            format!("使用异体字“{variant}”，规范写法为“{standard}”（《通用规范汉字表》）"),
        ));
    }
    for (c, s) in name.chars().zip(&status) {
        if let CharStatus::PlaceName(standard) = s {
            let example = lists.place_chars.get(&c).map(String::as_str).unwrap_or("");
            let instead = standard
                .map(|s| format!("；新命名宜用规范字“{s}”"))
                .unwrap_or_default();
            out.push(verdict(
                Rule::Odd,
                Warning,
                c.to_string(),
                format!(
                    "“{c}”不在《通用规范汉字表》内，是已有地名的用字（如“{example}”）{instead}"
                ),
            ));
        }
    }
    let rare = of(|s| *s == CharStatus::Rare);
    if !rare.is_empty() {
        out.push(verdict(
            Rule::Odd,
            Warning,
            rare.clone(),
            format!("含生僻字或非规范字“{rare}”（不在《通用规范汉字表》8105 字内）"),
        ));
    }
    // An ordinal alone is a specific part of its own (二马路, 三道街).
    let ordinal = parts
        .specific
        .chars()
        .all(|c| "一二三四五六七八九十".contains(c));
    if kind == NameKind::Street
        && parts.generic.is_some()
        && parts.specific.chars().count() == 1
        && !ordinal
    {
        out.push(verdict(
            Rule::Odd,
            Warning,
            parts.specific,
            format!("专名“{}”只有一个字", parts.specific),
        ));
    }

    // 重, same sound, derived.
    let forms = city_forms(&settings.city);
    let sound = toneless(name);
    let root = derived_root(name, &forms);
    let mut keys = vec![(Key::Name, name), (Key::Sound, sound.as_str())];
    if !root.is_empty() {
        keys.push((Key::Root, root.as_str()));
    }
    if parts.generic.is_some() && !parts.specific.is_empty() {
        keys.push((Key::Specific, parts.specific));
    }
    for p in peers
        .sharing(&keys, except)
        .into_iter()
        .filter(|p| !p.retired)
    {
        let conflict = |rule, severity, explanation| Verdict {
            conflict: Some(p.id),
            ..verdict(rule, severity, p.name.as_str(), explanation)
        };
        if p.name == name {
            out.push(conflict(
                Rule::Duplicate,
                Error,
                format!("与已有地名“{}”重名（记录 {}）", p.name, p.id),
            ));
        } else if p.root == root && !root.is_empty() {
            out.push(conflict(
                Rule::DerivedDuplicate,
                Error,
                format!("与“{}”只差“新、大、老”或本市名称，视为重名", p.name),
            ));
        } else if p.sound == sound {
            out.push(conflict(
                Rule::Homophone,
                settings.homophone,
                format!("与“{}”同音（{}）", p.name, sound),
            ));
        } else if let (Some(_), theirs) = (parts.generic, split(&p.name, lists))
            && theirs.generic.is_some()
            && theirs.specific == parts.specific
            && !parts.specific.is_empty()
        {
            out.push(conflict(
                Rule::SameSpecific,
                Warning,
                format!(
                    "与“{}”专名“{}”相同、通名不同，易混淆（同一区域内宜避免）",
                    p.name, parts.specific
                ),
            ));
        }
    }

    // A name given up by a rename, given again too soon.
    if let Some(since) = settings.former_since {
        for p in peers.sharing(&[(Key::Former, name)], except) {
            for (former, until) in p.former.iter().filter(|(f, u)| f == name && *u >= since) {
                let whose = if p.retired {
                    format!("{until} 撤销的地名（记录 {}）", p.id)
                } else {
                    format!("“{}”的曾用名，{until} 才停止使用", p.name)
                };
                out.push(Verdict {
                    conflict: Some(p.id),
                    ..verdict(
                        Rule::FormerName,
                        Warning,
                        former.as_str(),
                        format!("“{former}”是{whose}；不宜短期内再用于同一区域的其他地方"),
                    )
                });
            }
        }
    }

    // Persons and enterprises.
    for w in lists.personal_or_enterprise.find(name) {
        out.push(verdict(
            Rule::PersonalOrEnterprise,
            if w.caution { Warning } else { Error },
            w.word.as_str(),
            format!("含人名或企业、商标名称“{}”", w.word),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            city: "二连浩特市".into(),
            homophone: Severity::Warning,
            former_since: Some(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
        }
    }

    fn rules(name: &str, kind: NameKind, peers: &[&str]) -> Vec<(Rule, Severity, String)> {
        let peers: Vec<Peer> = peers
            .iter()
            .map(|n| Peer::new(RecordId::derived(n), *n, &settings()))
            .collect();
        check(name, kind, &peers, &WordLists::builtin(), &settings())
            .into_iter()
            .map(|v| (v.rule, v.severity, v.matched))
            .collect()
    }

    use NameKind::{Place, Street, Unit};
    use Rule::*;
    use Severity::{Error, Warning};

    #[test]
    fn good_names_pass() {
        for (name, kind) in [
            ("前进路", Street),
            ("友谊大街", Street),
            ("额仁社区居委会", Unit),
            ("伊林驿站遗址", Place),
            ("经五路", Street),
            ("呼和浩特路", Street),
            ("二马路", Street),
            // Chinese names that share characters with foreign or grandiose words.
            ("霸州路", Street),
            ("东京城镇", Unit),
            ("高山路", Street),
            ("罗马庄村", Unit),
            ("王府井大街", Street),
            // Standard characters that are also traditional forms elsewhere, and the
            // Inner Mongolian 圐圙.
            ("乾安路", Street),
            ("圐圙路", Street),
        ] {
            assert_eq!(rules(name, kind, &["团结路", "胜利街"]), vec![], "{name}");
        }
    }

    #[test]
    fn each_rule_finds_what_it_should() {
        type Case<'a> = (&'a str, NameKind, &'a [&'a str], (Rule, Severity, &'a str));
        let cases: Vec<Case> = vec![
            ("大街", Street, &[], (Malformed, Error, "大街")),
            ("前进", Street, &[], (Malformed, Warning, "前进")),
            ("建设大厦广场", Place, &[], (Malformed, Warning, "大厦广场")),
            ("中华路", Street, &[], (Grandiose, Warning, "中华")),
            ("环球国际广场", Place, &[], (Grandiose, Error, "环球")),
            ("环球国际广场", Place, &[], (Grandiose, Warning, "国际")),
            ("帝景小区", Place, &[], (Grandiose, Error, "帝景")),
            ("霸气路", Street, &[], (Grandiose, Warning, "霸")),
            ("曼哈顿小区", Place, &[], (Foreign, Error, "曼哈顿")),
            ("东京湾小区", Place, &[], (Foreign, Error, "东京")),
            ("悉尼公寓", Place, &[], (Foreign, Error, "悉尼")),
            ("迪拜城", Place, &[], (Foreign, Error, "迪拜")),
            ("莫斯科大街", Street, &[], (Foreign, Error, "莫斯科")),
            ("莫斯科大街", Street, &[], (Foreign, Error, "莫斯科")),
            ("前進路", Street, &[], (Odd, Error, "進")),
            ("後海街", Street, &[], (Odd, Error, "後")),
            ("醫院路", Street, &[], (Odd, Error, "醫")),
            ("張家路", Street, &[], (Odd, Error, "張")),
            ("菓园路", Street, &[], (Odd, Warning, "菓")),
            ("恵民路", Street, &[], (Odd, Error, "恵")),
            ("老砦路", Street, &[], (Odd, Warning, "砦")),
            ("囯兴路", Street, &[], (Odd, Warning, "囯")),
            ("CBD大厦", Place, &[], (Foreign, Error, "CBD")),
            ("6号路", Street, &[], (Odd, Error, "6")),
            ("幸福·家园", Place, &[], (Odd, Error, "·")),
            ("東城路", Street, &[], (Odd, Error, "東")),
            ("𠀀路", Street, &[], (Odd, Warning, "𠀀")),
            ("兴路", Street, &[], (Odd, Warning, "兴")),
            ("前进路", Street, &["前进路"], (Duplicate, Error, "前进路")),
            (
                "前进路",
                Street,
                &["前进大街"],
                (SameSpecific, Warning, "前进大街"),
            ),
            (
                "前进街",
                Street,
                &["前进大街"],
                (SameSpecific, Warning, "前进大街"),
            ),
            (
                "新前进路",
                Street,
                &["前进路"],
                (DerivedDuplicate, Error, "前进路"),
            ),
            (
                "二连前进路",
                Street,
                &["前进路"],
                (DerivedDuplicate, Error, "前进路"),
            ),
            (
                "老街巷",
                Street,
                &["大街巷"],
                (DerivedDuplicate, Error, "大街巷"),
            ),
            (
                "前近路",
                Street,
                &["前进路"],
                (Homophone, Warning, "前进路"),
            ),
            ("万达路", Street, &[], (PersonalOrEnterprise, Error, "万达")),
        ];
        for (name, kind, peers, (rule, severity, matched)) in cases {
            let found = rules(name, kind, peers);
            assert!(
                found.contains(&(rule, severity, matched.to_string())),
                "{name}: expected {rule:?}/{severity:?} on “{matched}”, got {found:?}"
            );
        }
    }

    #[test]
    fn a_mixed_traditional_name_is_called_mixed_and_given_its_standard_form() {
        let odd = |name| {
            check(name, Place, &[], &WordLists::builtin(), &settings())
                .into_iter()
                .find(|v| v.rule == Odd)
                .unwrap()
                .explanation
        };
        let mixed = odd("東城市场");
        assert!(
            mixed.contains("繁简混用") && mixed.contains("东城市场"),
            "{mixed}"
        );
        // 城 and 路 (and 家) are written alike in both: all traditional, not mixed.
        assert!(odd("張家路").contains("使用繁体字"));
        let whole = odd("東城路");
        assert!(
            whole.contains("使用繁体字") && whole.contains("东城路"),
            "{whole}"
        );
        let variant = odd("恵民路");
        assert!(
            variant.contains("异体字") && variant.contains("惠民路"),
            "{variant}"
        );
    }

    #[test]
    fn a_retired_name_is_a_former_name_not_a_duplicate() {
        let s = settings();
        let on = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let gone = Peer::retired(RecordId::derived("g"), "工农街", on, &s);
        let v = check("工农街", Street, [&gone], &WordLists::builtin(), &s);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].rule, v[0].severity), (FormerName, Severity::Warning));
        assert!(v[0].explanation.contains("撤销"), "{}", v[0].explanation);
        // Its sound and root are not those of a name in use.
        assert!(check("工农路", Street, [&gone], &WordLists::builtin(), &s).is_empty());
    }

    #[test]
    fn a_name_given_up_by_a_rename_is_not_given_again_soon() {
        let s = settings();
        let mut renamed = Peer::new(RecordId::derived("p"), "团结路", &s);
        let on = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        renamed.former = vec![("工农街".into(), on)];
        let v = check("工农街", Street, [&renamed], &WordLists::builtin(), &s);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].rule, v[0].severity), (FormerName, Severity::Warning));
        assert_eq!(v[0].conflict, Some(RecordId::derived("p")));
        assert!(v[0].explanation.contains("团结路"), "{}", v[0].explanation);
        // Given up long enough ago, or not checked at all: no verdict.
        let later = Settings {
            former_since: Some(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            ..settings()
        };
        assert!(check("工农街", Street, [&renamed], &WordLists::builtin(), &later).is_empty());
        let unchecked = Settings {
            former_since: None,
            ..settings()
        };
        assert!(
            check(
                "工农街",
                Street,
                [&renamed],
                &WordLists::builtin(),
                &unchecked
            )
            .is_empty()
        );
    }

    #[test]
    fn homophones_can_be_made_errors() {
        let s = Settings {
            homophone: Severity::Error,
            ..settings()
        };
        let peers = [Peer::new(RecordId::derived("p"), "前进路", &s)];
        let v = check("前近路", Street, &peers, &WordLists::builtin(), &s);
        assert_eq!(v[0].severity, Severity::Error);
        assert_eq!(v[0].conflict, Some(RecordId::derived("p")));
    }

    #[test]
    fn rule_ids_are_stable() {
        let ids: Vec<&str> = [
            Malformed,
            Grandiose,
            Foreign,
            Odd,
            Duplicate,
            Homophone,
            DerivedDuplicate,
            PersonalOrEnterprise,
        ]
        .iter()
        .map(|r| r.id())
        .collect();
        assert_eq!(
            ids,
            [
                "malformed",
                "grandiose",
                "foreign",
                "odd",
                "duplicate",
                "homophone",
                "derived_duplicate",
                "personal_or_enterprise"
            ]
        );
        assert_eq!(
            serde_json::to_string(&DerivedDuplicate).unwrap(),
            "\"derived_duplicate\""
        );
    }
}
