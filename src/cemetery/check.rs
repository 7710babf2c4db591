//! The cemetery check (`diming cemetery check`): plot areas against the size limits in force
//! for their kind on the day they were laid out (areas in EPSG:4546, never in degrees),
//! plots inside their section and sections inside their cemetery, no two plots overlapping,
//! plot numbers unique in their section, burials within a plot's capacity (a plot never
//! assigned twice), and statuses that agree with the burials.

use super::{Burial, Cemetery, Occupancy, Plot, PlotKind, Remains, Section};
use crate::record::{RecordId, Records, View};
use crate::spatial::measure;
use chrono::NaiveDate;
use geo::{Area, BooleanOps, BoundingRect, Geometry, MultiPolygon};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A size limit for plots of a kind, in force from a date (configuration; DOMAIN.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    pub remains: Remains,
    /// None: single and double alike.
    #[serde(default)]
    pub occupancy: Option<Occupancy>,
    pub max_m2: f64,
    #[serde(default)]
    pub basis: String,
}

/// The limit in force for a plot of `kind` laid out on `on`: the latest that applies.
pub fn limit_for(limits: &[Limit], kind: PlotKind, on: NaiveDate) -> Option<&Limit> {
    limits
        .iter()
        .filter(|l| {
            l.remains == kind.remains
                && l.occupancy.is_none_or(|o| o == kind.occupancy)
                && l.from <= on
                && l.until.is_none_or(|u| on < u)
        })
        .max_by_key(|l| (l.from, l.occupancy.is_some()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    TooLarge,
    OutsideSection,
    SectionOutsideCemetery,
    Overlap,
    DuplicateNumber,
    OverCapacity,
    StatusMismatch,
    WrongRemains,
}

impl Rule {
    pub fn label(self) -> &'static str {
        match self {
            Rule::TooLarge => "墓位面积超标",
            Rule::OutsideSection => "墓位超出墓区",
            Rule::SectionOutsideCemetery => "墓区超出公墓",
            Rule::Overlap => "墓位重叠",
            Rule::DuplicateNumber => "墓位号重复",
            Rule::OverCapacity => "安葬人数超过墓位容量",
            Rule::StatusMismatch => "墓位状态与安葬记录不符",
            Rule::WrongRemains => "安葬方式与墓位类型不符",
        }
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub label: &'static str,
    pub message: String,
    pub records: Vec<RecordId>,
    /// Where, for the map (CGCS2000).
    #[serde(skip)]
    pub location: Option<Geometry<f64>>,
}

fn finding(
    rule: Rule,
    message: String,
    records: Vec<RecordId>,
    location: Option<Geometry<f64>>,
) -> Finding {
    Finding {
        rule,
        label: rule.label(),
        message,
        records,
        location,
    }
}

fn multi(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        _ => MultiPolygon(vec![]),
    }
}

/// Area of `inner` outside `outer`, m² (both projected).
fn outside_m2(inner: &MultiPolygon<f64>, outer: &MultiPolygon<f64>) -> f64 {
    inner.difference(outer).unsigned_area()
}

/// Active burials per plot: current burial records naming the plot.
pub fn occupants(state: &impl Records<Burial>) -> HashMap<RecordId, Vec<RecordId>> {
    let mut out: HashMap<RecordId, Vec<RecordId>> = HashMap::new();
    for v in state.each::<Burial>() {
        if let Some(plot) = v.body.plot {
            out.entry(plot).or_default().push(v.id);
        }
    }
    out
}

/// What the check reads: cemeteries, their sections and plots, and the burials in them.
pub trait Cemeteries:
    Records<Cemetery> + Records<Section> + Records<Plot> + Records<Burial>
{
}
impl<S: Records<Cemetery> + Records<Section> + Records<Plot> + Records<Burial>> Cemeteries for S {}

/// A section's plots: id, plot, projected polygon, stored geometry.
type SectionPlots<'a> = Vec<(RecordId, &'a Plot, MultiPolygon<f64>, &'a Geometry<f64>)>;

/// Runs every rule over the current state.
pub fn check(state: &impl Cemeteries, limits: &[Limit]) -> Vec<Finding> {
    let mut out = Vec::new();
    let project = |g: &Geometry<f64>| measure::project(g).ok().map(|p| multi(&p));
    let cemeteries: HashMap<RecordId, MultiPolygon<f64>> = state
        .each::<Cemetery>()
        .filter_map(|v| Some((v.id, project(v.geometry)?)))
        .collect();
    let mut sections: HashMap<RecordId, MultiPolygon<f64>> = HashMap::new();
    for v in state.each::<Section>() {
        let s = v.body;
        let Some(p) = project(v.geometry) else {
            continue;
        };
        if let Some(c) = cemeteries.get(&s.cemetery) {
            let off = outside_m2(&p, c);
            if off > 0.01 {
                out.push(finding(
                    Rule::SectionOutsideCemetery,
                    format!("墓区 {} 有 {off:.2} m² 在公墓范围之外", s.code),
                    vec![v.id, s.cemetery],
                    Some(v.geometry.clone()),
                ));
            }
        }
        sections.insert(v.id, p);
    }
    let occupants = occupants(state);
    let burials: HashMap<RecordId, &Burial> =
        state.each::<Burial>().map(|v| (v.id, v.body)).collect();
    // Plots by section, with their projected polygons.
    let mut by_section: BTreeMap<RecordId, SectionPlots<'_>> = BTreeMap::new();
    for v in state.each::<Plot>() {
        let p = v.body;
        let Some(poly) = project(v.geometry) else {
            continue;
        };
        let area = poly.unsigned_area();
        if let Some(limit) = limit_for(limits, p.kind, p.laid_out)
            && area > limit.max_m2 + 1e-6
        {
            out.push(finding(
                Rule::TooLarge,
                format!(
                    "墓位 {}（{}）面积 {area:.2} m²，超过 {} 起施行的上限 {} m²（{}）",
                    p.number,
                    p.kind.label(),
                    limit.from,
                    limit.max_m2,
                    limit.basis
                ),
                vec![v.id],
                Some(v.geometry.clone()),
            ));
        }
        match sections.get(&p.section) {
            Some(s) => {
                let off = outside_m2(&poly, s);
                if off > 0.01 {
                    out.push(finding(
                        Rule::OutsideSection,
                        format!("墓位 {} 有 {off:.2} m² 在墓区之外", p.number),
                        vec![v.id, p.section],
                        Some(v.geometry.clone()),
                    ));
                }
            }
            None => out.push(finding(
                Rule::OutsideSection,
                format!("墓位 {} 所属墓区 {} 不存在或已注销", p.number, p.section),
                vec![v.id],
                Some(v.geometry.clone()),
            )),
        }
        let here = occupants.get(&v.id).map_or(&[][..], Vec::as_slice);
        if here.len() > p.kind.capacity() {
            out.push(finding(
                Rule::OverCapacity,
                format!(
                    "墓位 {}（{}，容量 {}）登记了 {} 人安葬",
                    p.number,
                    p.kind.label(),
                    p.kind.capacity(),
                    here.len()
                ),
                std::iter::once(v.id).chain(here.iter().copied()).collect(),
                Some(v.geometry.clone()),
            ));
        }
        if !here.is_empty()
            && matches!(
                p.status,
                super::PlotStatus::Available | super::PlotStatus::Reserved
            )
        {
            out.push(finding(
                Rule::StatusMismatch,
                format!(
                    "墓位 {} 状态为“{}”，却有 {} 条安葬记录",
                    p.number,
                    p.status.label(),
                    here.len()
                ),
                vec![v.id],
                Some(v.geometry.clone()),
            ));
        }
        for b in here {
            if let Some(burial) = burials.get(b) {
                let body_in_ashes = burial.disposition == super::Disposition::Burial
                    && p.kind.remains == Remains::Ashes;
                if body_in_ashes {
                    out.push(finding(
                        Rule::WrongRemains,
                        format!(
                            "{} 为遗体土葬，而墓位 {} 是骨灰墓位",
                            burial.deceased.name, p.number
                        ),
                        vec![v.id, *b],
                        Some(v.geometry.clone()),
                    ));
                }
            }
        }
        by_section
            .entry(p.section)
            .or_default()
            .push((v.id, p, poly, v.geometry));
    }
    for plots in by_section.values() {
        let mut numbers: HashMap<&super::PlotNumber, RecordId> = HashMap::new();
        for (id, p, _, g) in plots {
            if let Some(first) = numbers.insert(&p.number, *id) {
                out.push(finding(
                    Rule::DuplicateNumber,
                    format!("墓位号 {} 在墓区内重复", p.number),
                    vec![first, *id],
                    Some((*g).clone()),
                ));
            }
        }
        // Overlaps: sort by west edge and sweep.
        let mut boxes: Vec<(f64, f64, usize)> = plots
            .iter()
            .enumerate()
            .filter_map(|(i, (_, _, poly, _))| {
                poly.bounding_rect().map(|r| (r.min().x, r.max().x, i))
            })
            .collect();
        boxes.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (k, (_, max_x, i)) in boxes.iter().enumerate() {
            for (min_x2, _, j) in &boxes[k + 1..] {
                if *min_x2 >= *max_x {
                    break;
                }
                let (a, b) = (&plots[*i], &plots[*j]);
                let shared = a.2.intersection(&b.2).unsigned_area();
                if shared > 0.001 {
                    out.push(finding(
                        Rule::Overlap,
                        format!("墓位 {} 与 {} 重叠 {shared:.3} m²", a.1.number, b.1.number),
                        vec![a.0, b.0],
                        Some(a.3.clone()),
                    ));
                }
            }
        }
    }
    out.sort_by(|a, b| a.rule.cmp(&b.rule).then_with(|| a.message.cmp(&b.message)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_limit_in_force_applies() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let limits = vec![
            Limit {
                from: d(1998),
                until: None,
                remains: Remains::Ashes,
                occupancy: None,
                max_m2: 1.0,
                basis: "1998".into(),
            },
            Limit {
                from: d(2027),
                until: None,
                remains: Remains::Ashes,
                occupancy: Some(Occupancy::Single),
                max_m2: 0.5,
                basis: "draft".into(),
            },
        ];
        let kind = PlotKind {
            remains: Remains::Ashes,
            occupancy: Occupancy::Single,
        };
        assert_eq!(limit_for(&limits, kind, d(2020)).unwrap().max_m2, 1.0);
        assert_eq!(limit_for(&limits, kind, d(2028)).unwrap().max_m2, 0.5);
        let body = PlotKind {
            remains: Remains::Body,
            occupancy: Occupancy::Single,
        };
        assert!(limit_for(&limits, body, d(2020)).is_none());
    }
}
