//! The word lists the naming rules and romanization read: generic terms, grandiose, foreign,
//! personal and enterprise words, the standard characters (通用规范汉字表) with the traditional
//! and variant forms that stand for them, and the lexicon of fixed romanizations of Mongolian
//! names. Built-in lists come from `data/names/` (the large ones built from maintained sources
//! by `data/names/build/lexicons.py`); an officer's own files of the same names add to them
//! (the caller reads the files; this module parses).

use aho_corasick::AhoCorasick;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A generic term (通名) and whether it may not be stacked behind another (××大厦广场).
#[derive(Debug, Clone, PartialEq)]
pub struct Generic {
    pub term: String,
    pub no_stacking: bool,
}

/// A fixed romanization of a name of Mongolian origin.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconEntry {
    pub chinese: String,
    pub romanization: String,
    pub mongolian: Option<String>,
}

/// A word a naming rule looks for inside names (a grandiose word, a foreign name…).
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub word: String,
    /// The word has established standard uses (中华路, 中央大街): a warning to judge, not an
    /// error.
    pub caution: bool,
    /// Longer words holding it that are not meant (霸 in 霸州): a match inside one is no match.
    pub except: Vec<String>,
}

/// The words of one list, found in a name all at once (thousands of foreign names).
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    entries: Vec<Phrase>,
    automaton: OnceLock<AhoCorasick>,
}

impl Phrases {
    /// Parses lines of `word [?] [-exception …] [# comment]`.
    fn extend(&mut self, text: &str) {
        for (_, l) in lines(text) {
            let mut fields = l.split_whitespace();
            let Some(word) = fields.next() else { continue };
            let mut phrase = Phrase {
                word: word.to_string(),
                caution: false,
                except: Vec::new(),
            };
            for f in fields {
                match f.strip_prefix('-') {
                    Some(e) => phrase.except.push(e.to_string()),
                    None => phrase.caution |= f == "?",
                }
            }
            self.entries.push(phrase);
        }
        self.automaton = OnceLock::new();
    }

    /// Adds exceptions to a word the list has (false if it has not).
    fn except(&mut self, word: &str, except: &[String]) -> bool {
        match self.entries.iter_mut().find(|p| p.word == word) {
            Some(p) => {
                p.except.extend(except.iter().cloned());
                self.automaton = OnceLock::new();
                true
            }
            None => false,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, word: &str) -> bool {
        self.entries.iter().any(|p| p.word == word)
    }

    /// The words found in `name`, in order, each once: not one inside a longer word found
    /// (斯科 inside 莫斯科), nor one inside its exceptions.
    pub fn find(&self, name: &str) -> Vec<&Phrase> {
        let automaton = self.automaton.get_or_init(|| {
            AhoCorasick::new(self.entries.iter().map(|p| p.word.as_str()))
                .expect("word lists build an automaton")
        });
        let spans: Vec<(usize, usize, &Phrase)> = automaton
            .find_overlapping_iter(name)
            .map(|m| (m.start(), m.end(), &self.entries[m.pattern().as_usize()]))
            .filter(|(start, end, p)| {
                !p.except.iter().any(|e| {
                    name.match_indices(e.as_str())
                        .any(|(at, _)| at <= *start && at + e.len() >= *end)
                })
            })
            .collect();
        let mut found: Vec<&Phrase> = Vec::new();
        for (start, end, p) in &spans {
            let inside = spans
                .iter()
                .any(|(s, e, _)| s <= start && e >= end && e - s > end - start);
            if !inside && !found.iter().any(|f| f.word == p.word) {
                found.push(p);
            }
        }
        found
    }
}

/// How a character stands against the 通用规范汉字表.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharStatus {
    /// In the table, or not a Chinese character.
    Standard,
    /// A traditional form of the standard character.
    Traditional(char),
    /// A variant form (异体字) of the standard character.
    Variant(char),
    /// Outside the table, but used by official place names (砦 in 里砦镇), with the standard
    /// form a mapping gives.
    PlaceName(Option<char>),
    /// Outside the table with no standard form known (生僻字).
    Rare,
}

