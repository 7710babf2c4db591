//! The small part of the search index: the records changed since the large part was built,
//! with their keys in sorted sets, changed in place by each commit.

use super::{Entry, KEYS_PER_STAGE, Keys, Match, Part, within_one_edit};
use crate::record::RecordId;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// An entry with the keys it was indexed under (to take them out again).
struct Keyed {
    entry: Entry,
    keys: Keys,
}

/// Records changed since the segment was built: what the search finds of them now.
#[derive(Clone, Default)]
pub(super) struct Delta {
    /// Each changed record's entry now, or `None` when it left the index; either way the
    /// segment's entry for it is out of date.
    changed: HashMap<RecordId, Option<Arc<Keyed>>>,
    keys: BTreeSet<(String, RecordId, Match)>,
    deletions: BTreeSet<(String, RecordId)>,
}

const FIRST: RecordId = RecordId(Uuid::nil());

impl Delta {
    /// How many records changed.
    pub(super) fn len(&self) -> usize {
        self.changed.len()
    }

    /// Whether the segment's entry of `id` is out of date.
    pub(super) fn shadows(&self, id: &RecordId) -> bool {
        self.changed.contains_key(id)
    }

    /// The changed records' entries now.
    pub(super) fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.changed.values().flatten().map(|k| &k.entry)
    }

    /// Records `id` as now found by `entry` (`None`: no longer found).
    pub(super) fn set(&mut self, id: RecordId, entry: Option<(Entry, Keys)>) {
        if let Some(Some(old)) = self.changed.remove(&id) {
            for (key, m) in &old.keys.keys {
                self.keys.remove(&(key.clone(), id, *m));
            }
            for d in &old.keys.deletions {
                self.deletions.remove(&(d.clone(), id));
            }
        }
        let keyed = entry.map(|(entry, keys)| {
            for (key, m) in &keys.keys {
                self.keys.insert((key.clone(), id, *m));
            }
            for d in &keys.deletions {
                self.deletions.insert((d.clone(), id));
            }
            Arc::new(Keyed { entry, keys })
        });
        self.changed.insert(id, keyed);
    }

    /// The changes of `self` that `before` (an earlier state of the same delta) did not have.
    pub(super) fn since(&self, before: &Delta) -> Delta {
        let mut out = Delta::default();
        for (id, now) in &self.changed {
            let same = match (before.changed.get(id), now) {
                (Some(Some(a)), Some(b)) => Arc::ptr_eq(a, b),
                (Some(None), None) => true,
                _ => false,
            };
            if !same {
                out.set(*id, now.as_ref().map(|k| (k.entry.clone(), k.keys.clone())));
            }
        }
        out
    }

    fn entry(&self, id: &RecordId) -> Option<&Entry> {
        self.changed
            .get(id)
            .and_then(|k| k.as_ref())
            .map(|k| &k.entry)
    }

    /// Each (key, entry, match) from the first key at or after `from` while `more` holds,
    /// the best match only of an entry under one key.
    fn walk<'a>(
        &'a self,
        from: &str,
        mut more: impl FnMut(&str) -> bool,
        each: &mut dyn FnMut(&str, &'a Entry, Match),
    ) {
        let mut last: Option<(&str, RecordId)> = None;
        let mut keys = 0;
        for (key, id, m) in self.keys.range((from.to_string(), FIRST, Match::Name)..) {
            if !more(key) {
                break;
            }
            if last.is_some_and(|(k, _)| k != key) {
                keys += 1;
                if keys >= KEYS_PER_STAGE {
                    break;
                }
            }
            if last == Some((key.as_str(), *id)) {
                continue;
            }
            last = Some((key, *id));
            if let Some(e) = self.entry(id) {
                each(key, e, *m);
            }
        }
    }
}

impl Part for Delta {
    fn prefixed<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(bool, &'a Entry, Match)) {
        self.walk(prefix, |k| k.starts_with(prefix), &mut |k, e, m| {
            each(k == prefix, e, m)
        });
    }

    fn exact<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry, Match)) {
        self.walk(key, |k| k == key, &mut |_, e, m| each(e, m));
    }

    fn deleted<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry)) {
        for (_, id) in self
            .deletions
            .range((key.to_string(), FIRST)..)
            .take_while(|(k, _)| k == key)
        {
            if let Some(e) = self.entry(id) {
                each(e);
            }
        }
    }

    fn ascii_typos<'a>(&'a self, q: &str, each: &mut dyn FnMut(&'a Entry)) {
        let n = q.len();
        let Some(first) = q.chars().next() else {
            return;
        };
        // Keys that start like `q`: read in order and compared.
        let mut near = |key: &str, e: &'a Entry| {
            if key.is_ascii() && key.len().abs_diff(n) <= 1 && within_one_edit(key, q) {
                each(e);
            }
        };
        for (key, id, _) in self
            .keys
            .range((first.to_string(), FIRST, Match::Name)..)
            .take_while(|(k, ..)| k.starts_with(first))
        {
            if let Some(e) = self.entry(id) {
                near(key, e);
            }
        }
        // Keys one edit away that start otherwise: the edit is at the first character (a
        // deletion, a substitution or an insertion), so they are few and looked up whole.
        let rest = &q[first.len_utf8()..];
        let mut candidates = vec![rest.to_string()];
        for c in ('a'..='z').chain('0'..='9').filter(|c| *c != first) {
            candidates.push(format!("{c}{rest}"));
            candidates.push(format!("{c}{q}"));
        }
        for key in candidates.iter().filter(|k| !k.starts_with(first)) {
            self.walk(key, |k| k == key, &mut |k, e, _| near(k, e));
        }
    }
}
