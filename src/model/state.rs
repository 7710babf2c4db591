//! The current state of the registry, in memory (with the retiring versions of named records,
//! whose names the naming rules keep from reuse), and the planning of a changeset against it.

use super::by_id::ById;
use super::{Body, Changeset, ChangesetError, Layer, RecordVersion, Write};
use crate::record::{ChangesetId, RecordId};
use crate::spatial::{IndexChanges, SpatialIndex};

/// The index of the current state: one tree per layer, answering record ids.
pub type RecordIndex = SpatialIndex<Layer, RecordId>;
use chrono::{DateTime, NaiveDate, Utc};
use geo::Coord;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// The closing of a current version by a changeset: it stops being valid on `valid_to` and stops
/// being current at `superseded_at`. The store refuses the closure unless `version` is still the
/// current one (another process may have written first).
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub id: RecordId,
    pub version: u32,
    pub valid_to: NaiveDate,
}

/// Everything a store writes for one changeset.
#[derive(Debug, Clone)]
pub struct CommitPlan {
    pub changeset: Changeset,
    pub recorded_at: DateTime<Utc>,
    pub closures: Vec<Closure>,
    pub versions: Vec<RecordVersion>,
}

impl CommitPlan {
    pub fn id(&self) -> ChangesetId {
        self.changeset.id
    }

    /// The changeset as history records it.
    pub fn summary(&self) -> crate::model::ChangesetSummary {
        crate::model::ChangesetSummary {
            id: self.changeset.id,
            author: self.changeset.author.clone(),
            reason: self.changeset.reason.clone(),
            recorded_at: self.recorded_at,
            document: self.changeset.document.clone(),
            writes: self.changeset.writes.len(),
        }
    }
}

/// All current (not retired, not superseded) versions, with a spatial index over them.
pub struct CurrentState {
    /// By layer, so that reading one layer costs its size, not the registry's (a province's
    /// million plates are not read to find its twelve units).
    records: ById,
    /// The retiring version of each retired record, so that a late copy of an older version
    /// (another process's commit, heard of twice) cannot bring it back.
    retired: HashMap<RecordId, u32>,
    /// The retiring versions of retired records that had a name: the names the rules keep
    /// from being given again too soon.
    gone: HashMap<RecordId, RecordVersion>,
    index: RecordIndex,
    /// Names this state's contents: new with every change, never shared by two states.
    stamp: u64,
}

/// Stamps of states, unique in the process.
static STAMPS: AtomicU64 = AtomicU64::new(1);

fn next_stamp() -> u64 {
    STAMPS.fetch_add(1, Ordering::Relaxed)
}

impl Default for CurrentState {
    fn default() -> Self {
        CurrentState {
            records: ById::default(),
            retired: HashMap::new(),
            gone: HashMap::new(),
            index: SpatialIndex::default(),
            stamp: next_stamp(),
        }
    }
}

/// The spatial index's part of applying a batch of versions, worked out ahead from the state
/// as it was (see [`CurrentState::stage`]).
pub struct Staged {
    stamp: u64,
    index: IndexChanges<Layer, RecordId>,
}

impl CurrentState {
    pub fn from_versions(versions: impl IntoIterator<Item = RecordVersion>) -> Self {
        let records: ById = versions.into_iter().collect();
        let index = SpatialIndex::build(records.values());
        CurrentState {
            records,
            retired: HashMap::new(),
            gone: HashMap::new(),
            index,
            stamp: next_stamp(),
        }
    }

    /// The state with the retiring versions of retired records (as the store holds them).
    pub fn with_retired(mut self, versions: impl IntoIterator<Item = RecordVersion>) -> Self {
        for v in versions.into_iter().filter(|v| v.retired) {
            self.retired.insert(v.id, v.version);
            if v.body.naming().is_some() {
                self.gone.insert(v.id, v);
            }
        }
        self
    }

    /// The retired records that had a name, each as the version that retired it.
    pub fn gone(&self) -> impl Iterator<Item = &RecordVersion> {
        self.gone.values()
    }

