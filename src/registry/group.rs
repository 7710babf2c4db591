//! Group commit: changesets that arrive while another is being written wait in a queue, and
//! the next writer plans them all against the current state and makes them durable in one
//! transaction (one fsync). Each is still planned alone (refused alone when stale or against a
//! rule) and keeps its own changeset row and sequence number. Two changesets go into the same
//! group only when what the rules read of one cannot be changed by the other (their
//! [`footprint`]s are disjoint): a later one that could is left for the next group, planned
//! then against the state the earlier made. If the group's transaction fails in the store
//! (another server wrote one of its records first), each is written again alone, in order, so
//! that only the one at fault is refused.

use super::{Registry, RegistryError};
use crate::model::{Body, Changeset, CommitPlan, CurrentState, Layer, Office, Write};
use crate::record::{ChangesetId, RecordId};
use std::collections::{HashSet, VecDeque};
use tokio::sync::oneshot;

/// At most this many changesets are written in one transaction.
const GROUP: usize = 256;

/// A changeset waiting to be written, and where its answer goes.
pub(super) struct Queued {
    changeset: Changeset,
    answer: oneshot::Sender<Result<ChangesetId, RegistryError>>,
}

/// What the rules read of the registry beyond a changeset's own records, as keys two
/// changesets of one group must not share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Record(RecordId),
    /// The door numbers of a street (unique on it).
    Street(RecordId),
    /// Names in use (duplicates, former names) and the text signs show.
    Names,
    /// The cemetery rules (plots, capacity, burials, subsidies, graves, notices, zones).
    Cemetery,
    /// Signs, their inspections and work orders.
    Signs,
}

/// The keys of `changeset` against `state`, or `None` when it must be written alone: it
/// changes what rules read across the whole registry (units, boundaries, disputes, zones,
/// campaigns) or a record the state does not know.
fn footprint(state: &CurrentState, changeset: &Changeset) -> Option<HashSet<Key>> {
    let mut keys = HashSet::new();
    for write in &changeset.writes {
        keys.insert(Key::Record(write.id()));
        let old = state.get(&write.id()).map(|v| &v.body);
        let new = match write {
            Write::Create { body, .. } | Write::Update { body, .. } => Some(body),
            Write::Retire { .. } => None,
        };
        let layer = new.or(old)?.layer();
        match layer {
            Layer::DoorPlate => {
                for body in [old, new].into_iter().flatten() {
                    if let Body::DoorPlate(d) = body {
                        keys.insert(Key::Street(d.street));
                    }
                }
                if matches!(write, Write::Update { .. }) && old != new {
                    // A new number or street: the signs that show it.
                    keys.insert(Key::Names);
                }
            }
            Layer::Street | Layer::Place => {
                keys.insert(Key::Street(write.id()));
                // Only a change of geometry leaves the names as they are.
                if !matches!((old, new), (Some(a), Some(b)) if a == b) {
                    keys.insert(Key::Names);
                }
            }
            // A campaign renumbers whole streets.
            Layer::Campaign => return None,
            // The rest of the names office's layers: signs, their inspections and orders.
            other => match other.spec().office {
                Office::Names => {
                    keys.insert(Key::Signs);
                }
                Office::Burials => {
                    keys.insert(Key::Cemetery);
                }
                Office::Boundaries => return None,
            },
        }
    }
    Some(keys)
}

impl Registry {
    /// Queues a prepared changeset and waits for its answer: written by this call with the
    /// others queued by then, or by another call's group.
    pub(super) async fn commit_queued(
        &self,
        changeset: Changeset,
    ) -> Result<ChangesetId, RegistryError> {
        let (answer, mut answered) = oneshot::channel();
        self.queue
            .lock()
            .expect("commit queue lock poisoned")
            .push_back(Queued { changeset, answer });
        loop {
            let _writing = self.writer.lock().await;
            if let Ok(answer) = answered.try_recv() {
                return answer;
            }
            self.write_group().await;
            if let Ok(answer) = answered.try_recv() {
                return answer;
            }
            // Left for the next group: it shares a key with one written now.
        }
    }

