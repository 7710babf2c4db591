//! Results worked out from the whole current state (the boundary check, the sign check, the
//! cemetery check, the deaths the statistics count, the names audit), kept while the layers
//! they read are unchanged, so that the pages showing them answer from here. Each layer has a
//! generation, bumped under the state's write lock whenever versions of it apply; a result is
//! kept with the generations of the layers it reads, and worked out again by the first caller
//! after one of them changes (the others wait for it rather than work it out too).

use super::Registry;
use crate::model::{CurrentState, Layer};
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type Value = Arc<dyn Any + Send + Sync>;

/// One result, with the generations it was worked out at.
type Slot = Arc<Mutex<Option<(Vec<u64>, Value)>>>;

pub(super) struct Derived {
    /// By position in [`Layer::ALL`].
    generations: Vec<AtomicU64>,
    slots: Mutex<HashMap<String, Slot>>,
}

impl Default for Derived {
    fn default() -> Self {
        Derived {
            generations: Layer::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
            slots: Mutex::default(),
        }
    }
}

fn position(layer: Layer) -> usize {
    Layer::ALL
        .iter()
        .position(|l| *l == layer)
        .expect("every layer is in Layer::ALL")
}

impl Derived {
    /// Marks `layers` as changed. Called under the state's write lock, so that a reader
    /// holding the read lock sees generations that match the state.
    pub(super) fn bump(&self, layers: impl IntoIterator<Item = Layer>) {
        for layer in layers {
            self.generations[position(layer)].fetch_add(1, Ordering::SeqCst);
        }
    }

    fn stamp(&self, layers: &[Layer]) -> Vec<u64> {
        layers
            .iter()
            .map(|l| self.generations[position(*l)].load(Ordering::SeqCst))
            .collect()
    }

    fn slot(&self, key: &str) -> Slot {
        let mut slots = self.slots.lock().expect("derived results lock poisoned");
        Arc::clone(slots.entry(key.to_string()).or_default())
    }
}

impl Registry {
    /// `compute` over the current state, or the result an earlier call kept if none of
    /// `layers` (every layer `compute` reads) has changed since. `key` names the result with
    /// its parameters.
    pub fn derived<T: Send + Sync + 'static>(
        &self,
        key: &str,
        layers: &[Layer],
        compute: impl FnOnce(&CurrentState) -> T,
    ) -> Arc<T> {
        // The slot's lock before the state's: a caller waiting for another's result holds no
        // read lock a writer would wait behind.
        let slot = self.derived.slot(key);
        let mut slot = slot.lock().expect("derived result lock poisoned");
        let state = self.current();
        let stamp = self.derived.stamp(layers);
        if let Some((kept, value)) = slot.as_ref()
            && *kept == stamp
            && let Ok(value) = Arc::clone(value).downcast::<T>()
        {
            return value;
        }
        let value = Arc::new(compute(&state));
        *slot = Some((stamp, Arc::clone(&value) as Value));
        value
    }
}
