//! The current state's versions by id (see [`super::CurrentState`]).

use super::{Layer, RecordVersion};
use crate::record::RecordId;
use std::collections::HashMap;

/// Versions held side by side, one vector per layer, with a map from id to place. Reading a
/// layer walks its own vector (a page of a province's 100,000 streets looked each up in a
/// hash map: 53 ms); a hash map of versions would also hold room for twice as many as it has
/// (its table grows by doubling and stays at most seven-eighths full), 150 MB for a
/// province's million records.
pub(super) struct ById {
    layers: Vec<Vec<RecordVersion>>,
    at: HashMap<RecordId, (Layer, u32)>,
}

impl Default for ById {
    fn default() -> Self {
        ById {
            layers: Layer::ALL.iter().map(|_| Vec::new()).collect(),
            at: HashMap::new(),
        }
    }
}

impl ById {
    pub(super) fn get(&self, id: &RecordId) -> Option<&RecordVersion> {
        self.at
            .get(id)
            .map(|&(layer, i)| &self.layers[layer as usize][i as usize])
    }

    pub(super) fn contains_key(&self, id: &RecordId) -> bool {
        self.at.contains_key(id)
    }

    pub(super) fn len(&self) -> usize {
        self.at.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &RecordVersion> {
        self.layers.iter().flatten()
    }

    /// The versions of one layer.
    pub(super) fn layer(&self, layer: Layer) -> std::slice::Iter<'_, RecordVersion> {
        self.layers[layer as usize].iter()
    }

    pub(super) fn count(&self, layer: Layer) -> usize {
        self.layers[layer as usize].len()
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.at.reserve(n);
    }

    /// Puts `v` in place of the version of the same id, if there is one.
    pub(super) fn insert(&mut self, v: RecordVersion) {
        let layer = v.layer();
        match self.at.get(&v.id) {
            Some(&(was, i)) if was == layer => self.layers[layer as usize][i as usize] = v,
            _ => {
                self.remove(&v.id);
                let list = &mut self.layers[layer as usize];
                let i = u32::try_from(list.len()).expect("fewer than 4 billion records");
                self.at.insert(v.id, (layer, i));
                list.push(v);
            }
        }
    }

    /// Takes the version of `id` out; the last of its layer moves into its place.
    pub(super) fn remove(&mut self, id: &RecordId) -> Option<RecordVersion> {
        let (layer, i) = self.at.remove(id)?;
        let list = &mut self.layers[layer as usize];
        let v = list.swap_remove(i as usize);
        if let Some(moved) = list.get(i as usize) {
            self.at.insert(moved.id, (layer, i));
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
