//! A changeset seen against the current state, as the domains' rules see it: the registry as
//! it will be after the writes ([`After`]: [`Records`] and [`Changes`] of every layer's type),
//! and the writes open to the rules that fill them in ([`Pending`]: [`Writing`]).

use super::{CurrentState, Variant, Write};
use crate::record::{Change, Changes, Current, RecordId, Records, View, Writing, Written};
use geo::{Coord, Distance, Euclidean, Intersects, Point};
use std::collections::HashMap;

/// The registry as it will be once `writes` are applied: written records first, then the
/// current state.
pub struct After<'a> {
    state: &'a CurrentState,
    writes: &'a [Write],
    /// The last write of each record written.
    written: HashMap<RecordId, usize>,
}

impl<'a> After<'a> {
    pub fn new(state: &'a CurrentState, writes: &'a [Write]) -> After<'a> {
        let written = writes
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id(), i))
            .collect();
        After {
            state,
            writes,
            written,
        }
    }

    /// The record a write leaves, if it is a `T` (none for a retirement).
    fn left_by<T: Variant>(w: &'a Write) -> Option<Current<'a, T>> {
        let (id, version, valid_from, body, geometry) = match w {
            Write::Create {
                id,
                valid_from,
                body,
                geometry,
            } => (*id, 1, *valid_from, body, geometry),
            Write::Update {
                id,
                base_version,
                valid_from,
                body,
                geometry,
            } => (*id, base_version + 1, *valid_from, body, geometry),
            Write::Retire { .. } => return None,
        };
        Some(Current {
            id,
            version,
            valid_from,
            body: body.of::<T>()?,
            geometry,
        })
    }
}

impl<T: Variant> Records<T> for After<'_> {
    fn all_of(&self) -> impl Iterator<Item = Current<'_, T>> {
        let kept = self
            .state
            .versions::<T>()
            .filter(|(v, _)| !self.written.contains_key(&v.id))
            .filter_map(|(v, _)| self.state.one::<T>(&v.id));
        let written = self
            .writes
            .iter()
            .enumerate()
            .filter(|(i, w)| self.written.get(&w.id()) == Some(i))
            .filter_map(|(_, w)| After::left_by::<T>(w));
        kept.chain(written)
    }

    fn one_of(&self, id: &RecordId) -> Option<Current<'_, T>> {
        match self.written.get(id) {
            Some(i) => After::left_by::<T>(&self.writes[*i]),
            None => self.state.one::<T>(id),
        }
    }

    fn nearest_of(&self, point: Coord<f64>) -> Option<Current<'_, T>> {
        let point = Point::from(point);
        self.all_of()
            .map(|c| (Euclidean.distance(&point, c.geometry), c))
            .min_by(|(a, _), (b, _)| a.total_cmp(b))
            .map(|(_, c)| c)
    }

    fn at_of(&self, point: Coord<f64>) -> impl Iterator<Item = Current<'_, T>> {
        self.all_of().filter(move |c| c.geometry.intersects(&point))
    }
}

impl<T: Variant> Changes<T> for After<'_> {
    fn changes_of(&self) -> impl Iterator<Item = Change<'_, T>> {
        self.writes.iter().filter_map(|w| {
            let id = w.id();
            let current = self.state.get(&id);
            let before = current.and_then(|v| v.of::<T>());
            let (after, is_at) = match w {
                Write::Create { body, geometry, .. } | Write::Update { body, geometry, .. } => {
                    (body.of::<T>(), Some(geometry))
                }
                Write::Retire { .. } => (None, None),
            };
            (before.is_some() || after.is_some()).then_some(Change {
                id,
                before,
                after,
                was_at: current.map(|v| &v.geometry),
                is_at,
            })
        })
    }
}

/// The writes of a changeset, open to the rules that fill in what the registry decides.
pub struct Pending<'a> {
    state: &'a CurrentState,
    writes: &'a mut [Write],
}

impl<'a> Pending<'a> {
    pub fn new(state: &'a CurrentState, writes: &'a mut [Write]) -> Pending<'a> {
        Pending { state, writes }
    }
}

impl<T: Variant> Writing<T> for Pending<'_> {
    fn written_of(&mut self) -> Vec<Written<'_, T>> {
        let state = self.state;
        self.writes
            .iter_mut()
            .filter_map(|w| match w {
                Write::Create {
                    id, body, geometry, ..
                }
                | Write::Update {
                    id, body, geometry, ..
                } => Some(Written {
                    id: *id,
                    before: state.get(id).and_then(|v| v.of::<T>()),
                    body: body.of_mut::<T>()?,
                    geometry,
                }),
                Write::Retire { .. } => None,
            })
            .collect()
    }
}
