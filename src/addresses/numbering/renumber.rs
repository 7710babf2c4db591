//! A renumbering (重新编排门牌号): the engine's numbers for every plate of the chosen streets,
//! with numbers an officer pinned held and the rest flowing around them, as the old → new
//! crosswalk that residents and other departments receive. Applying it is one changeset.

use super::conventions::Conventions;
use super::plan::plan;
use crate::addresses::{DoorNumber, DoorPlate, Street};
use crate::record::{Current, RecordId, Records, View};
use geo::{Coord, Geometry, MultiLineString};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One plate's line of the crosswalk.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub plate: RecordId,
    pub street: RecordId,
    pub street_name: String,
    pub old: DoorNumber,
    pub new: DoorNumber,
    pub at: (f64, f64),
    pub pinned: bool,
    /// The plate stands on the centre line: it keeps its number until it is moved.
    pub kept: bool,
    pub kind: crate::addresses::PlateKind,
}

impl Change {
    pub fn changes(&self) -> bool {
        self.old != self.new
    }
}

/// The crosswalk for the plates of `streets`. `pins` hold numbers an officer chose.
pub fn renumber(
    state: &(impl Records<DoorPlate> + Records<Street>),
    c: &Conventions,
    streets: &[RecordId],
    pins: &HashMap<RecordId, DoorNumber>,
) -> Result<Vec<Change>, String> {
    let mut by_street: BTreeMap<RecordId, Vec<Current<DoorPlate>>> = BTreeMap::new();
    for v in state.each::<DoorPlate>() {
        if streets.contains(&v.body.street) {
            by_street.entry(v.body.street).or_default().push(v);
        }
    }
    let mut out = Vec::new();
    for (street_id, mut plates) in by_street {
        plates.sort_by_key(|v| v.id);
        let street = state
            .one::<Street>(&street_id)
            .ok_or_else(|| format!("没有现行街路巷 {street_id}"))?;
        let line = match street.geometry {
            Geometry::MultiLineString(m) => m.clone(),
            Geometry::LineString(l) => MultiLineString(vec![l.clone()]),
            _ => return Err(format!("{} 没有中心线", street.body.name)),
        };
        let coords: Vec<Coord<f64>> = plates
            .iter()
            .map(|v| match v.geometry {
                Geometry::Point(p) => Ok(p.0),
                _ => Err(format!("门牌 {} 不是点", v.id)),
            })
            .collect::<Result<_, _>>()?;
        // Pinned numbers are taken: the others flow around them.
        let mut conventions = c.clone();
        for v in &plates {
            if let Some(n) = pins.get(&v.id) {
                conventions.skip.push(n.number());
            }
        }
        let free: Vec<usize> = (0..plates.len())
            .filter(|i| !pins.contains_key(&plates[*i].id))
            .collect();
        let free_coords: Vec<Coord<f64>> = free.iter().map(|i| coords[*i]).collect();
        let p = plan(
            &line,
            &free_coords,
            &[],
            &conventions,
            &street.body.numbering,
        )
        .map_err(|e| format!("{}：{e}", street.body.name))?;
        let planned: HashMap<usize, u32> = p
            .numbered
            .iter()
            .map(|n| (free[n.index], n.number))
            .collect();
        for (i, v) in plates.iter().enumerate() {
            let d = v.body;
            let pinned = pins.get(&v.id).cloned();
            let (new, kept) = match (&pinned, planned.get(&i)) {
                (Some(n), _) => (n.clone(), false),
                (None, Some(n)) => (DoorNumber::new(*n).map_err(|e| e.to_string())?, false),
                (None, None) => (d.number.clone(), true),
            };
            out.push(Change {
                plate: v.id,
                street: street_id,
                street_name: street.body.name.clone(),
                old: d.number.clone(),
                new,
                at: (coords[i].x, coords[i].y),
                pinned: pinned.is_some(),
                kept,
                kind: d.kind,
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.street_name, a.new.number(), &a.new).cmp(&(&b.street_name, b.new.number(), &b.new))
    });
    Ok(out)
}

/// The plate order: how many plates of each kind to make for `changes` (all of them when the
/// whole area is re-plated, or only the changed numbers).
pub fn plate_order(
    changes: &[Change],
    changed_only: bool,
) -> Vec<(crate::addresses::PlateKind, usize)> {
    let mut counts: BTreeMap<crate::addresses::PlateKind, usize> = BTreeMap::new();
    for c in changes.iter().filter(|c| !changed_only || c.changes()) {
        *counts.entry(c.kind).or_default() += 1;
    }
    counts.into_iter().collect()
}