    pub fn get(&self, id: &RecordId) -> Option<&RecordVersion> {
        self.records.get(id)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn records(&self) -> impl Iterator<Item = &RecordVersion> {
        self.records.values()
    }

    pub fn layer(&self, layer: Layer) -> impl Iterator<Item = &RecordVersion> {
        self.records.layer(layer)
    }

    pub fn count(&self, layer: Layer) -> usize {
        self.records.count(layer)
    }

    pub fn index(&self) -> &RecordIndex {
        &self.index
    }

    /// The deepest unit whose area contains or touches `point`: a community or 嘎查 where
    /// there is one, else its township, else the city.
    pub fn unit_at(&self, point: Coord<f64>) -> Option<&RecordVersion> {
        crate::boundaries::deepest_at(self, point).and_then(|u| self.get(&u.id))
    }

    /// The deepest units `g` lies in, all of them when it crosses units (a street through two
    /// communities): units it meets in more than their boundary, leaving out any whose child
    /// is also met.
    pub fn units_of(&self, g: &geo::Geometry<f64>) -> Vec<&RecordVersion> {
        use geo::{BoundingRect, Relate};
        let Some(rect) = g.bounding_rect() else {
            return Vec::new();
        };
        let met: Vec<&RecordVersion> = self
            .index
            .intersecting(Layer::AdminUnit, rect)
            .iter()
            .filter_map(|id| self.records.get(id))
            .filter(|u| {
                let m = u.geometry.relate(g);
                m.is_intersects() && !m.is_touches()
            })
            .collect();
        let parents: HashSet<_> = met
            .iter()
            .filter_map(|v| match &v.body {
                Body::AdminUnit(u) => u.parent,
                _ => None,
            })
            .collect();
        let mut out: Vec<&RecordVersion> = met
            .into_iter()
            .filter(|v| matches!(&v.body, Body::AdminUnit(u) if !parents.contains(&u.code)))
            .collect();
        out.sort_by_key(|v| match &v.body {
            Body::AdminUnit(u) => u.code,
            _ => crate::boundaries::DivisionCode::MIN,
        });
        out
    }

    /// Checks `changeset` against the current state and says what to write. A stale base
    /// version, a missing record or a duplicate id refuses the whole changeset.
    pub fn plan(
        &self,
        changeset: Changeset,
        recorded_at: DateTime<Utc>,
    ) -> Result<CommitPlan, ChangesetError> {
        if changeset.writes.is_empty() {
            return Err(ChangesetError::Empty);
        }
        if changeset.author.trim().is_empty() || changeset.reason.trim().is_empty() {
            return Err(ChangesetError::MissingAuthorOrReason);
        }
        let mut seen = HashSet::new();
        let mut closures = Vec::new();
        let mut versions = Vec::new();
        for write in &changeset.writes {
            if !seen.insert(write.id()) {
                return Err(ChangesetError::WrittenTwice(write.id()));
            }
            let new = |id, version, valid_from, retired, body, geometry| RecordVersion {
                id,
                version,
                valid_from,
                valid_to: None,
                recorded_at,
                superseded_at: None,
                changeset: changeset.id,
                retired,
                body,
                geometry,
            };
            match write {
                Write::Create {
                    id,
                    valid_from,
                    body,
                    geometry,
                } => {
                    // A retired record keeps its id and its history: the id is not free again
                    // (before, such a create was planned and then silently not applied).
                    if self.records.contains_key(id) || self.retired.contains_key(id) {
                        return Err(ChangesetError::AlreadyExists(*id));
                    }
                    versions.push(new(
                        *id,
                        1,
                        *valid_from,
                        false,
                        body.clone(),
                        geometry.clone(),
                    ));
                }
                Write::Update {
                    id,
                    base_version,
                    valid_from,
                    body,
                    geometry,
                } => {
                    let current = self.current_at(*id, *base_version, *valid_from)?;
                    if current.layer() != body.layer() {
                        return Err(ChangesetError::LayerChanged {
                            id: *id,
                            from: current.layer(),
                            to: body.layer(),
                        });
                    }
                    closures.push(Closure {
                        id: *id,
                        version: *base_version,
                        valid_to: *valid_from,
                    });
                    versions.push(new(
                        *id,
                        base_version + 1,
                        *valid_from,
                        false,
                        body.clone(),
                        geometry.clone(),
                    ));
                }
                Write::Retire {
                    id,
                    base_version,
                    valid_from,
                } => {
                    let current = self.current_at(*id, *base_version, *valid_from)?;
                    closures.push(Closure {
                        id: *id,
                        version: *base_version,
                        valid_to: *valid_from,
                    });
                    versions.push(new(
                        *id,
                        base_version + 1,
                        *valid_from,
                        true,
                        current.body.clone(),
                        current.geometry.clone(),
                    ));
                }
            }
        }
        Ok(CommitPlan {
            changeset,
            recorded_at,
            closures,
            versions,
        })
    }

    /// Refuses a changeset whose updates or retirements name a version that is no longer
    /// current (or a record that does not exist): checked before any other rule, so a client
    /// that lost a race is told so (412) rather than what its stale edit would break.
    pub fn check_versions(&self, changeset: &Changeset) -> Result<(), ChangesetError> {
        for w in &changeset.writes {
            if let Write::Update {
                id,
                base_version,
                valid_from,
                ..
            }
            | Write::Retire {
                id,
                base_version,
                valid_from,
            } = w
            {
                self.current_at(*id, *base_version, *valid_from)?;
            }
        }
        Ok(())
    }

    fn current_at(
        &self,
        id: RecordId,
        base_version: u32,
        valid_from: NaiveDate,
    ) -> Result<&RecordVersion, ChangesetError> {
        let current = self.records.get(&id).ok_or(ChangesetError::NotFound(id))?;
        if current.version != base_version {
            return Err(ChangesetError::Stale {
                id,
                expected: base_version,
                actual: current.version,
            });
        }
        if valid_from < current.valid_from {
            return Err(ChangesetError::BackDated {
                id,
                valid_from,
                current_from: current.valid_from,
            });
        }
        Ok(current)
    }

    /// Makes a committed plan current (a copy of its versions; see [`Self::apply_versions`]).
    pub fn apply(&mut self, plan: &CommitPlan) {
        self.apply_versions(plan.versions.iter().cloned());
    }

    /// Makes committed versions current, unless a newer version of the same record is already
    /// known: applying the same commit twice, or an older one late, changes nothing. The
    /// versions are moved in, not copied (an import's 100,000).
    pub fn apply_versions(&mut self, versions: impl IntoIterator<Item = RecordVersion>) {
        self.apply_staged(versions.into_iter().collect(), None);
    }

    /// Works out the spatial index's part of applying `versions` (the larger part of the work
    /// for a large batch) without changing anything, so that it can run while the store writes
    /// them. [`Self::apply_staged`] uses it if the state has not changed since.
    pub fn stage(&self, versions: &[RecordVersion]) -> Staged {
        let (removed, added) = self.selection(versions);
        Staged {
            stamp: self.stamp,
            index: self.index.changes(removed, added),
        }
    }

    /// [`Self::apply_versions`] with the index's part staged before; staged from another state
    /// (another process's commit applied meanwhile), it is worked out again.
    pub fn apply_staged(&mut self, versions: Vec<RecordVersion>, staged: Option<Staged>) {
        let index = match staged {
            Some(staged) if staged.stamp == self.stamp => staged.index,
            _ => self.stage(&versions).index,
        };
        self.records.reserve(versions.len());
        for v in versions {
            if self.known_version(&v.id).is_some_and(|k| k >= v.version) {
                continue;
            }
            self.records.remove(&v.id);
            if v.retired {
                self.retired.insert(v.id, v.version);
                if v.body.naming().is_some() {
                    self.gone.insert(v.id, v);
                }
            } else {
                self.records.insert(v);
            }
        }
        self.index.apply(index);
        self.stamp = next_stamp();
    }

    fn known_version(&self, id: &RecordId) -> Option<u32> {
        self.records
            .get(id)
            .map(|c| c.version)
            .or_else(|| self.retired.get(id).copied())
    }

    /// What applying `versions` in order leaves in the spatial index: the current versions
    /// they replace, and those of them that become current (one replaced again within the
    /// batch never enters the index).
    fn selection<'a>(
        &'a self,
        versions: &'a [RecordVersion],
    ) -> (Vec<&'a RecordVersion>, Vec<&'a RecordVersion>) {
        let mut last: HashMap<RecordId, &RecordVersion> = HashMap::with_capacity(versions.len());
        let mut removed = Vec::new();
        for v in versions {
            let known = match last.get(&v.id) {
                Some(l) => Some(l.version),
                None => self.known_version(&v.id),
            };
            if known.is_some_and(|k| k >= v.version) {
                continue;
            }
            if !last.contains_key(&v.id)
                && let Some(old) = self.records.get(&v.id)
            {
                removed.push(old);
            }
            last.insert(v.id, v);
        }
        let added = last.into_values().filter(|v| !v.retired).collect();
        (removed, added)
    }
}