#[derive(Debug, Clone, Default)]
pub struct WordLists {
    /// Longest first.
    pub generics: Vec<Generic>,
    pub grandiose: Phrases,
    /// Foreign place and personal names: the curated list and the world's places.
    pub foreign: Phrases,
    pub personal_or_enterprise: Phrases,
    /// The 8,105 characters of the 通用规范汉字表 (2013).
    pub standard: HashSet<char>,
    /// Standard characters whose traditional form differs (东 → 東): a name that has one
    /// beside traditional characters mixes the two.
    pub simplified: HashMap<char, char>,
    /// Traditional character → simplified.
    pub traditional: HashMap<char, char>,
    /// Variant form (异体字) → the standard character.
    pub variants: HashMap<char, char>,
    /// Characters outside the table that official place names use, each with one such name.
    pub place_chars: HashMap<char, String>,
    /// Longest Chinese form first.
    pub lexicon: Vec<LexiconEntry>,
    /// Characters whose reading must be confirmed, with their readings (default first).
    pub polyphones: HashMap<char, Vec<String>>,
}

/// The list files, by name, as they are in `data/names/`.
pub const FILES: [&str; 13] = [
    "generics.txt",
    "grandiose.txt",
    "foreign.txt",
    "foreign_places.txt",
    "personal_or_enterprise.txt",
    "exceptions.txt",
    "tongyong_guifan_2013.txt",
    "traditional.txt",
    "variants.txt",
    "place_chars.txt",
    "mongolian_lexicon.csv",
    "mongolian_places.csv",
    "polyphones.txt",
];

const BUILTIN: [(&str, &str); 13] = [
    (
        "generics.txt",
        include_str!("../../data/names/generics.txt"),
    ),
    (
        "grandiose.txt",
        include_str!("../../data/names/grandiose.txt"),
    ),
    ("foreign.txt", include_str!("../../data/names/foreign.txt")),
    (
        "foreign_places.txt",
        include_str!("../../data/names/foreign_places.txt"),
    ),
    (
        "personal_or_enterprise.txt",
        include_str!("../../data/names/personal_or_enterprise.txt"),
    ),
    (
        "exceptions.txt",
        include_str!("../../data/names/exceptions.txt"),
    ),
    (
        "tongyong_guifan_2013.txt",
        include_str!("../../data/names/tongyong_guifan_2013.txt"),
    ),
    (
        "traditional.txt",
        include_str!("../../data/names/traditional.txt"),
    ),
    (
        "variants.txt",
        include_str!("../../data/names/variants.txt"),
    ),
    (
        "place_chars.txt",
        include_str!("../../data/names/place_chars.txt"),
    ),
    (
        "mongolian_lexicon.csv",
        include_str!("../../data/names/mongolian_lexicon.csv"),
    ),
    (
        "mongolian_places.csv",
        include_str!("../../data/names/mongolian_places.csv"),
    ),
    (
        "polyphones.txt",
        include_str!("../../data/names/polyphones.txt"),
    ),
];

/// A Chinese character of the unified blocks, their extensions or the compatibility block.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

fn one_char(field: &str) -> Option<char> {
    let mut cs = field.chars();
    cs.next().filter(|_| cs.next().is_none())
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty())
}

impl WordLists {
    /// The lists shipped with diming.
    pub fn builtin() -> Self {
        let mut lists = WordLists::default();
        for (file, text) in BUILTIN {
            // Compiled in and parsed by a test; they cannot be malformed here.
            lists.extend(file, text).expect("built-in word lists parse");
        }
        lists
    }

