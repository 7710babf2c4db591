//! Boundary disputes (边界争议), from claim to decision, under the 1989 regulation on the
//! handling of administrative boundary disputes (《行政区域边界争议处理条例》): the parties and
//! what each claims, the evidence of the kinds it admits, the steps (filed → consultation →
//! submitted to the common superior → mediation → decided, or withdrawn) with their dates and
//! documents, and the disputed area computed from the claims. While a dispute is open, edits
//! inside its area are frozen (the registry enforces it).

use crate::record::{ApprovalDocument, Source};
use crate::record::{Attributes, Describe};
use chrono::NaiveDate;
use geo::{BooleanOps, Geometry, MultiPolygon};
use serde::{Deserialize, Serialize};

/// One party: a unit, by division code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub code: String,
    pub name: String,
    /// What the party claims (CGCS2000, GeoJSON): the area it holds to be its own, or, between
    /// two parties, the line it holds to be the boundary.
    pub claim: geojson::Geometry,
}

/// Kinds of evidence the 1989 regulation admits (第十四条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// 行政区划批准文件
    DivisionApproval,
    /// 边界协议、纪要
    Agreement,
    /// 边界地图（附有标界线的地图）
    Map,
    /// 历史上的行政区划与管辖的资料
    History,
    /// 其他
    Other,
}

impl EvidenceKind {
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::DivisionApproval => "行政区划批准文件",
            EvidenceKind::Agreement => "边界协议或纪要",
            EvidenceKind::Map => "标有界线的地图",
            EvidenceKind::History => "历史管辖资料",
            EvidenceKind::Other => "其他材料",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Who brought it (a party's code).
    pub party: String,
    pub kind: EvidenceKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// Where a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// 已受理
    Filed,
    /// 双方协商
    Consultation,
    /// 报请共同上级
    Submitted,
    /// 上级调解
    Mediation,
    /// 已裁决
    Decided,
    /// 已撤回
    Withdrawn,
}

impl DisputeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Filed => "filed",
            DisputeStatus::Consultation => "consultation",
            DisputeStatus::Submitted => "submitted",
            DisputeStatus::Mediation => "mediation",
            DisputeStatus::Decided => "decided",
            DisputeStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DisputeStatus::Filed => "已受理",
            DisputeStatus::Consultation => "双方协商",
            DisputeStatus::Submitted => "报请共同上级",
            DisputeStatus::Mediation => "上级调解",
            DisputeStatus::Decided => "已裁决",
            DisputeStatus::Withdrawn => "已撤回",
        }
    }

    /// Where a dispute may go from here: filed → consultation → submitted → mediation →
    /// decided; consultation may end in a decision by agreement; withdrawn from any open state.
    pub fn successors(self) -> &'static [DisputeStatus] {
        use DisputeStatus::*;
        match self {
            Filed => &[Consultation, Withdrawn],
            Consultation => &[Submitted, Decided, Withdrawn],
            Submitted => &[Mediation, Decided, Withdrawn],
            Mediation => &[Decided, Withdrawn],
            Decided | Withdrawn => &[],
        }
    }

    /// Open disputes freeze their area.
    pub fn is_open(self) -> bool {
        !matches!(self, DisputeStatus::Decided | DisputeStatus::Withdrawn)
    }
}

/// One step of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub status: DisputeStatus,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<ApprovalDocument>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// What lies in the disputed area.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contents {
    pub door_plates: usize,
    pub places: usize,
    pub streets: usize,
    pub markers: usize,
    /// Cemetery plots and graves outside cemeteries in the area.
    #[serde(default)]
    pub plots: usize,
    #[serde(default)]
    pub graves: usize,
}

/// A dispute (layer `boundary_disputes`; the geometry is the disputed area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    pub title: String,
    pub parties: Vec<Party>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    pub status: DisputeStatus,
    pub steps: Vec<Step>,
    /// The disputed area, m² (EPSG:4546).
    pub area_m2: f64,
    #[serde(default)]
    pub contents: Contents,
    pub source: Source,
}

/// Why a dispute cannot be filed or moved on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DisputeError {
    #[error("争议须有两个以上的当事单位，各有其主张范围")]
    Parties,
    #[error("当事单位 {0} 的主张应为面（主张范围），或在两方争议中为线（主张界线）")]
    NotAnArea(String),
    #[error("各方主张的范围没有重叠之处：没有争议区域")]
    NoOverlap,
    #[error("争议状态不能从“{from}”改为“{to}”")]
    Transition {
        from: &'static str,
        to: &'static str,
    },
    #[error("“{0}”须附文件（报请上级、调解与裁决均须有文书）")]
    NeedsDocument(&'static str),
    #[error("步骤日期 {date} 早于上一步骤的日期 {last}")]
    Date { date: NaiveDate, last: NaiveDate },
}

