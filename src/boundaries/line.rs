//! Boundary lines (界线) between neighbouring units, derived from the units' shared edges, with
//! their legal status (agreed or not), technical status (edge-matched or not), the document
//! that fixed them and their inspection cycle; joint inspections of a line; and the 平安边界
//! agreements between neighbours with their renewal dates.

use crate::record::{ApprovalDocument, Source};
use crate::record::{Attributes, Describe};
use chrono::{Months, NaiveDate};
use geo::{BooleanOps, Buffer, Geometry, MultiLineString, MultiPolygon};
use serde::{Deserialize, Serialize};

/// Whether the two sides have agreed the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// 已勘定
    Agreed,
    /// 未勘定
    NotAgreed,
}

impl LegalStatus {
    pub fn label(self) -> &'static str {
        match self {
            LegalStatus::Agreed => "已勘定",
            LegalStatus::NotAgreed => "未勘定",
        }
    }
}

/// Whether both units' edges match along the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechnicalStatus {
    /// 已接边
    EdgeMatched,
    /// 未接边
    NotMatched,
}

impl TechnicalStatus {
    pub fn label(self) -> &'static str {
        match self {
            TechnicalStatus::EdgeMatched => "已接边",
            TechnicalStatus::NotMatched => "未接边",
        }
    }
}

/// Years between joint inspections unless a line says otherwise.
pub const DEFAULT_CYCLE_YEARS: u32 = 5;

/// A boundary line (layer `boundary_lines`; the geometry is the line, with `left` on its left).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundaryLine {
    pub left: String,
    pub left_name: String,
    pub right: String,
    pub right_name: String,
    pub legal: LegalStatus,
    pub technical: TechnicalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<ApprovalDocument>,
    pub cycle_years: u32,
    /// When the line was first registered.
    pub established: NaiveDate,
    /// The last joint inspection, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inspected: Option<NaiveDate>,
    /// Length, metres (EPSG:4546).
    pub length_m: f64,
    pub source: Source,
}

impl BoundaryLine {
    /// When the next joint inspection falls due: a cycle after the last one, or after the
    /// line was fixed (its document) or first registered.
    pub fn next_inspection(&self) -> NaiveDate {
        let from = self
            .last_inspected
            .or(self.document.as_ref().map(|d| d.date))
            .unwrap_or(self.established);
        from.checked_add_months(Months::new(12 * self.cycle_years))
            .unwrap_or(from)
    }

    /// The pair of units, in a fixed order, that identifies the line.
    pub fn pair(&self) -> (String, String) {
        if self.left <= self.right {
            (self.left.clone(), self.right.clone())
        } else {
            (self.right.clone(), self.left.clone())
        }
    }
}

/// What one stretch or marker was found like during a joint inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionFinding {
    /// A marker's number, or a description of the stretch (e.g. "JZ-003 至 JZ-004 之间").
    pub at: String,
    pub finding: String,
}

/// A joint inspection of a line (layer `line_inspections`; the geometry is the line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineInspection {
    pub line: crate::record::RecordId,
    pub date: NaiveDate,
    /// The people of both sides.
    pub inspectors: Vec<String>,
    pub findings: Vec<InspectionFinding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    pub source: Source,
}

/// A meeting held under an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub date: NaiveDate,
    pub place: String,
    pub summary: String,
}

/// A 平安边界 agreement between neighbours (layer `boundary_agreements`; the geometry is the
/// lines between them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub title: String,
    /// Division codes of the parties.
    pub parties: Vec<String>,
    pub party_names: Vec<String>,
    pub signed: NaiveDate,
    pub summary: String,
    pub renewal: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<Meeting>,
    pub source: Source,
}

impl Agreement {
    /// What makes the agreement incomplete, if anything: a title, at least two distinct
    /// parties each with its name, a renewal after the signing.
    pub fn validate(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("协议名称不能为空".into());
        }
        let mut parties = self.parties.clone();
        parties.sort();
        parties.dedup();
        if parties.len() < 2 || parties.len() != self.parties.len() {
            return Err("应有至少两个不同的签约单位".into());
        }
        if self.party_names.len() != self.parties.len() {
            return Err("每个签约单位都应有名称".into());
        }
        if self.renewal <= self.signed {
            return Err(format!(
                "续签日期 {} 应晚于签订日期 {}",
                self.renewal, self.signed
            ));
        }
        Ok(())
    }
}

/// Metres per degree of latitude, for the small tolerance of a shared edge.
const M_PER_DEG: f64 = 111_320.0;

fn polygons(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        _ => MultiPolygon(vec![]),
    }
}

