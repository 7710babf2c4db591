//! 同一街路巷门牌号不得重复, as every changeset meets it: a changeset may not give a door plate
//! a number that another plate of the same street holds and keeps.

use crate::addresses::{DoorNumber, DoorPlate, Street};
use crate::record::{ChangeView, Changes, Describe, RecordId, Records, View};
use std::collections::{HashMap, HashSet};

/// A number a changeset gives to plate `id` that plate `other` of the same street keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub id: RecordId,
    pub other: RecordId,
    /// The street's name (its id when the street is unknown).
    pub street: String,
    pub number: DoorNumber,
}

/// Refuses changes that give a door plate a number another plate of the same street holds
/// and keeps: a plate the changeset does not write (`before` is the registry as it is). Only
/// numbers that change (and new plates) are checked, so a duplicate already on the ground
/// (which the numbering check reports) does not block other edits of those plates, and a swap
/// of two numbers in one changeset is allowed. Plates written in the same changeset are not
/// compared with each other: a survey loaded in one changeset records the ground as it is,
/// doubled numbers included, for the check to report. The first refused plate in id order is
/// named.
pub fn unique_numbers<B, C>(before: &B, changes: &C) -> Result<(), Taken>
where
    B: Records<DoorPlate> + Records<Street>,
    C: Changes<DoorPlate>,
{
    let changed: Vec<_> = changes.changes::<DoorPlate>().collect();
    let written: HashSet<RecordId> = changed.iter().map(|c| c.id).collect();
    // The plates whose (street, number) is new.
    let mut claims: Vec<(RecordId, RecordId, &DoorNumber)> = changed
        .iter()
        .filter_map(|c| Some((c.id, c.before, c.after?)))
        .filter(|(_, old, p)| {
            !old.is_some_and(|old| old.street == p.street && old.number == p.number)
        })
        .map(|(id, _, p)| (id, p.street, &p.number))
        .collect();
    if claims.is_empty() {
        return Ok(());
    }
    let streets: HashSet<RecordId> = claims.iter().map(|(_, s, _)| *s).collect();
    let kept: HashMap<(RecordId, &DoorNumber), RecordId> = before
        .each::<DoorPlate>()
        .filter(|p| !written.contains(&p.id) && streets.contains(&p.body.street))
        .map(|p| ((p.body.street, &p.body.number), p.id))
        .collect();
    claims.sort_by_key(|(id, _, _)| *id);
    for (id, street, number) in claims {
        if let Some(other) = kept.get(&(street, number)) {
            return Err(Taken {
                id,
                other: *other,
                street: before
                    .one::<Street>(&street)
                    .map(|s| s.body.title())
                    .unwrap_or_else(|| street.to_string()),
                number: number.clone(),
            });
        }
    }
    Ok(())
}