/// A party's claim: an area it holds to be its own, or the line it holds to be the boundary.
enum Claim {
    Area(MultiPolygon<f64>),
    Line(geo::LineString<f64>),
}

fn claim_of(p: &Party) -> Result<Claim, DisputeError> {
    match Geometry::<f64>::try_from(p.claim.value.clone()) {
        Ok(Geometry::Polygon(x)) => Ok(Claim::Area(MultiPolygon(vec![x]))),
        Ok(Geometry::MultiPolygon(m)) => Ok(Claim::Area(m)),
        Ok(Geometry::LineString(l)) if l.0.len() >= 2 => Ok(Claim::Line(l)),
        Ok(Geometry::MultiLineString(m)) if m.0.len() == 1 && m.0[0].0.len() >= 2 => {
            Ok(Claim::Line(m.0[0].clone()))
        }
        _ => Err(DisputeError::NotAnArea(p.code.clone())),
    }
}

/// The area between two claimed lines: the ring that runs along the first and back along the
/// second (their ends joined), cleaned where the lines cross each other.
fn between(a: &geo::LineString<f64>, b: &geo::LineString<f64>) -> MultiPolygon<f64> {
    let d = |p: geo::Coord<f64>, q: geo::Coord<f64>| (p.x - q.x).hypot(p.y - q.y);
    // Along the first line, then back along the second from the end nearer the first's end.
    let a_end = a.0[a.0.len() - 1];
    let mut back: Vec<geo::Coord<f64>> = b.0.clone();
    if d(a_end, back[0]) > d(a_end, back[back.len() - 1]) {
        back.reverse();
    }
    let mut ring: Vec<geo::Coord<f64>> = a.0.clone();
    ring.extend(back);
    ring.dedup();
    let first = ring[0];
    if ring.last() != Some(&first) {
        ring.push(first);
    }
    // Where the lines cross, the ring crosses itself: the boolean engine splits it into the
    // regions between them.
    let raw = MultiPolygon(vec![geo::Polygon::new(geo::LineString(ring), vec![])]);
    raw.union(&MultiPolygon(vec![]))
}

/// The disputed area: land claimed by more than one party, or, where two parties each claim a
/// line, the land between their lines.
pub fn disputed_area(parties: &[Party]) -> Result<MultiPolygon<f64>, DisputeError> {
    if parties.len() < 2 {
        return Err(DisputeError::Parties);
    }
    let claims: Vec<Claim> = parties.iter().map(claim_of).collect::<Result<_, _>>()?;
    let disputed = match claims.as_slice() {
        [Claim::Line(a), Claim::Line(b)] => between(a, b),
        _ => {
            let mut areas = Vec::new();
            for (p, c) in parties.iter().zip(&claims) {
                match c {
                    Claim::Area(m) => areas.push(m),
                    // Lines are claims between two parties only.
                    Claim::Line(_) => return Err(DisputeError::NotAnArea(p.code.clone())),
                }
            }
            let mut disputed = MultiPolygon(vec![]);
            for (i, a) in areas.iter().enumerate() {
                for b in &areas[i + 1..] {
                    disputed = disputed.union(&a.intersection(*b));
                }
            }
            disputed
        }
    };
    if disputed.0.is_empty() {
        return Err(DisputeError::NoOverlap);
    }
    Ok(disputed)
}

/// 1 亩 = 10,000 / 15 m².
pub fn mu(m2: f64) -> f64 {
    m2 * 15.0 / 10_000.0
}

impl Dispute {
    /// The dispute moved to `status` on `date`: filed → consultation → submitted → mediation →
    /// decided; consultation may end in a decision by agreement; withdrawn from any open state.
    /// Submitting, mediating and deciding need their document.
    pub fn moved(
        &self,
        status: DisputeStatus,
        date: NaiveDate,
        document: Option<ApprovalDocument>,
        note: &str,
    ) -> Result<Dispute, DisputeError> {
        use DisputeStatus::*;
        if !self.status.successors().contains(&status) {
            return Err(DisputeError::Transition {
                from: self.status.label(),
                to: status.label(),
            });
        }
        if matches!(status, Submitted | Mediation | Decided) && document.is_none() {
            return Err(DisputeError::NeedsDocument(status.label()));
        }
        if let Some(last) = self.steps.last()
            && date < last.date
        {
            return Err(DisputeError::Date {
                date,
                last: last.date,
            });
        }
        let mut next = self.clone();
        next.status = status;
        next.steps.push(Step {
            status,
            date,
            document,
            note: note.to_string(),
        });
        Ok(next)
    }
}

