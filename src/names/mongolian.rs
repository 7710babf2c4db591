//! Letter-by-letter transliteration of traditional Mongolian script into Latin under the 1976
//! rules (少数民族语地名汉语拼音字母音译转写法), read from the interscript map in
//! `data/mongolian_romanization_sasm_1978.imp`. The standard romanization of a place name
//! follows the spoken form and is fixed by the lexicon ([`super::WordLists::lexicon`]); this
//! transliteration is what an officer starts from when a name has no fixed form yet.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The interscript map (its `sub "X", "y"` rules and its `test` cases).
pub const MAP: &str = include_str!("../../data/mongolian_romanization_sasm_1978.imp");

/// Letter → Latin, parsed from the map's active `sub` rules.
static LETTERS: LazyLock<HashMap<char, String>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for line in MAP.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("sub \"") else {
            continue;
        };
        let Some((from, rest)) = rest.split_once('"') else {
            continue;
        };
        let Some(to) = rest.split('"').nth(1) else {
            continue;
        };
        let mut chars = from.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            out.entry(c).or_insert_with(|| to.to_string());
        }
    }
    out
});

/// Transliterates Mongolian script; characters the map does not name pass through.
pub fn transliterate(mongolian: &str) -> String {
    mongolian
        .chars()
        .map(|c| LETTERS.get(&c).cloned().unwrap_or_else(|| c.to_string()))
        .collect()
}

/// The map's own test cases: (Mongolian script, expected transliteration).
pub fn map_tests() -> Vec<(&'static str, &'static str)> {
    MAP.lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("test \"")?;
            let (from, rest) = rest.split_once('"')?;
            let to = rest.split('"').nth(1)?;
            Some((from, to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_of_the_map_file_passes() {
        let cases = map_tests();
        assert!(cases.len() > 50, "{} cases", cases.len());
        for (mongolian, latin) in cases {
            assert_eq!(transliterate(mongolian), latin, "{mongolian}");
        }
    }

    #[test]
    fn erenhot_is_transliterated_from_its_written_form() {
        assert_eq!(transliterate("ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ"), "eriyen hota");
    }
}
