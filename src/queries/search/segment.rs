//! The large part of the search index: every entry's keys in two finite-state transducers
//! (`fst`), built at once from a list of entries and never changed afterwards.

use super::{Entry, KEYS_PER_STAGE, Match, Part};
use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, Streamer};

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

/// Keys laid end to end in one buffer, each with its entry and how it matches, to be sorted
/// once: a province's seventeen million keys (a door plate is found by its name, each part
/// of it, its pinyin and initials, and its name with each character deleted) take 16 bytes
/// each and their text, where a map from each key to a list of entries took over a hundred
/// (4 GB while building, kept by the allocator afterwards).
#[derive(Default)]
struct KeyList {
    text: Vec<u8>,
    /// (start of the key in `text`, its length, the entry, the match).
    keys: Vec<(u32, u16, u32, Match)>,
}

impl KeyList {
    fn push(&mut self, key: &str, entry: u32, m: Match) {
        let start = u32::try_from(self.text.len()).expect("under 4 GB of search keys");
        let len = u16::try_from(key.len()).unwrap_or(u16::MAX);
        self.text
            .extend_from_slice(&key.as_bytes()[..usize::from(len)]);
        self.keys.push((start, len, entry, m));
    }

    fn key(&self, k: &(u32, u16, u32, Match)) -> &[u8] {
        &self.text[k.0 as usize..k.0 as usize + usize::from(k.1)]
    }

    /// An fst of the keys, sorted here: a key with one entry holds it inline, the entries of
    /// the others go to `postings` (each entry once, under its best match).
    fn into_map(mut self, postings: &mut Vec<Vec<(u32, Match)>>) -> Map<Vec<u8>> {
        let mut keys = std::mem::take(&mut self.keys);
        keys.sort_unstable_by(|a, b| {
            self.key(a)
                .cmp(self.key(b))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let mut builder = fst::MapBuilder::memory();
        let mut list: Vec<(u32, Match)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if list.last().is_none_or(|&(e, _)| e != k.2) {
                list.push((k.2, k.3));
            }
            if keys
                .get(i + 1)
                .is_some_and(|next| self.key(next) == self.key(k))
            {
                continue;
            }
            let value = match list.as_slice() {
                [(e, m)] => INLINE | (u64::from(*e) << 8) | *m as u64,
                _ => {
                    postings.push(std::mem::take(&mut list));
                    (postings.len() - 1) as u64
                }
            };
            list.clear();
            // Sorted above, and each key is inserted once, at the last of its run.
            builder
                .insert(self.key(k), value)
                .expect("sorted unique keys");
        }
        Map::new(builder.into_inner().expect("in-memory fst")).expect("valid fst")
    }
}

impl Segment {
    /// Indexes `entries` with the keys `keys` gives each (see [`super::Keys`]).
    pub(super) fn build(
        mut entries: Vec<Entry>,
        mut keys: impl FnMut(&Entry) -> super::Keys,
    ) -> Self {
        entries.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let (mut by_key, mut deleted) = (KeyList::default(), KeyList::default());
        for (i, e) in entries.iter().enumerate() {
            let super::Keys { keys, deletions } = keys(e);
            for (key, m) in keys {
                by_key.push(&key, i as u32, m);
            }
            for d in deletions {
                deleted.push(&d, i as u32, Match::Typo);
            }
        }
        let mut postings = Vec::new();
        let map = by_key.into_map(&mut postings);
        let deletions = deleted.into_map(&mut postings);
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
