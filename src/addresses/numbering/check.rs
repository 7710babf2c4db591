//! Checks of the numbers already on the ground, and the number to give a new entrance.
//!
//! For each street, its plates are located on its centre line (as the engine would) and
//! compared with the conventions: a number repeated, odd and even on the wrong side, numbers
//! out of order along the street, missing numbers, a plate nearer another street, a plate in
//! no unit. Each finding says what the engine would give instead.

use super::conventions::{Conventions, Side};
use super::plan::plan;
use crate::addresses::{DoorNumber, DoorPlate, Street, SubStyle};
use crate::boundaries::AdminUnit;
use crate::record::{Current, RecordId, Records, View};
use geo::{Coord, Geometry, MultiLineString};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberRule {
    /// The same number twice on one street.
    Duplicate,
    /// An odd number on the even side or the reverse.
    WrongSide,
    /// A number smaller than the one before it along the street.
    OutOfOrder,
    /// Numbers missing between neighbours on one side.
    Gap,
    /// Nearer to another street than to its own.
    CloserToOther,
    /// In no administrative unit.
    OutsideUnits,
}

impl NumberRule {
    pub fn id(self) -> &'static str {
        match self {
            NumberRule::Duplicate => "duplicate",
            NumberRule::WrongSide => "wrong_side",
            NumberRule::OutOfOrder => "out_of_order",
            NumberRule::Gap => "gap",
            NumberRule::CloserToOther => "closer_to_other",
            NumberRule::OutsideUnits => "outside_units",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NumberFinding {
    pub rule: NumberRule,
    pub plate: RecordId,
    pub street: RecordId,
    pub street_name: String,
    pub number: String,
    pub message: String,
    /// What the engine would number it, where that helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    pub at: (f64, f64),
}

/// What the check reads: door plates, their streets and the units they stand in.
pub trait Numbered: Records<DoorPlate> + Records<Street> + Records<AdminUnit> {}
impl<S: Records<DoorPlate> + Records<Street> + Records<AdminUnit>> Numbered for S {}

type Plate<'a> = Current<'a, DoorPlate>;

pub(super) fn centre_line(g: &Geometry<f64>) -> Option<MultiLineString<f64>> {
    match g {
        Geometry::MultiLineString(m) => Some(m.clone()),
        Geometry::LineString(l) => Some(MultiLineString(vec![l.clone()])),
        _ => None,
    }
}

pub(super) fn point(v: &Plate) -> Option<Coord<f64>> {
    match v.geometry {
        Geometry::Point(p) => Some(p.0),
        _ => None,
    }
}

/// Plates of each street, by street id.
pub(super) fn plates_by_street(
    state: &impl Records<DoorPlate>,
) -> BTreeMap<RecordId, Vec<Plate<'_>>> {
    let mut out: BTreeMap<RecordId, Vec<Plate>> = BTreeMap::new();
    for v in state.each::<DoorPlate>() {
        out.entry(v.body.street).or_default().push(v);
    }
    for plates in out.values_mut() {
        plates.sort_by_key(|v| v.id);
    }
    out
}

/// Checks the plates of the streets in `streets` (all streets when `None`).
pub fn check(
    state: &impl Numbered,
    c: &Conventions,
    streets: Option<&[RecordId]>,
) -> Vec<NumberFinding> {
    let mut out = Vec::new();
    for (street_id, plates) in plates_by_street(state) {
        if streets.is_some_and(|s| !s.contains(&street_id)) {
            continue;
        }
        let Some(street) = state.one::<Street>(&street_id) else {
            continue;
        };
        let Some(line) = centre_line(street.geometry) else {
            continue;
        };
        let name = street.body.name.clone();
        let coords: Vec<Coord<f64>> = plates.iter().filter_map(|v| point(v)).collect();
        if coords.len() != plates.len() {
            continue;
        }
        let Ok(p) = plan(&line, &coords, &[], c, &street.body.numbering) else {
            continue;
        };
        let finding = |rule, v: &Plate, message: String, suggestion: Option<String>| {
            let at = point(v).unwrap_or_default();
            NumberFinding {
                rule,
                plate: v.id,
                street: street_id,
                street_name: name.clone(),
                number: v.body.number.to_string(),
                message,
                suggestion,
                at: (at.x, at.y),
            }
        };
        // Duplicates.
        let mut seen: HashMap<String, RecordId> = HashMap::new();
        for v in &plates {
            let n = &v.body.number;
            if let Some(first) = seen.insert(n.to_string(), v.id) {
                out.push(finding(
                    NumberRule::Duplicate,
                    v,
                    format!("{name}{n}重号：与记录 {first} 相同（同一街路巷门牌号不得重复）"),
                    None,
                ));
            }
        }
        let planned: HashMap<usize, &super::Planned> =
            p.numbered.iter().map(|n| (n.index, n)).collect();
        // Sides and order, main numbers only (附号 follow their main number).
        let mut by_side: BTreeMap<bool, Vec<(f64, u32, usize)>> = BTreeMap::new();
        for (i, v) in plates.iter().enumerate() {
            let (n, Some(at)) = (&v.body.number, planned.get(&i)) else {
                continue;
            };
            if n.annex().is_some() {
                continue;
            }
            let odd_here = !p.one_sided && at.side == p.odd_side;
            if !p.one_sided && n.is_odd() != odd_here {
                let should = if odd_here { "单号" } else { "双号" };
                out.push(finding(
                    NumberRule::WrongSide,
                    v,
                    format!(
                        "{name}{n}在道路{}侧，该侧应为{should}（左单右双）",
                        at.side.label()
                    ),
                    Some(format!("{}号", at.number)),
                ));
                continue;
            }
            let key = if p.one_sided {
                true
            } else {
                at.side == Side::Left
            };
            by_side
                .entry(key)
                .or_default()
                .push((at.along_m, n.number(), i));
        }
        let step = if p.one_sided { 1 } else { 2 };
        for run in by_side.values_mut() {
            run.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut highest = 0;
            for w in run.windows(2) {
                let (a, (_, b, j)) = (w[0].1, w[1]);
                highest = highest.max(a);
                if b < highest {
                    let v = &plates[j];
                    let n = &v.body.number;
                    out.push(finding(
                        NumberRule::OutOfOrder,
                        v,
                        format!("{name}{n}排在{highest}号之后，顺序颠倒"),
                        planned.get(&j).map(|p| format!("{}号", p.number)),
                    ));
                }
            }
            // Missing numbers, among the numbers sorted (a swap is out of order, not a gap).
            let mut numbers: Vec<(u32, usize)> = run.iter().map(|&(_, n, i)| (n, i)).collect();
            numbers.sort_unstable();
            for w in numbers.windows(2) {
                let ((a, _), (b, j)) = (w[0], w[1]);
                if b > a + step && !c.skip.iter().any(|s| (a + 1..b).contains(s)) {
                    out.push(finding(
                        NumberRule::Gap,
                        &plates[j],
                        format!("{name}{a}号与{b}号之间缺号（如为预留号可忽略）"),
                        None,
                    ));
                }
            }
        }
        // Position.
        for (i, v) in plates.iter().enumerate() {
            let Some(c) = point(v) else { continue };
            if crate::boundaries::deepest_at(state, c).is_none() {
                out.push(finding(
                    NumberRule::OutsideUnits,
                    v,
                    format!("{name}门牌不在任何行政区域内"),
                    None,
                ));
            }
            let own = planned.get(&i).map(|p| p.offset_m);
            if let (Some(nearest), Some(_)) = (state.nearest::<Street>(c), own)
                && nearest.id != street_id
            {
                let other = &nearest.body.name;
                out.push(finding(
                    NumberRule::CloserToOther,
                    v,
                    format!("{name}门牌离{other}比离本街更近，请核实所属街路巷"),
                    None,
                ));
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.street_name, a.rule, &a.number).cmp(&(&b.street_name, b.rule, &b.number))
    });
    out
}

/// The number for a new entrance at `at` on `street`: a free number kept between its
/// neighbours if there is one, else the next free 附号 of the plate before it.
pub fn suggest(
    state: &(impl Records<DoorPlate> + Records<Street>),
    c: &Conventions,
    street: RecordId,
    at: Coord<f64>,
    style: SubStyle,
) -> Result<DoorNumber, String> {
    let v = state
        .one::<Street>(&street)
        .ok_or_else(|| format!("没有现行街路巷 {street}"))?;
    let line = centre_line(v.geometry).ok_or_else(|| format!("{} 没有中心线", v.body.name))?;
    let plates: Vec<Plate> = plates_by_street(state).remove(&street).unwrap_or_default();
    let mut coords: Vec<Coord<f64>> = plates.iter().filter_map(|v| point(v)).collect();
    coords.push(at);
    let p = plan(&line, &coords, &[], c, &v.body.numbering).map_err(|e| e.to_string())?;
    if let Some(r) = p.refused.iter().find(|r| r.index == plates.len()) {
        return Err(r.reason.to_string());
    }
    let new = p
        .numbered
        .iter()
        .find(|n| n.index == plates.len())
        .ok_or("新入口未能定位")?;
    let step = if p.one_sided { 1 } else { 2 };
    // Neighbours on the same side, by distance along the street.
    let mut side: Vec<(f64, &DoorNumber)> = p
        .numbered
        .iter()
        .filter(|n| n.index < plates.len() && (p.one_sided || n.side == new.side))
        .map(|n| (n.along_m, &plates[n.index].body.number))
        .collect();
    side.sort_by(|a, b| a.0.total_cmp(&b.0));
    let before = side
        .iter()
        .rev()
        .find(|(a, _)| *a <= new.along_m)
        .map(|(_, d)| *d);
    let after = side.iter().find(|(a, _)| *a > new.along_m).map(|(_, d)| *d);
    let taken = |n: u32| side.iter().any(|(_, d)| d.number() == n);
    match (before, after) {
        (Some(b), Some(a)) => {
            let mut n = b.number() + step;
            while n < a.number() {
                if !taken(n) && !c.skip.contains(&n) {
                    return DoorNumber::new(n).map_err(|e| e.to_string());
                }
                n += step;
            }
            let k = side
                .iter()
                .filter(|(_, d)| d.number() == b.number())
                .filter_map(|(_, d)| d.annex())
                .max()
                .unwrap_or(0);
            DoorNumber::infill(b.number(), k + 1, style).map_err(|e| e.to_string())
        }
        (Some(b), None) => {
            let mut n = side
                .iter()
                .map(|(_, d)| d.number())
                .max()
                .unwrap_or(b.number())
                + step;
            while c.skip.contains(&n) {
                n += step;
            }
            DoorNumber::new(n).map_err(|e| e.to_string())
        }
        (None, Some(a)) if a.number() > step => {
            let first = if new.number % 2 == 1 || p.one_sided {
                1
            } else {
                2
            };
            DoorNumber::new(first.max(a.number().saturating_sub(step))).map_err(|e| e.to_string())
        }
        (None, Some(a)) => Err(format!(
            "新入口在{}之前，已无可用号码；请按规则重新编排或以{}附号处理",
            a, a
        )),
        (None, None) => DoorNumber::new(new.number).map_err(|e| e.to_string()),
    }
}
