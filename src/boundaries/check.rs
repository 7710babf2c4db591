//! The boundary check (`diming boundaries check`): children tile their parent (gaps, overlaps,
//! slivers, parts outside the parent), neighbours leave no holes between them, and shared edges
//! are matched (the same vertices on both sides). Each finding carries its location for the
//! map. Works on the registry's units (by level) and on any set of polygons read from a file,
//! as the hierarchy its parent fields or division codes give (`check_hierarchy`), or as
//! neighbours when they give none.

use super::AdminUnit;
use super::marker::Marker;
use crate::record::{Records, View};
use crate::spatial::coverage::{self, Problem, Thresholds};
use crate::spatial::crs::CrsError;
use geo::Geometry;
use serde::Serialize;
use std::collections::BTreeMap;

use super::{DivisionCode, UnitLevel};

/// How near a neighbour's boundary a vertex must lie to be on a shared edge, and how near one
/// of its vertices to count as the same vertex.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize)]
pub struct EdgeTolerance {
    pub near_m: f64,
    pub same_m: f64,
}

impl Default for EdgeTolerance {
    fn default() -> Self {
        EdgeTolerance {
            near_m: 50.0,
            same_m: 0.01,
        }
    }
}

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Gap,
    Overlap,
    OutsideParent,
    Hole,
    GapBetween,
    UnmatchedEdge,
    /// A marker whose registered position is not on the boundary of every unit it names.
    MarkerOffLine,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Gap => "空隙（上级范围内无下级覆盖）",
            Kind::Overlap => "重叠",
            Kind::OutsideParent => "超出上级范围",
            Kind::Hole => "相邻区域之间的空洞",
            Kind::GapBetween => "之间的缝隙",
            Kind::UnmatchedEdge => "边线未接边（顶点不重合）",
            Kind::MarkerOffLine => "界桩不在其所分隔单位的界线上",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// The kind in words.
    pub label: &'static str,
    /// The units involved (code and name, or the file's name field).
    pub units: Vec<String>,
    /// The parent whose children these are, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Area (m², EPSG:4546) and mean width (m) of a region; none for an edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width_m: Option<f64>,
    pub sliver: bool,
    /// For an unmatched edge: vertices off the neighbour's and the largest offset (m).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertices: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_offset_m: Option<f64>,
    pub message: String,
    /// Where, CGCS2000 longitude/latitude.
    #[serde(skip)]
    pub location: Geometry<f64>,
}

impl Finding {
    fn region(f: coverage::Finding, parent: Option<&str>) -> Finding {
        let (kind, units) = match &f.problem {
            Problem::Gap => (Kind::Gap, vec![]),
            Problem::Overlap { a, b } => (Kind::Overlap, vec![a.clone(), b.clone()]),
            Problem::OutsideParent { child } => (Kind::OutsideParent, vec![child.clone()]),
            Problem::Hole => (Kind::Hole, vec![]),
            Problem::GapBetween { a, b } => (Kind::GapBetween, vec![a.clone(), b.clone()]),
        };
        let whose = match (&kind, parent) {
            (Kind::Gap, Some(p)) => format!("{p} 内"),
            _ => units.join(" 与 "),
        };
        let sliver = if f.sliver { "，狭长碎片" } else { "" };
        Finding {
            kind,
            label: kind.label(),
            message: format!(
                "{whose}{}{sliver}：面积 {:.1} 平方米，平均宽度 {:.2} 米",
                kind.label(),
                f.area_m2,
                f.width_m
            ),
            units,
            parent: parent.map(String::from),
            area_m2: Some(f.area_m2),
            width_m: Some(f.width_m),
            sliver: f.sliver,
            vertices: None,
            max_offset_m: None,
            location: f.location,
        }
    }

    fn edge(u: coverage::Unmatched, parent: Option<&str>) -> Finding {
        Finding {
            kind: Kind::UnmatchedEdge,
            label: Kind::UnmatchedEdge.label(),
            message: format!(
                "{} 沿 {} 的边线有 {} 个顶点不在对方边线的顶点上，最大偏差 {:.2} 米",
                u.unit, u.neighbour, u.vertices, u.max_offset_m
            ),
            units: vec![u.unit, u.neighbour],
            parent: parent.map(String::from),
            area_m2: None,
            width_m: None,
            sliver: false,
            vertices: Some(u.vertices),
            max_offset_m: Some(u.max_offset_m),
            location: u.location,
        }
    }
}

/// The report, with the thresholds it was made with.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub units: usize,
    pub thresholds: Thresholds,
    pub edges: EdgeTolerance,
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings as a GeoJSON FeatureCollection for the map.
    pub fn geojson(&self) -> serde_json::Value {
        let features: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let properties = serde_json::to_value(f).unwrap_or_default();
                serde_json::json!({
                    "type": "Feature",
                    "geometry": crate::spatial::geojson::from_geo(&f.location),
                    "properties": properties,
                })
            })
            .collect();
        serde_json::json!({ "type": "FeatureCollection", "features": features })
    }

    fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (a.kind, &a.units, a.message.as_str()).cmp(&(b.kind, &b.units, b.message.as_str()))
        });
    }
}

