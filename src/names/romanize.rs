//! Romanization of place names: Hanyu Pinyin by the 1984 spelling rules for place names
//! (《中国地名汉语拼音字母拼写规则（汉语地名部分）》), and the fixed forms of names of
//! Mongolian origin.
//!
//! - 专名 and 通名 are separate words, each capitalised: 前进路 → Qianjin Lu; a multi-syllable
//!   generic is one word: 友谊大街 → Youyi Dajie.
//! - An ordinal before the generic is written in Arabic digits: 经五路 → Jing 5 Lu.
//! - An apostrophe separates a syllable starting with a, o or e from the one before: 西安 →
//!   Xi'an.
//! - Natural villages are one word: 王庄 → Wangzhuang.
//! - A name of Mongolian origin takes its fixed form from the lexicon: 二连浩特市 → Erenhot Shi,
//!   keeping the pinyin of the characters (Erlianhaote) alongside; a record marked of
//!   Mongolian origin without one is transcribed from its Mongolian script, or flagged
//!   ([`of_name`]).
//! - A lexicon name keeps its last character (满洲里 Manzhouli); an ordinal alone before the
//!   generic is a digit (二马路 2 Malu).
//! - The sign form is the standard form in capitals, apostrophes kept (1981 ruling).
//! - Characters with several readings are flagged for an officer to confirm; a confirmed
//!   reading replaces the default.

use super::WordLists;
use super::words::{Parts, split};
use pinyin::{ToPinyin, ToPinyinMulti};
use serde::Serialize;
use std::collections::BTreeMap;

/// A character with several readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Polyphone {
    /// Position of the character in the name (0-based, in characters).
    pub index: usize,
    pub character: char,
    /// Toneless readings, the default first.
    pub readings: Vec<String>,
    /// The reading used: confirmed by an officer, or the default.
    pub chosen: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Romanization {
    /// 标准罗马字母拼写: "Qianjin Lu", "Erenhot Shi".
    pub standard: String,
    /// 标志用: "QIANJIN LU".
    pub sign: String,
    /// The pinyin of the characters, one word (Erlianhaoteshi), for names whose standard
    /// form is a transcription.
    pub pinyin: String,
    /// The Mongolian-origin part, when the name has one in the lexicon.
    pub mongolian_origin: Option<String>,
    /// Readings an officer must confirm.
    pub polyphones: Vec<Polyphone>,
    /// What the romanization is made from.
    pub basis: Basis,
    /// For a name of Mongolian origin without a fixed form: how its romanization was made,
    /// or why it waits for an officer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_note: Option<String>,
}

/// What a romanization is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The pinyin of the characters (a Chinese name).
    Pinyin,
    /// The lexicon's fixed form of a name of Mongolian origin (Erenhot).
    FixedForm,
    /// The transcription of the record's Mongolian script.
    Script,
    /// A name of Mongolian origin with neither: the characters' pinyin until its script is
    /// given.
    PendingScript,
}

const NUMERALS: [(char, u32); 10] = [
    ('一', 1),
    ('二', 2),
    ('三', 3),
    ('四', 4),
    ('五', 5),
    ('六', 6),
    ('七', 7),
    ('八', 8),
    ('九', 9),
    ('十', 10),
];

fn numeral(c: char) -> Option<u32> {
    NUMERALS.iter().find(|(n, _)| *n == c).map(|(_, v)| *v)
}

/// The value of a Chinese numeral of up to 99 (五 → 5, 十二 → 12, 二十 → 20).
fn numeral_value(s: &[char]) -> Option<u32> {
    let digits: Vec<u32> = s.iter().map(|c| numeral(*c)).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, d] if *t < 10 && *d < 10 => Some(t * 10 + d),
        _ => None,
    }
}

/// Every toneless reading the pinyin data knows for a character; `None` if it is not Chinese.
fn all_readings(c: char) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in c.to_pinyin_multi()? {
        let plain = p.plain().to_string();
        if !out.contains(&plain) {
            out.push(plain);
        }
    }
    Some(out)
}