#[cfg(test)]
mod tests {
    //! Property tests of changeset application against a model: versions, staleness,
    //! retirement, atomicity, and re-applying old or repeated commits.
    use super::*;
    use crate::model::{Body, Changeset, Layer, Write};
    use crate::names::{Place, PlaceCategory};
    use crate::record::Source;
    use geo::{Geometry, Point, Rect};
    use proptest::prelude::*;
    use std::collections::HashMap;

    const IDS: usize = 5;

    fn id(i: usize) -> RecordId {
        RecordId::derived(&format!("prop/{i}"))
    }

    fn body(n: u32) -> Body {
        Body::from(Place {
            name: format!("地名{n}"),
            name_mn: None,
            category: PlaceCategory::Building,
            source: Source::Sample,
            naming: Default::default(),
        })
    }

    /// What a model of the registry knows of each id: its version and whether it is retired.
    #[derive(Debug, Clone, Copy)]
    enum Op {
        Create(usize),
        /// Update on the current version moved by the offset (0 is right, others stale).
        Update(usize, i8),
        Retire(usize, i8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..IDS).prop_map(Op::Create),
            (0..IDS, -1i8..=1).prop_map(|(i, o)| Op::Update(i, o)),
            (0..IDS, -1i8..=1).prop_map(|(i, o)| Op::Retire(i, o)),
        ]
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    proptest! {
        #[test]
        fn changesets_apply_as_the_model_says_and_old_commits_change_nothing(
            batches in proptest::collection::vec(proptest::collection::vec(op(), 1..4), 1..25)
        ) {
            let mut state = CurrentState::default();
            // id → (version, retired)
            let mut model: HashMap<usize, (u32, bool)> = HashMap::new();
            let mut applied: Vec<CommitPlan> = Vec::new();
            let mut n = 0;
            for batch in batches {
                let mut cs = Changeset::new("测试", "性质测试");
                let mut next = model.clone();
                let mut valid = true;
                let mut touched = std::collections::HashSet::new();
                for op in &batch {
                    n += 1;
                    let i = match op { Op::Create(i) | Op::Update(i, _) | Op::Retire(i, _) => *i };
                    if !touched.insert(i) {
                        valid = false;
                    }
                    let known = model.get(&i).copied();
                    match *op {
                        Op::Create(i) => {
                            // An id that was ever used (even retired) cannot be created again.
                            valid &= known.is_none();
                            next.insert(i, (1, false));
                            cs.push(Write::Create {
                                id: id(i),
                                valid_from: date(),
                                body: body(n),
                                geometry: Geometry::Point(Point::new(111.9 + i as f64 * 0.01, 43.6)),
                            });
                        }
                        Op::Update(i, offset) | Op::Retire(i, offset) => {
                            let base = known.map_or(1, |(v, _)| v).saturating_add_signed(offset.into()).max(1);
                            valid &= matches!(known, Some((v, false)) if v == base);
                            next.insert(i, (base + 1, matches!(op, Op::Retire(..))));
                            cs.push(match op {
                                Op::Update(..) => Write::Update {
                                    id: id(i),
                                    base_version: base,
                                    valid_from: date(),
                                    body: body(n),
                                    geometry: Geometry::Point(Point::new(111.9 + i as f64 * 0.01, 43.61)),
                                },
                                _ => Write::Retire { id: id(i), base_version: base, valid_from: date() },
                            });
                        }
                    }
                }
                match state.plan(cs, Utc::now()) {
                    Ok(plan) => {
                        prop_assert!(valid, "a changeset the model refuses was planned: {batch:?}");
                        state.apply(&plan);
                        model = next;
                        applied.push(plan);
                    }
                    Err(e) => prop_assert!(!valid, "a valid changeset was refused: {batch:?}: {e}"),
                }
                // The state is the model: live records at their versions, retired ones gone,
                // and the spatial index holds exactly the live records.
                let live: Vec<_> = model.iter().filter(|(_, (_, r))| !r).collect();
                prop_assert_eq!(state.len(), live.len());
                for (i, (v, retired)) in &model {
                    match state.get(&id(*i)) {
                        Some(cur) => prop_assert!(!retired && cur.version == *v),
                        None => prop_assert!(*retired),
                    }
                }
                let world = Rect::new((100.0, 30.0), (120.0, 50.0));
                prop_assert_eq!(state.index().intersecting(Layer::Place, world).len(), live.len());
                prop_assert_eq!(state.count(Layer::Place), live.len());
                prop_assert_eq!(state.layer(Layer::Place).count(), live.len());
                // Commits heard again, or late and out of order, change nothing.
                let versions: Vec<_> = state.records().map(|v| (v.id, v.version)).collect();
                for plan in applied.iter().rev() {
                    state.apply(plan);
                }
                let again: Vec<_> = state.records().map(|v| (v.id, v.version)).collect();
                let (mut a, mut b) = (versions, again);
                a.sort();
                b.sort();
                prop_assert_eq!(a, b);
            }
        }
    }