    /// Adds the entries of one list file (`file` is its name, one of [`FILES`]).
    pub fn extend(&mut self, file: &str, text: &str) -> Result<(), String> {
        match file {
            "generics.txt" => {
                for (_, l) in lines(text) {
                    let (term, no_stacking) = match l.strip_suffix('!') {
                        Some(t) => (t, true),
                        None => (l, false),
                    };
                    self.generics.push(Generic {
                        term: term.to_string(),
                        no_stacking,
                    });
                }
                self.generics
                    .sort_by_key(|g| std::cmp::Reverse(g.term.chars().count()));
            }
            "grandiose.txt" => self.grandiose.extend(text),
            "foreign.txt" | "foreign_places.txt" => self.foreign.extend(text),
            "personal_or_enterprise.txt" => self.personal_or_enterprise.extend(text),
            "exceptions.txt" => {
                for (n, l) in lines(text) {
                    let mut fields = l.split_whitespace();
                    let word = fields.next().unwrap_or("");
                    let except: Vec<String> = fields
                        .filter_map(|f| f.strip_prefix('-'))
                        .map(str::to_string)
                        .collect();
                    // Every list holding the word takes the exceptions.
                    let held = [
                        &mut self.grandiose,
                        &mut self.foreign,
                        &mut self.personal_or_enterprise,
                    ]
                    .map(|list| list.except(word, &except));
                    if except.is_empty() || !held.contains(&true) {
                        return Err(format!(
                            "{file} 第 {n} 行应为“词 -例外 …”，且该词须在夸大、外国或人名企业名词表中：{l}"
                        ));
                    }
                }
            }
            "tongyong_guifan_2013.txt" => {
                for (n, l) in lines(text) {
                    let mut fields = l.split_whitespace().skip(1).map(one_char);
                    match (fields.next().flatten(), fields.next()) {
                        (Some(c), traditional) => {
                            self.standard.insert(c);
                            if let Some(Some(t)) = traditional {
                                self.simplified.insert(c, t);
                            }
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“序号 字 [繁体]”：{l}")),
                    }
                }
            }
            "place_chars.txt" => {
                for (n, l) in lines(text) {
                    let mut fields = l.split_whitespace();
                    match (fields.next().and_then(one_char), fields.last()) {
                        (Some(c), Some(example)) => {
                            self.place_chars.insert(c, example.to_string());
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“字 次数 地名”：{l}")),
                    }
                }
            }
            "traditional.txt" | "variants.txt" => {
                let map = if file == "traditional.txt" {
                    &mut self.traditional
                } else {
                    &mut self.variants
                };
                for (n, l) in lines(text) {
                    let chars: Vec<char> = l.chars().filter(|c| !c.is_whitespace()).collect();
                    match chars.as_slice() {
                        [t, s] => {
                            map.insert(*t, *s);
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“字 规范字”两个字：{l}")),
                    }
                }
            }
            "mongolian_lexicon.csv" | "mongolian_places.csv" => {
                for (n, l) in lines(text).filter(|(_, l)| !l.starts_with("chinese,")) {
                    let cols: Vec<&str> = l.split(',').map(str::trim).collect();
                    match cols.as_slice() {
                        [chinese, roman, rest @ ..] if !chinese.is_empty() && !roman.is_empty() => {
                            self.lexicon.push(LexiconEntry {
                                chinese: chinese.to_string(),
                                romanization: roman.to_string(),
                                mongolian: rest
                                    .first()
                                    .filter(|m| !m.is_empty())
                                    .map(|m| m.to_string()),
                            })
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“汉字,罗马字,蒙古文”：{l}")),
                    }
                }
                self.lexicon
                    .sort_by_key(|e| std::cmp::Reverse(e.chinese.chars().count()));
            }
            "polyphones.txt" => {
                for (n, l) in lines(text) {
                    let mut fields = l.split_whitespace();
                    let c = fields.next().and_then(one_char);
                    let readings: Vec<String> = fields.map(str::to_string).collect();
                    match c {
                        Some(c) if !readings.is_empty() => {
                            self.polyphones.insert(c, readings);
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“字 读音 读音…”：{l}")),
                    }
                }
            }
            other => return Err(format!("未知的词表文件 {other}：应为 {}", FILES.join("、"))),
        }
        Ok(())
    }

    /// How `c` stands against the 通用规范汉字表 (a character outside the CJK blocks is not
    /// judged here).
    pub fn char_status(&self, c: char) -> CharStatus {
        let mapped = self.traditional.get(&c).or(self.variants.get(&c)).copied();
        if !is_han(c) || self.standard.contains(&c) {
            CharStatus::Standard
        } else if self.place_chars.contains_key(&c) {
            CharStatus::PlaceName(mapped)
        } else if let Some(s) = self.traditional.get(&c) {
            CharStatus::Traditional(*s)
        } else if let Some(s) = self.variants.get(&c) {
            CharStatus::Variant(*s)
        } else {
            CharStatus::Rare
        }
    }

    /// `name` with its traditional and variant characters in their standard forms.
    pub fn standard_form(&self, name: &str) -> String {
        name.chars()
            .map(|c| match self.char_status(c) {
                CharStatus::Traditional(s)
                | CharStatus::Variant(s)
                | CharStatus::PlaceName(Some(s)) => s,
                _ => c,
            })
            .collect()
    }

    /// The generic term `name` ends with, if any (never the whole name).
    pub fn generic_of(&self, name: &str) -> Option<&Generic> {
        self.generics
            .iter()
            .find(|g| name.ends_with(&g.term) && name.len() > g.term.len())
    }

    /// The generic-only name: `name` is itself a generic term.
    pub fn is_generic(&self, name: &str) -> bool {
        self.generics.iter().any(|g| g.term == name)
    }
}

/// A name cut into its specific part (专名) and generic part (通名).
#[derive(Debug, Clone, PartialEq)]
pub struct Parts<'a> {
    pub specific: &'a str,
    pub generic: Option<&'a str>,
}

/// A name that is itself a generic term (大街) has no generic part.
pub fn split<'a>(name: &'a str, lists: &WordLists) -> Parts<'a> {
    if lists.is_generic(name) {
        return Parts {
            specific: name,
            generic: None,
        };
    }
    match lists.generic_of(name) {
        Some(g) => Parts {
            specific: &name[..name.len() - g.term.len()],
            generic: Some(&name[name.len() - g.term.len()..]),
        },
        None => Parts {
            specific: name,
            generic: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_parse_and_split_names() {
        let l = WordLists::builtin();
        assert_eq!(
            split("前进大街", &l),
            Parts {
                specific: "前进",
                generic: Some("大街")
            }
        );
        assert_eq!(split("额仁社区居委会", &l).generic, Some("社区居委会"));
        assert_eq!(
            split("大街", &l),
            Parts {
                specific: "大街",
                generic: None
            }
        );
        assert!(l.is_generic("大街"));
        assert_eq!(l.traditional.get(&'東'), Some(&'东'));
        // Longest first, so that 乌兰察布 is found before 乌兰.
        assert!(
            l.lexicon
                .windows(2)
                .all(|w| w[0].chars_len() >= w[1].chars_len())
        );
        assert!(
            l.lexicon
                .iter()
                .any(|e| e.chinese == "海拉尔" && e.romanization == "Hailar")
        );
    }

    #[test]
    fn the_lists_are_complete_where_sources_make_them_so() {
        let l = WordLists::builtin();
        assert_eq!(l.standard.len(), 8105);
        assert!(l.traditional.len() > 2500, "{}", l.traditional.len());
        assert!(l.foreign.len() >= 5000, "{}", l.foreign.len());
        assert_eq!(l.char_status('張'), CharStatus::Traditional('张'));
        assert_eq!(l.char_status('恵'), CharStatus::Variant('惠'));
        assert_eq!(l.char_status('乾'), CharStatus::Standard);
        assert_eq!(l.char_status('砦'), CharStatus::PlaceName(Some('寨')));
        assert_eq!(l.char_status('垅'), CharStatus::PlaceName(None));
        assert_eq!(l.char_status('a'), CharStatus::Standard);
        assert_eq!(l.standard_form("前進路"), "前进路");
    }

    #[test]
    fn phrases_are_found_whole_and_not_inside_their_exceptions() {
        let mut p = Phrases::default();
        p.extend("莫斯科\n斯科\n霸 ? -霸州\n");
        let words = |name| {
            p.find(name)
                .iter()
                .map(|w| w.word.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(words("莫斯科大街"), ["莫斯科"]);
        assert_eq!(words("斯科路"), ["斯科"]);
        assert_eq!(words("霸州路"), Vec::<String>::new());
        assert_eq!(words("霸王霸州路"), ["霸"]);
        assert!(p.find("霸气路")[0].caution);
    }

    #[test]
    fn a_malformed_list_line_is_named() {
        let mut l = WordLists::default();
        let e = l.extend("traditional.txt", "東东东\n").unwrap_err();
        assert!(e.contains("第 1 行"), "{e}");
        assert!(l.extend("nonsense.txt", "").is_err());
    }

    impl LexiconEntry {
        fn chars_len(&self) -> usize {
            self.chinese.chars().count()
        }
    }
}