/// Every toneless pinyin syllable (ü written as v), from the pinyin data.
fn syllables() -> &'static std::collections::HashSet<String> {
    static SET: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        (0x3400u32..=0x9FFF)
            .filter_map(char::from_u32)
            .filter_map(all_readings)
            .flatten()
            .map(|r| r.replace('ü', "v"))
            .collect()
    })
}

/// Whether `word` (any case, apostrophes allowed, no tones) is a run of pinyin syllables:
/// HSINHUA, STREET and CH'ANG are not; ERLIANHAOTE and TIAN'ANMEN are.
pub fn is_pinyin_word(word: &str) -> bool {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .map(|c| if c == 'ü' { 'v' } else { c })
        .collect();
    let set = syllables();
    // reach[i]: w[..i] splits into syllables; an apostrophe may only stand between two.
    let mut reach = vec![false; w.len() + 1];
    reach[0] = true;
    for i in 0..w.len() {
        if !reach[i] {
            continue;
        }
        let start = if w[i] == '\'' && i > 0 { i + 1 } else { i };
        for end in start + 1..=w.len().min(start + 6) {
            let s: String = w[start..end].iter().collect();
            if set.contains(&s) {
                reach[end] = true;
            }
        }
    }
    !w.is_empty() && reach[w.len()]
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins syllables into one word, with apostrophes before a, o, e (not at the start).
fn join_syllables(syllables: &[String]) -> String {
    let mut word = String::new();
    for s in syllables {
        if !word.is_empty() && s.starts_with(['a', 'o', 'e']) {
            word.push('\'');
        }
        word.push_str(s);
    }
    word
}

struct Reader<'a> {
    lists: &'a WordLists,
    confirmed: &'a BTreeMap<usize, String>,
    polyphones: Vec<Polyphone>,
}

impl Reader<'_> {
    /// Syllables of `chars`, which start at `offset` in the name. Non-Chinese characters are
    /// kept as they are.
    fn syllables(&mut self, chars: &[char], offset: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            let index = offset + i;
            let confirmed = self.confirmed.get(&index);
            // Listed characters are flagged, with the place-name reading as the default.
            if let Some(rs) = self.lists.polyphones.get(c) {
                let chosen = confirmed.cloned().unwrap_or_else(|| rs[0].clone());
                let mut readings = rs.clone();
                for r in all_readings(*c).unwrap_or_default() {
                    if !readings.contains(&r) {
                        readings.push(r);
                    }
                }
                self.polyphones.push(Polyphone {
                    index,
                    character: *c,
                    readings,
                    chosen: chosen.clone(),
                    confirmed: confirmed.is_some(),
                });
                out.push(chosen);
                continue;
            }
            match c.to_pinyin() {
                Some(p) => out.push(confirmed.cloned().unwrap_or_else(|| p.plain().to_string())),
                None => out.push(c.to_string()),
            }
        }
        out
    }
}

/// The parts of a name that starts with a name of the lexicon reaching past the generic
/// [`split`] would cut (满洲里 is one name, not 满洲 + 里): the lexicon's name and what follows
/// it make the specific part, the generic is what follows, if it is one.
fn fixed_parts<'a>(name: &'a str, lists: &WordLists) -> Option<Parts<'a>> {
    let entry = lists
        .lexicon
        .iter()
        .find(|e| name.starts_with(e.chinese.as_str()))?;
    let cut = split(name, lists);
    if entry.chinese.len() <= cut.specific.len() {
        return None;
    }
    let rest = &name[entry.chinese.len()..];
    let generic = if rest.is_empty() {
        None
    } else if lists.is_generic(rest) {
        Some(rest)
    } else {
        split(rest, lists).generic
    };
    let end = name.len() - generic.map_or(0, str::len);
    Some(Parts {
        specific: &name[..end],
        generic,
    })
}

