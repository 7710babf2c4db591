//! The word lists the naming rules and romanization read: generic terms, grandiose, foreign,
//! personal and enterprise words, traditional characters, and the lexicon of fixed
//! romanizations of Mongolian names. Built-in lists come from `data/names/`; an officer's
//! own files of the same names add to them (the caller reads the files; this module parses).

use std::collections::HashMap;

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

#[derive(Debug, Clone, Default)]
pub struct WordLists {
    /// Longest first.
    pub generics: Vec<Generic>,
    pub grandiose: Vec<String>,
    pub foreign: Vec<String>,
    pub personal_or_enterprise: Vec<String>,
    /// Traditional character → simplified.
    pub traditional: HashMap<char, char>,
    /// Longest Chinese form first.
    pub lexicon: Vec<LexiconEntry>,
    /// Characters whose reading must be confirmed, with their readings (default first).
    pub polyphones: HashMap<char, Vec<String>>,
}

/// The list files, by name, as they are in `data/names/`.
pub const FILES: [&str; 7] = [
    "generics.txt",
    "grandiose.txt",
    "foreign.txt",
    "personal_or_enterprise.txt",
    "traditional.txt",
    "mongolian_lexicon.csv",
    "polyphones.txt",
];

const BUILTIN: [(&str, &str); 7] = [
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
        "personal_or_enterprise.txt",
        include_str!("../../data/names/personal_or_enterprise.txt"),
    ),
    (
        "traditional.txt",
        include_str!("../../data/names/traditional.txt"),
    ),
    (
        "mongolian_lexicon.csv",
        include_str!("../../data/names/mongolian_lexicon.csv"),
    ),
    (
        "polyphones.txt",
        include_str!("../../data/names/polyphones.txt"),
    ),
];

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
            "grandiose.txt" => self
                .grandiose
                .extend(lines(text).map(|(_, l)| l.to_string())),
            "foreign.txt" => self.foreign.extend(lines(text).map(|(_, l)| l.to_string())),
            "personal_or_enterprise.txt" => self
                .personal_or_enterprise
                .extend(lines(text).map(|(_, l)| l.to_string())),
            "traditional.txt" => {
                for (n, l) in lines(text) {
                    let chars: Vec<char> = l.chars().filter(|c| !c.is_whitespace()).collect();
                    match chars.as_slice() {
                        [t, s] => {
                            self.traditional.insert(*t, *s);
                        }
                        _ => return Err(format!("{file} 第 {n} 行应为“繁 简”两个字：{l}")),
                    }
                }
            }
            "mongolian_lexicon.csv" => {
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
                    let c = fields.next().and_then(|f| {
                        let mut cs = f.chars();
                        cs.next().filter(|_| cs.next().is_none())
                    });
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
        assert_eq!(l.lexicon[0].chars_len(), 4);
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