impl Describe for Dispute {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn attributes(&self) -> Attributes {
        let parties: Vec<&str> = self.parties.iter().map(|p| p.name.as_str()).collect();
        Attributes::new()
            .row("争议名称", &self.title)
            .row("状态", self.status.label())
            .list("争议各方", &parties)
            .row("争议面积（平方米）", format!("{:.0}", self.area_m2))
            .row("来源", self.source.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Rect, coord};

    fn party(code: &str, w: f64, e: f64) -> Party {
        let r = Rect::new(coord! {x: w, y: 43.60}, coord! {x: e, y: 43.62}).to_polygon();
        Party {
            code: code.into(),
            name: code.into(),
            claim: geojson::Geometry::from(&Geometry::Polygon(r)),
        }
    }

    fn doc() -> ApprovalDocument {
        ApprovalDocument {
            issuer: "锡林郭勒盟行政公署".into(),
            number: "锡署函〔2026〕5号".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        }
    }

    #[test]
    fn the_disputed_area_is_what_both_claim() {
        let a = party("A", 111.90, 111.95);
        let b = party("B", 111.94, 112.00);
        let area = disputed_area(&[a.clone(), b]).unwrap();
        let r = geo::BoundingRect::bounding_rect(&area).unwrap();
        // The boolean operations work on a fine grid: equal to 1e-9° (0.1 mm).
        assert!((r.min().x - 111.94).abs() < 1e-9 && (r.max().x - 111.95).abs() < 1e-9);
        assert_eq!(
            disputed_area(&[a.clone(), party("C", 111.96, 112.0)]),
            Err(DisputeError::NoOverlap)
        );
        assert_eq!(disputed_area(&[a]), Err(DisputeError::Parties));
        assert!((mu(666.666_666_7) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn two_claimed_lines_enclose_the_disputed_area() {
        let line = |pts: &[(f64, f64)]| Party {
            code: "X".into(),
            name: "X".into(),
            claim: geojson::Geometry::from(&Geometry::LineString(geo::LineString::from(
                pts.to_vec(),
            ))),
        };
        // One side holds the straight line, the other a bend 0.01° east at the middle: a
        // triangle of 0.01 × 1 / 2 square degrees. The second line is drawn the other way.
        let a = line(&[(112.0, 43.0), (112.0, 44.0)]);
        let b = line(&[(112.0, 44.0), (112.01, 43.5), (112.0, 43.0)]);
        let area = disputed_area(&[a.clone(), b]).unwrap();
        let got = geo::Area::unsigned_area(&area);
        assert!((got - 0.005).abs() < 1e-9, "{got}");
        // Lines that cross: two lobes, one on each side.
        let c = line(&[
            (112.0, 43.0),
            (112.01, 43.25),
            (111.99, 43.75),
            (112.0, 44.0),
        ]);
        let lobes = disputed_area(&[a.clone(), c]).unwrap();
        assert_eq!(lobes.0.len(), 2, "{lobes:?}");
        // A line against an area is not a claim the registry can compare.
        let area_claim = party("B", 111.94, 112.00);
        assert!(matches!(
            disputed_area(&[a, area_claim]),
            Err(DisputeError::NotAnArea(_))
        ));
    }

    #[test]
    fn steps_follow_the_regulation_and_need_their_documents() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let d = Dispute {
            title: "t".into(),
            parties: vec![],
            evidence: vec![],
            status: DisputeStatus::Filed,
            steps: vec![Step {
                status: DisputeStatus::Filed,
                date: day(1),
                document: None,
                note: String::new(),
            }],
            area_m2: 0.0,
            contents: Contents::default(),
            source: Source::Survey,
        };
        assert!(matches!(
            d.moved(DisputeStatus::Decided, day(2), Some(doc()), ""),
            Err(DisputeError::Transition { .. })
        ));
        let c = d
            .moved(DisputeStatus::Consultation, day(2), None, "")
            .unwrap();
        assert_eq!(
            c.moved(DisputeStatus::Submitted, day(3), None, ""),
            Err(DisputeError::NeedsDocument("报请共同上级"))
        );
        assert!(matches!(
            c.moved(DisputeStatus::Withdrawn, day(1), None, ""),
            Err(DisputeError::Date { .. })
        ));
        let s = c
            .moved(DisputeStatus::Submitted, day(3), Some(doc()), "")
            .unwrap();
        let m = s
            .moved(DisputeStatus::Mediation, day(4), Some(doc()), "")
            .unwrap();
        let done = m
            .moved(DisputeStatus::Decided, day(5), Some(doc()), "")
            .unwrap();
        assert!(!done.status.is_open());
        assert_eq!(done.steps.len(), 5);
    }
}