/// Romanizes a Chinese place name. `village` joins everything into one word (natural
/// villages); `confirmed` holds readings an officer confirmed, by character position.
pub fn romanize(
    name: &str,
    lists: &WordLists,
    village: bool,
    confirmed: &BTreeMap<usize, String>,
) -> Romanization {
    let chars: Vec<char> = name.chars().collect();
    let parts = fixed_parts(name, lists).unwrap_or_else(|| split(name, lists));
    let specific: Vec<char> = parts.specific.chars().collect();
    let mut reader = Reader {
        lists,
        confirmed,
        polyphones: Vec::new(),
    };
    let mut words: Vec<String> = Vec::new();
    let mut origin = None;

    // A Mongolian-origin part at the start takes its fixed form.
    let mut rest_start = 0;
    if let Some(entry) = lists
        .lexicon
        .iter()
        .find(|e| parts.specific.starts_with(&e.chinese))
    {
        words.push(entry.romanization.clone());
        origin = Some(entry.chinese.clone());
        rest_start = entry.chinese.chars().count();
    }
    let rest = &specific[rest_start..];
    // A trailing ordinal before the generic is written in digits, as a word of its own.
    let ordinal = if parts.generic.is_some() {
        (1..=rest.len().min(3))
            .rev()
            // An ordinal alone before the generic is one too: 二马路 → 2 Malu.
            .find_map(|n| numeral_value(&rest[rest.len() - n..]).map(|v| (n, v)))
    } else {
        None
    };
    let (body, ordinal) = match ordinal {
        Some((n, v)) => (&rest[..rest.len() - n], Some(v)),
        None => (rest, None),
    };
    if !body.is_empty() {
        let syllables = reader.syllables(body, rest_start);
        words.push(capitalise(&join_syllables(&syllables)));
    }
    if let Some(v) = ordinal {
        words.push(v.to_string());
    }
    if let Some(g) = parts.generic {
        let g: Vec<char> = g.chars().collect();
        let syllables = reader.syllables(&g, specific.len());
        words.push(capitalise(&join_syllables(&syllables)));
    }
    if village && ordinal.is_none() {
        let joined = words.concat().to_lowercase();
        words = vec![capitalise(&joined)];
    }
    let standard = words.join(" ");
    let all = {
        let mut r = Reader {
            lists,
            confirmed,
            polyphones: Vec::new(),
        };
        capitalise(&join_syllables(&r.syllables(&chars, 0)))
    };
    Romanization {
        sign: standard.to_uppercase(),
        standard,
        pinyin: all,
        basis: if origin.is_some() {
            Basis::FixedForm
        } else {
            Basis::Pinyin
        },
        mongolian_origin: origin,
        polyphones: reader.polyphones,
        origin_note: None,
    }
}

/// Mongolian script transcribed letter by letter (1976 rules), each word capitalised.
fn transcribed(script: &str) -> String {
    super::mongolian::transliterate(script)
        .split_whitespace()
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The romanization of a record's name: as [`romanize`], except that a name of Mongolian
/// origin without a fixed form in the lexicon is transcribed from its Mongolian script (the
/// 1976 rules' letters), and flagged for an officer when the record has no script form.
pub fn of_name(
    name: &str,
    name_mn: Option<&str>,
    mongolian_origin: bool,
    confirmed: &BTreeMap<usize, String>,
    lists: &WordLists,
) -> Romanization {
    let mut r = romanize(name, lists, false, confirmed);
    if !mongolian_origin || r.mongolian_origin.is_some() {
        return r;
    }
    match name_mn.map(str::trim).filter(|m| !m.is_empty()) {
        Some(script) => {
            r.standard = transcribed(script);
            r.sign = r.standard.to_uppercase();
            r.polyphones.clear();
            r.basis = Basis::Script;
            r.origin_note = Some("蒙古语地名，无定形拼写，按蒙古文音译转写，请核定".to_string());
        }
        None => {
            r.basis = Basis::PendingScript;
            r.origin_note = Some(
                "蒙古语地名缺蒙古文写法：罗马字母拼写暂按汉字拼写，待补蒙古文后按音译转写法拼写"
                    .to_string(),
            );
        }
    }
    r
}

/// The romanization of a name of Mongolian origin, given in Mongolian script or in Chinese
/// characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MongolianRomanization {
    pub standard: String,
    /// The letter-by-letter transliteration of the script (1976 rules), when it was given.
    pub transliteration: Option<String>,
    /// Whether the standard form is the lexicon's fixed form.
    pub fixed_form: bool,
    pub chinese: Option<String>,
    pub mongolian: Option<String>,
}