/// Checks a set of polygons with no parent known (e.g. neighbouring banners from a file):
/// overlaps, holes between them, unmatched shared edges.
pub fn check_polygons(
    units: &[(String, Geometry<f64>)],
    t: Thresholds,
    edges: EdgeTolerance,
) -> Result<Report, CrsError> {
    let units: Vec<FileUnit> = units
        .iter()
        .map(|(name, geometry)| FileUnit {
            name: name.clone(),
            code: None,
            parent: None,
            geometry: geometry.clone(),
        })
        .collect();
    check_hierarchy(&units, t, edges)
}

/// Markers whose registered position lies farther than `tolerance_m` from the boundary of a
/// unit they name (a three-faced marker must be where all three meet), or that name a unit the
/// registry does not have.
pub fn check_markers(
    state: &(impl Records<AdminUnit> + Records<Marker>),
    tolerance_m: f64,
) -> Result<Vec<Finding>, CrsError> {
    use geo::{Closest, ClosestPoint};
    let units: BTreeMap<String, (String, &Geometry<f64>)> = state
        .each::<AdminUnit>()
        .map(|v| {
            let u = v.body;
            (
                u.code.short(),
                (format!("{} {}", u.code.short(), u.name), v.geometry),
            )
        })
        .collect();
    let mut out = Vec::new();
    for v in state.each::<Marker>() {
        let (m, Geometry::Point(p)) = (v.body, v.geometry) else {
            continue;
        };
        let mut worst: Option<(String, f64)> = None;
        for code in &m.units {
            let Some((label, g)) = units.get(code.trim()) else {
                worst = Some((format!("{code}（登记簿中没有此单位）"), f64::INFINITY));
                break;
            };
            let rings: Vec<geo::LineString<f64>> = match g {
                Geometry::MultiPolygon(mp) => mp
                    .0
                    .iter()
                    .flat_map(|p| {
                        std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
                    })
                    .collect(),
                Geometry::Polygon(p) => std::iter::once(p.exterior().clone())
                    .chain(p.interiors().iter().cloned())
                    .collect(),
                _ => Vec::new(),
            };
            let mut best = f64::INFINITY;
            for r in &rings {
                if let Closest::Intersection(c) | Closest::SinglePoint(c) = r.closest_point(p) {
                    let line = Geometry::LineString(geo::LineString::from(vec![p.0, c.0]));
                    best = best.min(crate::spatial::measure::length_m(&line)?);
                }
            }
            if best > tolerance_m && worst.as_ref().is_none_or(|w| best > w.1) {
                worst = Some((label.clone(), best));
            }
        }
        if let Some((unit, d)) = worst {
            let message = if d.is_finite() {
                format!(
                    "{} {} 距 {unit} 的界线 {d:.2} 米，超过 {tolerance_m} 米",
                    m.kind.label(),
                    m.number
                )
            } else {
                format!("{} {} 所注单位 {unit}", m.kind.label(), m.number)
            };
            out.push(Finding {
                kind: Kind::MarkerOffLine,
                label: Kind::MarkerOffLine.label(),
                units: m.units.clone(),
                parent: None,
                area_m2: None,
                width_m: None,
                sliver: false,
                vertices: None,
                max_offset_m: d.is_finite().then_some(d),
                message,
                location: v.geometry.clone(),
            });
        }
    }
    Ok(out)
}

/// Checks the registry's units: for every parent, its children (at `level`, if given) tile it
/// and match each other's edges; and every boundary marker stands on the lines it marks.
pub fn check_registry(
    state: &(impl Records<AdminUnit> + Records<Marker>),
    level: Option<UnitLevel>,
    t: Thresholds,
    edges: EdgeTolerance,
    marker_tolerance_m: f64,
) -> Result<Report, CrsError> {
    let mut units: BTreeMap<DivisionCode, (String, Geometry<f64>)> = BTreeMap::new();
    let mut children: BTreeMap<DivisionCode, Vec<(String, Geometry<f64>)>> = BTreeMap::new();
    let mut count = 0;
    for v in state.each::<AdminUnit>() {
        let u = v.body;
        let label = format!("{} {}", u.code.short(), u.name);
        units.insert(u.code, (label.clone(), v.geometry.clone()));
        if let Some(parent) = u.parent
            && level.is_none_or(|l| l == u.level)
        {
            count += 1;
            children
                .entry(parent)
                .or_default()
                .push((label, v.geometry.clone()));
        }
    }
    let mut findings = Vec::new();
    for (parent, kids) in &children {
        let Some((plabel, pgeom)) = units.get(parent) else {
            continue;
        };
        findings.extend(
            coverage::check_tiling(pgeom, kids, t)?
                .into_iter()
                .map(|f| Finding::region(f, Some(plabel))),
        );
        findings.extend(
            coverage::unmatched_edges(kids, edges.near_m, edges.same_m)
                .into_iter()
                .map(|u| Finding::edge(u, Some(plabel))),
        );
    }
    findings.extend(check_markers(state, marker_tolerance_m)?);
    let mut report = Report {
        units: count,
        thresholds: t,
        edges,
        findings,
    };
    report.sort();
    Ok(report)
}

