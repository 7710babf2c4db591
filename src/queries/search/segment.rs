//! The large part of the search index: every entry's keys in two finite-state transducers
//! (`fst`), built at once from a list of entries and never changed afterwards.

use super::{Entry, KEYS_PER_STAGE, Match, Part};
use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, Streamer};
use std::collections::BTreeMap;

/// Entries and their keys, built once.
pub(super) struct Segment {
    map: Map<Vec<u8>>,
    /// Each Chinese name with one character deleted (SymSpell), for typos.
    deletions: Map<Vec<u8>>,
    /// Keys with several entries; a key with one entry holds it in its fst value.
    postings: Vec<Vec<(u32, Match)>>,
    entries: Vec<Entry>,
}

/// Marks an fst value that holds its one entry inline: flag | entry << 8 | match.
const INLINE: u64 = 1 << 63;

fn match_of(code: u64) -> Match {
    [
        Match::Name,
        Match::Pinyin,
        Match::Initials,
        Match::Romanization,
        Match::Infix,
        Match::Typo,
        Match::OtherName,
    ][(code & 0xff) as usize]
}

/// Builds an fst from sorted keys, inlining single entries and spilling the rest to
/// `postings`.
fn build_map(
    keys: BTreeMap<String, Vec<(u32, Match)>>,
    postings: &mut Vec<Vec<(u32, Match)>>,
) -> Map<Vec<u8>> {
    let mut builder = fst::MapBuilder::memory();
    for (key, mut list) in keys {
        list.sort();
        list.dedup_by_key(|(i, _)| *i);
        let value = match list.as_slice() {
            [(i, m)] => INLINE | (u64::from(*i) << 8) | *m as u64,
            _ => {
                postings.push(list);
                (postings.len() - 1) as u64
            }
        };
        // Keys come sorted and unique out of the BTreeMap.
        builder.insert(&key, value).expect("sorted unique keys");
    }
    Map::new(builder.into_inner().expect("in-memory fst")).expect("valid fst")
}

impl Segment {
    /// Indexes `entries` with the keys `keys` gives each (see [`super::Keys`]).
    pub(super) fn build(
        mut entries: Vec<Entry>,
        mut keys: impl FnMut(&Entry) -> super::Keys,
    ) -> Self {
        entries.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut by_key: BTreeMap<String, Vec<(u32, Match)>> = BTreeMap::new();
        let mut deleted: BTreeMap<String, Vec<(u32, Match)>> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            let super::Keys { keys, deletions } = keys(e);
            for (key, m) in keys {
                by_key.entry(key).or_default().push((i as u32, m));
            }
            for d in deletions {
                deleted.entry(d).or_default().push((i as u32, Match::Typo));
            }
        }
        let mut postings = Vec::new();
        let map = build_map(by_key, &mut postings);
        let deletions = build_map(deleted, &mut postings);
        Segment {
            map,
            deletions,
            postings,
            entries,
        }
    }

    pub(super) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries behind an fst value.
    fn posting(&self, value: u64) -> std::borrow::Cow<'_, [(u32, Match)]> {
        if value & INLINE != 0 {
            std::borrow::Cow::Owned(vec![(((value & !INLINE) >> 8) as u32, match_of(value))])
        } else {
            std::borrow::Cow::Borrowed(&self.postings[value as usize])
        }
    }

    fn stream<'a, A: Automaton>(
        &'a self,
        automaton: A,
        each: &mut dyn FnMut(bool, &'a Entry, Match),
        exact: &str,
    ) {
        let mut stream = self.map.search(automaton).into_stream();
        let mut n = 0;
        while let Some((key, value)) = stream.next() {
            let is_exact = key == exact.as_bytes();
            for &(i, m) in self.posting(value).iter() {
                each(is_exact, &self.entries[i as usize], m);
            }
            n += 1;
            if n >= KEYS_PER_STAGE {
                break;
            }
        }
    }
}

impl Part for Segment {
    fn prefixed<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(bool, &'a Entry, Match)) {
        self.stream(Str::new(prefix).starts_with(), each, prefix);
    }

    fn exact<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry, Match)) {
        if let Some(value) = self.map.get(key) {
            for &(i, m) in self.posting(value).iter() {
                each(&self.entries[i as usize], m);
            }
        }
    }

    fn deleted<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry)) {
        if let Some(value) = self.deletions.get(key) {
            for &(i, _) in self.posting(value).iter() {
                each(&self.entries[i as usize]);
            }
        }
    }

    fn ascii_typos<'a>(&'a self, q: &str, each: &mut dyn FnMut(&'a Entry)) {
        // fst's Levenshtein automaton is reliable on ASCII keys (pinyin, initials).
        if let Ok(lev) = Levenshtein::new(q, 1) {
            self.stream(lev, &mut |_, e, _| each(e), "");
        }
    }
}