fn is_mongolian_script(c: char) -> bool {
    ('\u{1800}'..='\u{18AF}').contains(&c)
}

/// Romanizes a name of Mongolian origin: its fixed form when the lexicon has it, else the
/// transliteration of its Mongolian script. Chinese characters alone cannot give the
/// Mongolian form: a name the lexicon does not hold is refused, saying what to give instead.
pub fn mongolian_origin(text: &str, lists: &WordLists) -> Result<MongolianRomanization, String> {
    let text = text.trim();
    if text.chars().any(is_mongolian_script) {
        let fixed = lists
            .lexicon
            .iter()
            .find(|e| e.mongolian.as_deref() == Some(text));
        let letters = super::mongolian::transliterate(text);
        let from_letters = transcribed(text);
        return Ok(MongolianRomanization {
            standard: fixed.map_or(from_letters, |e| e.romanization.clone()),
            transliteration: Some(letters),
            fixed_form: fixed.is_some(),
            chinese: fixed.map(|e| e.chinese.clone()),
            mongolian: Some(text.to_string()),
        });
    }
    match lists
        .lexicon
        .iter()
        .find(|e| text.starts_with(e.chinese.as_str()))
    {
        Some(entry) => Ok(MongolianRomanization {
            standard: romanize(text, lists, false, &BTreeMap::new()).standard,
            transliteration: None,
            fixed_form: true,
            chinese: Some(text.to_string()),
            mongolian: entry.mongolian.clone(),
        }),
        None => Err(format!(
            "“{text}”不在蒙古语地名词表中：汉字不能给出蒙古语地名的规范拼写。请给出蒙古文写法（如 ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ），或把该地名的规范拼写加入词表 mongolian_lexicon.csv"
        )),
    }
}

/// The toneless pinyin of a name, syllables joined, for homophone checks and search.
pub fn toneless(name: &str) -> String {
    name.chars()
        .map(|c| match c.to_pinyin() {
            Some(p) => p.plain().to_string(),
            None => c.to_string(),
        })
        .collect()
}

