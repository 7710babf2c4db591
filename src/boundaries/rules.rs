//! The boundary rules every changeset meets, whatever door it came through: marker entries
//! complete and their numbers unique, a registered marker moved only with a document, the
//! city's outer border and its division codes changed only with one, no edit inside the area
//! of an open dispute; and the inspections and renewals that fall due. Each refusal is a
//! [`Refusal`] that says what and where in Chinese.
//!
//! Pure: the registry hands in the registry as the changeset would leave it ([`Records`] and
//! [`Changes`]); nothing here names a layer or a store.

use super::AdminUnit;
use super::UnitLevel;
use super::dispute::Dispute;
use super::line::{Agreement, BoundaryLine};
use super::marker::Marker;
use crate::record::{ChangeView, Changes, RecordId, Records, View};
use chrono::NaiveDate;
use geo::Geometry;

/// Why a changeset breaks a boundary rule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("界桩 {number}：{reason}")]
    IncompleteMarker { number: String, reason: String },
    #[error("界桩编号 {0} 已被其他界桩使用")]
    MarkerNumberTaken(String),
    #[error("界桩 {0} 的登记位置具有法律效力：移动或恢复界桩须附批准文件")]
    MarkerMovedWithoutDocument(String),
    #[error("{0} 的外围界线（国界与相邻旗县的界线）只能凭上级批准文件修改")]
    OuterBorderWithoutDocument(String),
    #[error("{code} {name} 的区划代码变更、撤销或合并须附批准文件")]
    DivisionChangeWithoutDocument { code: String, name: String },
    #[error("平安边界协议“{title}”：{reason}")]
    IncompleteAgreement { title: String, reason: String },
}

impl Refusal {
    /// A stable code for scripts and the API's error body, beside the Chinese message.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::IncompleteMarker { .. } => "incomplete_marker",
            Refusal::MarkerNumberTaken(_) => "duplicate_marker_number",
            Refusal::IncompleteAgreement { .. } => "incomplete_agreement",
            Refusal::MarkerMovedWithoutDocument(_)
            | Refusal::OuterBorderWithoutDocument(_)
            | Refusal::DivisionChangeWithoutDocument { .. } => "document_required",
        }
    }
}

/// Refuses a changeset that would register an incomplete marker, reuse a marker number, or
/// move a registered marker without an approval document (`documented`).
pub fn markers<A>(after: &A, documented: bool) -> Result<(), Refusal>
where
    A: Records<Marker> + Changes<Marker>,
{
    for change in after.changes::<Marker>() {
        let Some(m) = change.after else { continue };
        m.validate().map_err(|e| Refusal::IncompleteMarker {
            number: m.number.clone(),
            reason: e.to_string(),
        })?;
        let others = after
            .each::<Marker>()
            .filter(|o| o.id != change.id)
            .map(|o| o.body);
        if m.number_taken(others) {
            return Err(Refusal::MarkerNumberTaken(m.number.clone()));
        }
        if let (Some(was), Some(is)) = (change.was_at, change.is_at)
            && was != is
            && !documented
        {
            return Err(Refusal::MarkerMovedWithoutDocument(m.number.clone()));
        }
    }
    Ok(())
}

/// Refuses a changeset that would leave an agreement without a title, with fewer than two
/// distinct parties (each named), or renewed no later than it was signed.
pub fn agreements<A>(after: &A) -> Result<(), Refusal>
where
    A: Changes<Agreement>,
{
    for change in after.changes::<Agreement>() {
        let Some(a) = change.after else { continue };
        a.validate()
            .map_err(|reason| Refusal::IncompleteAgreement {
                title: a.title.clone(),
                reason,
            })?;
    }
    Ok(())
}

