//! The current state's versions by id (see [`super::CurrentState`]).

use super::RecordVersion;
use crate::record::RecordId;
use std::collections::HashMap;

/// Versions by id, held side by side in one vector with a map from id to place: a hash map
/// of versions would hold room for twice as many as it has (its table grows by doubling and
/// stays at most seven-eighths full), which for a province's million records is 150 MB.
#[derive(Default)]
pub(super) struct ById {
    all: Vec<RecordVersion>,
    at: HashMap<RecordId, u32>,
}

impl ById {
    pub(super) fn get(&self, id: &RecordId) -> Option<&RecordVersion> {
        self.at.get(id).map(|&i| &self.all[i as usize])
    }

    pub(super) fn contains_key(&self, id: &RecordId) -> bool {
        self.at.contains_key(id)
    }

    pub(super) fn len(&self) -> usize {
        self.all.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    pub(super) fn values(&self) -> std::slice::Iter<'_, RecordVersion> {
        self.all.iter()
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.all.reserve(n);
        self.at.reserve(n);
    }

    /// Puts `v` in place of the version of the same id, if there is one.
    pub(super) fn insert(&mut self, v: RecordVersion) {
        match self.at.get(&v.id) {
            Some(&i) => self.all[i as usize] = v,
            None => {
                let i = u32::try_from(self.all.len()).expect("fewer than 4 billion records");
                self.at.insert(v.id, i);
                self.all.push(v);
            }
        }
    }

    /// Takes the version of `id` out; the last one moves into its place.
    pub(super) fn remove(&mut self, id: &RecordId) -> Option<RecordVersion> {
        let i = self.at.remove(id)? as usize;
        let v = self.all.swap_remove(i);
        if let Some(moved) = self.all.get(i) {
            self.at.insert(moved.id, i as u32);
        }
        Some(v)
    }
}

impl FromIterator<RecordVersion> for ById {
    fn from_iter<I: IntoIterator<Item = RecordVersion>>(versions: I) -> Self {
        let versions = versions.into_iter();
        let mut out = ById::default();
        out.reserve(versions.size_hint().0);
        for v in versions {
            out.insert(v);
        }
        out
    }
}