/// Pinyin initials (前进路 → qjl), for search.
pub fn initials(name: &str) -> String {
    name.chars()
        .map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().to_string(),
            None => c.to_lowercase().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, standard: &str) {
        let r = romanize(name, &WordLists::builtin(), false, &BTreeMap::new());
        assert_eq!(r.standard, standard, "{name}");
    }

    #[test]
    fn the_1984_rules_examples() {
        check("前进路", "Qianjin Lu");
        check("友谊大街", "Youyi Dajie");
        check("经五路", "Jing 5 Lu");
        check("纬十二路", "Wei 12 Lu");
        check("西安路", "Xi'an Lu");
        check("天峨路", "Tian'e Lu");
        check("和平大街", "Heping Dajie");
    }

    #[test]
    fn names_of_mongolian_origin_take_their_fixed_forms() {
        let l = WordLists::builtin();
        let r = romanize("二连浩特市", &l, false, &BTreeMap::new());
        assert_eq!(r.standard, "Erenhot Shi");
        assert_eq!(r.pinyin, "Erlianhaoteshi");
        assert_eq!(r.mongolian_origin.as_deref(), Some("二连浩特"));
        check("呼和浩特", "Hohhot");
        check("锡林浩特", "Xilinhot");
        check("锡林郭勒", "Xilin Gol");
        check("乌兰浩特", "Ulanhot");
    }

    #[test]
    fn ordinals_are_digits_and_a_lexicon_name_keeps_its_last_character() {
        check("二马路", "2 Malu");
        check("三马路", "3 Malu");
        check("纬二路", "Wei 2 Lu");
        check("满洲里", "Manzhouli");
        check("满洲里市", "Manzhouli Shi");
        check("海拉尔", "Hailar");
        check("海拉尔区", "Hailar Qu");
        check("巴彦塔拉街道", "Bayan Tal Jiedao");
        // 里 is still a generic where no lexicon name reaches it.
        check("安乐里", "Anle Li");
    }

    #[test]
    fn a_name_of_mongolian_origin_is_romanized_from_its_script_or_its_fixed_form() {
        let l = WordLists::builtin();
        let r = mongolian_origin("ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ", &l).unwrap();
        assert_eq!((r.standard.as_str(), r.fixed_form), ("Erenhot", true));
        let r = mongolian_origin("二连浩特", &l).unwrap();
        assert_eq!((r.standard.as_str(), r.fixed_form), ("Erenhot", true));
        assert!(r.mongolian.is_some());
        let r = mongolian_origin("ᠬᠣᠲᠠ", &l).unwrap();
        assert_eq!((r.standard.as_str(), r.fixed_form), ("Hota", false));
        let e = mongolian_origin("前进", &l).unwrap_err();
        assert!(e.contains("蒙古文") && e.contains("前进"), "{e}");
    }

    #[test]
    fn a_name_of_mongolian_origin_is_transcribed_from_its_script_or_flagged() {
        let l = WordLists::builtin();
        let none = BTreeMap::new();
        // A fixed form wins; a Chinese name is the characters' pinyin.
        assert_eq!(
            of_name("二连浩特市", None, true, &none, &l).standard,
            "Erenhot Shi"
        );
        assert_eq!(of_name("前进路", None, false, &none, &l).origin_note, None);
        // No fixed form: the script, letter by letter.
        let r = of_name("额仁", Some("ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ"), true, &none, &l);
        assert_eq!(
            (r.standard.as_str(), r.sign.as_str()),
            ("Eriyen Hota", "ERIYEN HOTA")
        );
        assert!(r.origin_note.unwrap().contains("音译转写"));
        // Neither: the characters' pinyin, flagged.
        let r = of_name("格日勒敖都苏木", None, true, &none, &l);
        assert_eq!(r.standard, "Gerile'aodu Sumu");
        assert!(r.origin_note.unwrap().contains("缺蒙古文"));
    }

    #[test]
    fn place_name_readings_are_the_defaults() {
        check("沙咀路", "Shazui Lu");
        check("圩镇路", "Xuzhen Lu");
        check("蚌埠路", "Bengbu Lu");
        check("锡林郭勒路", "Xilin Gol Lu");
    }

    #[test]
    fn the_sign_form_is_capitals_with_apostrophes_kept() {
        let r = romanize("西安路", &WordLists::builtin(), false, &BTreeMap::new());
        assert_eq!(r.sign, "XI'AN LU");
    }

    #[test]
    fn natural_villages_are_one_word() {
        let r = romanize("王庄", &WordLists::builtin(), true, &BTreeMap::new());
        assert_eq!(r.standard, "Wangzhuang");
    }

    #[test]
    fn polyphonic_characters_are_flagged_and_a_confirmed_reading_is_used() {
        let l = WordLists::builtin();
        let r = romanize("长安街", &l, false, &BTreeMap::new());
        let p = r
            .polyphones
            .iter()
            .find(|p| p.character == '长')
            .expect("长 is polyphonic");
        assert!(
            p.readings.contains(&"chang".to_string()) && p.readings.contains(&"zhang".to_string())
        );
        assert!(!p.confirmed);
        let confirmed = BTreeMap::from([(0, "chang".to_string())]);
        let r = romanize("长安街", &l, false, &confirmed);
        assert_eq!(r.standard, "Chang'an Jie");
        assert!(
            r.polyphones
                .iter()
                .any(|p| p.character == '长' && p.confirmed)
        );
    }

    #[test]
    fn toneless_pinyin_and_initials() {
        assert_eq!(toneless("前进路"), "qianjinlu");
        assert_eq!(initials("前进路"), "qjl");
    }
}