/// The city's own outline (its national border and its borders with the neighbouring
/// banners) is fixed by higher authorities: changing or retiring it needs the document
/// (`documented`); so does a unit's new code and a unit's abolition or merger.
pub fn outer_border<A>(after: &A, documented: bool) -> Result<(), Refusal>
where
    A: Changes<AdminUnit>,
{
    if documented {
        return Ok(());
    }
    for change in after.changes::<AdminUnit>() {
        let Some(u) = change.before else { continue };
        if u.level == UnitLevel::County && change.is_at != change.was_at {
            return Err(Refusal::OuterBorderWithoutDocument(u.name.clone()));
        }
        // A new code, or a unit abolished (merged into another), is a change of the division
        // itself: it needs its document.
        if change.after.is_none_or(|n| n.code != u.code) {
            return Err(Refusal::DivisionChangeWithoutDocument {
                code: u.code.short(),
                name: u.name.clone(),
            });
        }
    }
    Ok(())
}

/// The areas of the open disputes, frozen until each is resolved.
pub struct Frozen<'a> {
    areas: Vec<(&'a str, &'a Geometry<f64>)>,
}

impl<'a> Frozen<'a> {
    pub fn of(records: &'a impl Records<Dispute>) -> Frozen<'a> {
        Frozen {
            areas: records
                .each::<Dispute>()
                .filter(|d| d.body.status.is_open())
                .map(|d| (d.body.title.as_str(), d.geometry))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The title of the open dispute whose area `part` lies in (shares interior with: a
    /// part that only touches the area's edge is outside).
    pub fn holding(&self, part: &Geometry<f64>) -> Option<&'a str> {
        use geo::Intersects;
        use geo::relate::Relate;
        self.areas
            .iter()
            .find(|(_, area)| area.intersects(part) && !area.relate(part).is_touches())
            .map(|(title, _)| *title)
    }
}

/// The part of a record's geometry a write changes: all of it for a creation or retirement,
/// the difference between old and new for an update (a unit's new name touches nothing).
pub fn changed_part(
    old: Option<&Geometry<f64>>,
    new: Option<&Geometry<f64>>,
) -> Option<Geometry<f64>> {
    use geo::BooleanOps;
    let area = |g: &Geometry<f64>| match g {
        Geometry::Polygon(p) => Some(geo::MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(m) => Some(m.clone()),
        _ => None,
    };
    match (old, new) {
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) => match (area(a), area(b)) {
            (Some(x), Some(y)) => Some(Geometry::MultiPolygon(x.xor(&y))),
            // A moved point or line: both where it was and where it goes.
            _ => Some(Geometry::GeometryCollection(geo::GeometryCollection(vec![
                a.clone(),
                b.clone(),
            ]))),
        },
        (None, Some(g)) | (Some(g), None) => Some(g.clone()),
        (None, None) => None,
    }
}

/// Something that falls due.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Due {
    pub what: String,
    pub date: NaiveDate,
    pub overdue: bool,
    pub record: RecordId,
}

/// Joint inspections and agreement renewals due by `until` (overdue ones: before `today`).
pub fn due<R>(records: &R, today: NaiveDate, until: NaiveDate) -> Vec<Due>
where
    R: Records<BoundaryLine> + Records<Agreement>,
{
    let mut out = Vec::new();
    for l in records.each::<BoundaryLine>() {
        let date = l.body.next_inspection();
        if date <= until {
            out.push(Due {
                what: format!(
                    "{}—{}界线联合检查（每 {} 年）",
                    l.body.left_name, l.body.right_name, l.body.cycle_years
                ),
                date,
                overdue: date < today,
                record: l.id,
            });
        }
    }
    for a in records.each::<Agreement>() {
        if a.body.renewal <= until {
            out.push(Due {
                what: format!(
                    "平安边界协议“{}”续签（{}）",
                    a.body.title,
                    a.body.party_names.join("、")
                ),
                date: a.body.renewal,
                overdue: a.body.renewal < today,
                record: a.id,
            });
        }
    }
    out.sort_by(|a, b| (a.date, &a.what).cmp(&(b.date, &b.what)));
    out
}