/// A unit read from a file: its name, its division code and its parent's code when the file
/// gives them.
#[derive(Debug, Clone)]
pub struct FileUnit {
    pub name: String,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub geometry: Geometry<f64>,
}

/// A division code without the zeros of the levels it does not reach (152501200000 →
/// 152501200, 152501000000 → 152501): a unit's code begins with its parent's.
fn significant(code: &str) -> &str {
    // GB/T 2260 and the statistical codes: province, prefecture, county (2 digits each),
    // township and village (3 digits each); a code may stop after any of them.
    const ENDS: [usize; 5] = [2, 4, 6, 9, 12];
    let c = code.trim();
    if !c.bytes().all(|b| b.is_ascii_digit()) {
        return c;
    }
    let mut end = c.len();
    while let Some(i) = ENDS.iter().position(|e| *e == end).filter(|i| *i > 0) {
        let start = ENDS[i - 1];
        if c[start..end].bytes().all(|b| b == b'0') {
            end = start;
        } else {
            break;
        }
    }
    &c[..end]
}

/// Checks units read from a file as the hierarchy they form: each unit's parent is the one
/// its `parent` names (by code), or else the unit whose code is the longest beginning of its
/// own. Children are checked against their parent (gaps with their area and width, overlaps
/// between siblings, parts outside the parent) and their shared edges against each other;
/// units with no parent in the file are checked as neighbours. A unit is never compared with
/// its own parent as if they overlapped.
pub fn check_hierarchy(
    units: &[FileUnit],
    t: Thresholds,
    edges: EdgeTolerance,
) -> Result<Report, CrsError> {
    let label = |u: &FileUnit| match &u.code {
        Some(c) => format!("{} {}", significant(c), u.name),
        None => u.name.clone(),
    };
    let by_code: BTreeMap<&str, usize> = units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| u.code.as_deref().map(|c| (significant(c), i)))
        .collect();
    let parent_of = |u: &FileUnit| -> Option<usize> {
        if let Some(p) = u.parent.as_deref().filter(|p| !p.trim().is_empty()) {
            return by_code.get(significant(p)).copied();
        }
        let own = significant(u.code.as_deref()?);
        by_code
            .iter()
            .filter(|(c, _)| c.len() < own.len() && own.starts_with(**c))
            .max_by_key(|(c, _)| c.len())
            .map(|(_, i)| *i)
    };
    let mut children: BTreeMap<usize, Vec<(String, Geometry<f64>)>> = BTreeMap::new();
    let mut roots: Vec<(String, Geometry<f64>)> = Vec::new();
    for u in units {
        match parent_of(u) {
            Some(p) => children
                .entry(p)
                .or_default()
                .push((label(u), u.geometry.clone())),
            None => roots.push((label(u), u.geometry.clone())),
        }
    }
    let mut findings = Vec::new();
    for (parent, kids) in &children {
        let plabel = label(&units[*parent]);
        findings.extend(
            coverage::check_tiling(&units[*parent].geometry, kids, t)?
                .into_iter()
                .map(|f| Finding::region(f, Some(&plabel))),
        );
        findings.extend(
            coverage::unmatched_edges(kids, edges.near_m, edges.same_m)
                .into_iter()
                .map(|u| Finding::edge(u, Some(&plabel))),
        );
    }
    if !roots.is_empty() {
        findings.extend(
            coverage::check_neighbours(&roots, t, edges.near_m)?
                .into_iter()
                .map(|f| Finding::region(f, None)),
        );
        findings.extend(
            coverage::unmatched_edges(&roots, edges.near_m, edges.same_m)
                .into_iter()
                .map(|u| Finding::edge(u, None)),
        );
    }
    let mut report = Report {
        units: units.len(),
        thresholds: t,
        edges,
        findings,
    };
    report.sort();
    Ok(report)
}

#[cfg(test)]
mod hierarchy_tests {
    use super::significant;

    #[test]
    fn a_code_without_the_levels_it_does_not_reach_begins_its_childrens() {
        assert_eq!(significant("152501200000"), "152501200");
        assert_eq!(significant("152501200201"), "152501200201");
        assert_eq!(significant("152501000000"), "152501");
        assert_eq!(significant("152500000000"), "1525");
        assert_eq!(significant("150000000000"), "15");
        assert_eq!(significant("152501"), "152501");
        assert_eq!(significant("152500"), "1525");
        assert_eq!(significant("152501200"), "152501200");
        assert_eq!(significant("abc"), "abc");
        assert_eq!(significant("一二三四五六七八九"), "一二三四五六七八九");
        assert!(significant("152501200201").starts_with(significant("152501200000")));
        assert!(!significant("152501200201").starts_with(significant("152501201000")));
    }
}
