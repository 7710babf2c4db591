//! The names audit: every current name in the registry checked against the rules, with its
//! peers (the names it must not repeat) chosen by scope. The work list of the clean-up
//! campaign.

use crate::boundaries::{DivisionCode, UnitLevel};
use crate::model::{Body, CurrentState, Layer, RecordVersion};
use crate::names::WordLists;
use crate::names::rules::{self, NameKind, Peer, Settings, Verdict};
use crate::record::RecordId;
use serde::Serialize;
use std::collections::HashMap;

/// What decides which names a name must not repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Streets, unique within the town.
    Streets,
    /// Places of one category, unique within the city.
    Places(crate::names::PlaceCategory),
    /// Townships, street offices and communities, unique within the city.
    CityUnits,
    /// 嘎查/村, unique within their 苏木.
    Villages(Option<DivisionCode>),
}

impl Scope {
    /// The scope and kind of a record's name, if it has one.
    pub fn of(v: &RecordVersion) -> Option<(Scope, NameKind)> {
        Scope::of_body(&v.body)
    }

    /// The scope and kind of the name a record body holds.
    pub fn of_body(body: &Body) -> Option<(Scope, NameKind)> {
        match body {
            Body::Street(_) => Some((Scope::Streets, NameKind::Street)),
            Body::Place(p) => Some((Scope::Places(p.category), NameKind::Place)),
            Body::AdminUnit(u) if u.level == UnitLevel::Village => {
                Some((Scope::Villages(u.parent), NameKind::Unit))
            }
            Body::AdminUnit(u) if u.level != UnitLevel::County => {
                Some((Scope::CityUnits, NameKind::Unit))
            }
            _ => None,
        }
    }
}

/// The current names in `scope`, leaving out `exclude` (the record being checked).
pub fn peers(
    state: &CurrentState,
    scope: Scope,
    exclude: Option<RecordId>,
    settings: &Settings,
) -> Vec<Peer> {
    let layer = match scope {
        Scope::Streets => Layer::Street,
        Scope::Places(_) => Layer::Place,
        Scope::CityUnits | Scope::Villages(_) => Layer::AdminUnit,
    };
    let mut out: Vec<Peer> = state
        .layer(layer)
        .filter(|v| Some(v.id) != exclude)
        .filter(|v| Scope::of(v).is_some_and(|(s, _)| s == scope))
        .map(|v| {
            let mut peer = Peer::new(v.id, v.body.title(), settings);
            // The names it gave up by a rename, and when.
            peer.former = v
                .body
                .naming()
                .map(|n| {
                    n.other_names
                        .iter()
                        .filter(|o| o.name_use == crate::names::naming::NameUse::Historical)
                        .filter_map(|o| Some((o.text.clone(), o.valid_to?)))
                        .collect()
                })
                .unwrap_or_default();
            peer
        })
        .collect();
    // Retired records of the scope: their names, and when they stopped being used.
    out.extend(
        state
            .gone()
            .filter(|v| v.layer() == layer && Some(v.id) != exclude)
            .filter(|v| Scope::of(v).is_some_and(|(s, _)| s == scope))
            .map(|v| Peer::retired(v.id, v.body.title(), v.valid_from, settings)),
    );
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    pub id: RecordId,
    pub layer: Layer,
    pub name: String,
    /// The unit the name lies in (its code), where known: the first of `units`.
    pub unit: Option<String>,
    /// Every unit the named thing lies in (a street may cross several).
    pub units: Vec<String>,
    pub verdicts: Vec<Verdict>,
}

/// Every current name with at least one verdict, sorted by unit, then rule, then name.
pub fn audit(state: &CurrentState, lists: &WordLists, settings: &Settings) -> Vec<AuditRow> {
    // Each scope's names once, not once per name checked.
    let mut scopes: HashMap<Scope, Vec<Peer>> = HashMap::new();
    for v in state.records() {
        if let Some((scope, _)) = Scope::of(v) {
            scopes
                .entry(scope)
                .or_default()
                .push(Peer::new(v.id, v.body.title(), settings));
        }
    }
    let indexed: HashMap<&Scope, rules::Peers> = scopes
        .iter()
        .map(|(scope, peers)| (scope, rules::Peers::new(peers, lists)))
        .collect();
    let mut rows: Vec<AuditRow> = state
        .records()
        .filter_map(|v| {
            let (scope, kind) = Scope::of(v)?;
            let name = v.body.title();
            let verdicts =
                rules::check_among(&name, kind, &indexed[&scope], Some(v.id), lists, settings);
            if verdicts.is_empty() {
                return None;
            }
            let units: Vec<String> = state
                .units_of(&v.geometry)
                .iter()
                .filter_map(|u| match &u.body {
                    Body::AdminUnit(a) => Some(a.code.short()),
                    _ => None,
                })
                .collect();
            Some(AuditRow {
                id: v.id,
                layer: v.layer(),
                name,
                unit: units.first().cloned(),
                units,
                verdicts,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.unit, a.verdicts[0].rule, &a.name).cmp(&(&b.unit, b.verdicts[0].rule, &b.name))
    });
    rows
}