    /// Plans and writes the queued changesets that can go together. Called under the writer
    /// lock.
    async fn write_group(&self) {
        let queued: Vec<Queued> = {
            let mut queue = self.queue.lock().expect("commit queue lock poisoned");
            let n = queue.len().min(GROUP);
            queue.drain(..n).collect()
        };
        let mut group: Vec<(CommitPlan, oneshot::Sender<_>)> = Vec::new();
        let mut taken: HashSet<Key> = HashSet::new();
        let mut alone = false;
        let mut later: VecDeque<Queued> = VecDeque::new();
        for q in queued {
            let keys = footprint(&self.current(), &q.changeset);
            let fits = !alone
                && match &keys {
                    Some(keys) => keys.is_disjoint(&taken),
                    None => group.is_empty(),
                };
            if !fits {
                later.push_back(q);
                continue;
            }
            match self.plan(q.changeset) {
                Ok(plan) => {
                    match keys {
                        Some(keys) => taken.extend(keys),
                        None => alone = true,
                    }
                    group.push((plan, q.answer));
                }
                // Refused alone; the others go on.
                Err(e) => {
                    let _ = q.answer.send(Err(e));
                }
            }
        }
        if !later.is_empty() {
            let mut queue = self.queue.lock().expect("commit queue lock poisoned");
            while let Some(q) = later.pop_back() {
                queue.push_front(q);
            }
        }
        match group.len() {
            0 => {}
            1 => {
                let (plan, answer) = group.pop().expect("one");
                let _ = answer.send(self.write_one(plan).await);
            }
            _ => {
                let plans: Vec<&CommitPlan> = group.iter().map(|(p, _)| p).collect();
                match self.store.commit_all(&plans).await {
                    Ok(()) => {
                        self.groups
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        for (plan, answer) in group {
                            let id = plan.id();
                            self.apply(plan.versions, None);
                            let _ = answer.send(Ok(id));
                        }
                    }
                    Err(_) => {
                        for (plan, answer) in group {
                            let _ = answer.send(self.write_one(plan).await);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundaries::{AdminUnit, DivisionCode, UnitLevel};
    use crate::model::RecordVersion;

    fn street(name: &str) -> Body {
        Body::from(crate::addresses::Street {
            name: name.into(),
            name_mn: None,
            class: crate::addresses::StreetClass::Branch,
            source: crate::record::Source::Sample,
            naming: Default::default(),
            numbering: Default::default(),
        })
    }

    fn point() -> geo::Geometry<f64> {
        geo::Geometry::Point(geo::Point::new(111.97, 43.65))
    }

    fn cs(write: Write) -> Changeset {
        let mut cs = Changeset::new("测试", "测试");
        cs.push(write);
        cs
    }

    #[test]
    fn only_changesets_the_rules_read_apart_share_a_group() {
        let (a, b) = (RecordId::new(), RecordId::new());
        let state = CurrentState::from_versions([a, b].map(|id| RecordVersion {
            id,
            version: 1,
            valid_from: "2024-01-01".parse().unwrap(),
            valid_to: None,
            recorded_at: chrono::Utc::now(),
            superseded_at: None,
            changeset: ChangesetId::new(),
            retired: false,
            body: street("前进路"),
            geometry: point(),
        }));
        let day = "2025-01-01".parse().unwrap();
        let moved = |id, name: &str| {
            cs(Write::Update {
                id,
                base_version: 1,
                valid_from: day,
                body: street(name),
                geometry: point(),
            })
        };
        let keys = |c: &Changeset| footprint(&state, c);
        let apart = |x: &Changeset, y: &Changeset| keys(x).unwrap().is_disjoint(&keys(y).unwrap());
        // Two streets moved: apart. Renamed, or new: both touch the names in use.
        assert!(apart(&moved(a, "前进路"), &moved(b, "前进路")));
        assert!(!apart(&moved(a, "胜利路"), &moved(b, "和平路")));
        let new = |name: &str| {
            cs(Write::Create {
                id: RecordId::new(),
                valid_from: day,
                body: street(name),
                geometry: point(),
            })
        };
        assert!(!apart(&new("和平路"), &new("团结路")));
        // Plates on two streets: apart; on one street: not (numbers are unique on it).
        let plate = |street: RecordId, n: &str| {
            cs(Write::Create {
                id: RecordId::new(),
                valid_from: day,
                body: Body::from(crate::addresses::DoorPlate {
                    street,
                    number: n.parse().unwrap(),
                    source: crate::record::Source::Sample,
                    kind: Default::default(),
                }),
                geometry: point(),
            })
        };
        assert!(apart(&plate(a, "1"), &plate(b, "1")));
        assert!(!apart(&plate(a, "1"), &plate(a, "3")));
        // A unit changes what the boundary rules read everywhere: it goes alone.
        let unit = cs(Write::Create {
            id: RecordId::new(),
            valid_from: day,
            body: Body::from(AdminUnit {
                code: "152501100000".parse::<DivisionCode>().unwrap(),
                name: "测试社区".into(),
                name_mn: None,
                level: UnitLevel::Village,
                parent: None,
                source: crate::record::Source::Sample,
                naming: Default::default(),
            }),
            geometry: point(),
        });
        assert!(keys(&unit).is_none());
    }
}