    /// `n` places in a row, 0.0001° apart, created by one changeset (an import).
    fn imported(state: &mut CurrentState, n: usize) {
        let mut cs = Changeset::new("测试", "导入");
        for i in 0..n {
            cs.push(Write::Create {
                id: id(i),
                valid_from: date(),
                body: body(i as u32),
                geometry: Geometry::Point(Point::new(111.9 + i as f64 * 1e-4, 43.6)),
            });
        }
        let plan = state.plan(cs, Utc::now()).unwrap();
        state.apply(&plan);
    }

    #[test]
    fn an_import_is_indexed_at_once_and_a_record_replaced_twice_in_one_batch_once() {
        let mut state = CurrentState::default();
        imported(&mut state, 500);
        let world = Rect::new((100.0, 30.0), (120.0, 50.0));
        assert_eq!(state.index().intersecting(Layer::Place, world).len(), 500);
        // Two later versions of one record heard together (another process's commits).
        let near = |x: f64| Rect::new((x - 1e-6, 43.6 - 1e-6), (x + 1e-6, 43.6 + 1e-6));
        let first = state.get(&id(7)).unwrap().clone();
        let mut second = first.clone();
        second.version = 2;
        second.geometry = Geometry::Point(Point::new(112.5, 43.6));
        let mut third = first.clone();
        third.version = 3;
        third.geometry = Geometry::Point(Point::new(112.6, 43.6));
        state.apply_versions([second, third]);
        assert_eq!(state.index().intersecting(Layer::Place, world).len(), 500);
        assert_eq!(
            state.index().intersecting(Layer::Place, near(112.6)),
            vec![id(7)]
        );
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(112.5))
                .is_empty()
        );
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(111.9 + 7e-4))
                .is_empty()
        );
        // Moved, then retired, in one batch: gone from the index.
        let mut moved = state.get(&id(8)).unwrap().clone();
        moved.version = 2;
        moved.geometry = Geometry::Point(Point::new(112.7, 43.6));
        let mut retired = moved.clone();
        retired.version = 3;
        retired.retired = true;
        state.apply_versions([moved, retired]);
        assert_eq!(state.index().intersecting(Layer::Place, world).len(), 499);
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(112.7))
                .is_empty()
        );
        // A corrected survey of the whole layer: every record at its new place only, the
        // retired one still gone.
        fn x_of(v: &RecordVersion) -> f64 {
            match &v.geometry {
                Geometry::Point(p) => p.x(),
                other => panic!("a point, not {other:?}"),
            }
        }
        let survey: Vec<RecordVersion> = state
            .layer(Layer::Place)
            .map(|v| {
                let mut w = v.clone();
                w.version += 1;
                w.geometry = Geometry::Point(Point::new(x_of(v) + 0.5, 43.6));
                w
            })
            .collect();
        let moved: Vec<(RecordId, f64)> = survey.iter().map(|v| (v.id, x_of(v) - 0.5)).collect();
        assert_eq!(moved.len(), 499);
        state.apply_versions(survey);
        assert_eq!(state.index().len(Layer::Place), 499);
        for (i, x) in moved {
            assert!(state.index().intersecting(Layer::Place, near(x)).is_empty());
            assert_eq!(
                state.index().intersecting(Layer::Place, near(x + 0.5)),
                vec![i]
            );
        }
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(112.7))
                .is_empty()
        );
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(113.2))
                .is_empty()
        );
    }

    #[test]
    fn an_index_staged_before_another_commit_is_worked_out_again() {
        let mut state = CurrentState::default();
        imported(&mut state, 200);
        let near = |x: f64| Rect::new((x - 1e-6, 43.6 - 1e-6), (x + 1e-6, 43.6 + 1e-6));
        let survey = |state: &CurrentState| -> Vec<RecordVersion> {
            state
                .layer(Layer::Place)
                .map(|v| {
                    let mut w = v.clone();
                    w.version += 1;
                    w.geometry = match &v.geometry {
                        Geometry::Point(p) => Geometry::Point(Point::new(p.x() + 0.5, 43.6)),
                        other => panic!("a point, not {other:?}"),
                    };
                    w
                })
                .collect()
        };
        // Staged and applied on the same state: as if applied directly.
        let mut direct = CurrentState::from_versions(state.records().cloned());
        let moved = survey(&state);
        let staged = state.stage(&moved);
        state.apply_staged(moved.clone(), Some(staged));
        direct.apply_versions(moved);
        for v in direct.records() {
            let Geometry::Point(p) = &v.geometry else {
                unreachable!()
            };
            assert_eq!(
                state.index().intersecting(Layer::Place, near(p.x())),
                vec![v.id]
            );
        }
        assert_eq!(state.index().len(Layer::Place), 200);
        // Staged, then another process's commit moves record 5 first: its version 3 there
        // stays, and the staged index (record 5 at the survey's place) is not used.
        let moved = survey(&state);
        let staged = state.stage(&moved);
        let mut other = state.get(&id(5)).unwrap().clone();
        other.version += 1;
        other.geometry = Geometry::Point(Point::new(113.0, 43.6));
        state.apply_versions([other]);
        state.apply_staged(moved, Some(staged));
        assert_eq!(state.get(&id(5)).unwrap().version, 3);
        assert_eq!(
            state.index().intersecting(Layer::Place, near(113.0)),
            vec![id(5)]
        );
        assert!(
            state
                .index()
                .intersecting(Layer::Place, near(111.9 + 5e-4 + 1.0))
                .is_empty()
        );
        assert_eq!(
            state
                .index()
                .intersecting(Layer::Place, near(111.9 + 6e-4 + 1.0)),
            vec![id(6)]
        );
        assert_eq!(state.index().len(Layer::Place), 200);
    }
}