/// The stretch of `a`'s boundary that runs within `tolerance_m` of `b`: their shared edge, in
/// the direction of `a`'s outer ring (counter-clockwise), so `a` lies on its left.
pub fn shared_edge(a: &Geometry<f64>, b: &Geometry<f64>, tolerance_m: f64) -> MultiLineString<f64> {
    use geo::orient::{Direction, Orient};
    let a = polygons(a).orient(Direction::Default);
    let b = polygons(b);
    let rings = MultiLineString(
        a.0.iter()
            .flat_map(|p| {
                std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
            })
            .collect(),
    );
    let tol = tolerance_m / M_PER_DEG;
    let near = b.buffer(tol);
    let shared = near.clip(&rings, false);
    // Where `a`'s boundary turns away from `b` at the ends of the shared edge, the clip keeps a
    // stub as long as the tolerance along the other edge: trim those.
    let stub = |p: geo::Coord<f64>, q: geo::Coord<f64>| (p.x - q.x).hypot(p.y - q.y) < 3.0 * tol;
    MultiLineString(
        shared
            .0
            .into_iter()
            .map(|mut l| {
                if l.0.len() >= 3 && stub(l.0[0], l.0[1]) {
                    l.0.remove(0);
                }
                let n = l.0.len();
                if n >= 3 && stub(l.0[n - 2], l.0[n - 1]) {
                    l.0.pop();
                }
                l
            })
            .filter(|l| l.0.len() >= 2)
            .collect(),
    )
}

/// A unit as line derivation needs it: code, name, parent code, geometry.
pub type UnitShape = (String, String, Option<String>, Geometry<f64>);

/// A line found between two sibling units.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub left: (String, String),
    pub right: (String, String),
    pub line: MultiLineString<f64>,
    pub technical: TechnicalStatus,
}

/// The lines between sibling units (the same parent), in code order, each along the first
/// unit's boundary (so the first is on its left), with whether their edges match.
pub fn derive(units: &[UnitShape]) -> Vec<Derived> {
    let mut units: Vec<&UnitShape> = units.iter().collect();
    units.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (i, a) in units.iter().enumerate() {
        for b in &units[i + 1..] {
            if a.2.is_none() || a.2 != b.2 {
                continue;
            }
            let line = shared_edge(&a.3, &b.3, 0.5);
            if line.0.is_empty() {
                continue;
            }
            let matched = crate::spatial::coverage::unmatched_edges(
                &[(a.0.clone(), a.3.clone()), (b.0.clone(), b.3.clone())],
                50.0,
                0.01,
            )
            .is_empty();
            out.push(Derived {
                left: (a.0.clone(), a.1.clone()),
                right: (b.0.clone(), b.1.clone()),
                line,
                technical: if matched {
                    TechnicalStatus::EdgeMatched
                } else {
                    TechnicalStatus::NotMatched
                },
            });
        }
    }
    out
}

impl Describe for BoundaryLine {
    fn title(&self) -> String {
        format!("{}—{}界线", self.left_name, self.right_name)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("左侧单位", format!("{} {}", self.left, self.left_name))
            .row("右侧单位", format!("{} {}", self.right, self.right_name))
            .row("法定状态", self.legal.label())
            .row("技术状态", self.technical.label())
            .row("长度（米）", format!("{:.0}", self.length_m))
            .row("联检周期（年）", self.cycle_years)
            .some("上次联检", self.last_inspected)
            .some(
                "批准文件",
                self.document
                    .as_ref()
                    .map(|d| format!("{} {}", d.issuer, d.number)),
            )
    }
}

impl Describe for LineInspection {
    fn title(&self) -> String {
        format!("{} 联合检查", self.date)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("检查日期", self.date)
            .list("检查人员", &self.inspectors)
            .row("发现问题", self.findings.len())
    }
}

impl Describe for Agreement {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("协议名称", &self.title)
            .list("签订各方", &self.party_names)
            .row("签订日期", self.signed)
            .row("续签日期", self.renewal)
            .row("内容摘要", &self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Length, Rect, coord};

    #[test]
    fn the_shared_edge_of_two_neighbours_runs_with_the_first_on_its_left() {
        let a = Geometry::Polygon(
            Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 0.01, y: 0.01}).to_polygon(),
        );
        let b = Geometry::Polygon(
            Rect::new(coord! {x: 0.01, y: 0.0}, coord! {x: 0.02, y: 0.02}).to_polygon(),
        );
        let edge = shared_edge(&a, &b, 0.5);
        let length: f64 = edge.0.iter().map(|l| geo::Euclidean.length(l)).sum();
        assert!((length - 0.01).abs() < 1e-6, "{edge:?}");
        // Counter-clockwise around a: along x = 0.01 northwards, a to the west (left).
        let l = &edge.0[0];
        assert!(l.0.iter().all(|c| (c.x - 0.01).abs() < 1e-9));
        assert!(l.0.last().unwrap().y > l.0[0].y);
    }

    #[test]
    fn inspections_fall_due_a_cycle_after_the_last() {
        let line = BoundaryLine {
            left: "a".into(),
            left_name: "甲".into(),
            right: "b".into(),
            right_name: "乙".into(),
            legal: LegalStatus::Agreed,
            technical: TechnicalStatus::EdgeMatched,
            document: None,
            cycle_years: 5,
            established: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            last_inspected: Some(NaiveDate::from_ymd_opt(2021, 6, 1).unwrap()),
            length_m: 1.0,
            source: Source::Survey,
        };
        assert_eq!(
            line.next_inspection(),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
        );
        let never = BoundaryLine {
            last_inspected: None,
            ..line
        };
        assert_eq!(
            never.next_inspection(),
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        );
    }
}
