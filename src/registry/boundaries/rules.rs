//! The boundary rules every changeset meets, whatever door it came through: marker numbers
//! unique and entries complete, the outer border only with a document, no edit inside a
//! disputed area; and the inspections and renewals that fall due.

use super::*;

/// Refuses a changeset that would register an incomplete marker, reuse a marker number, or
/// move a registered marker without an approval document.
pub fn marker_rules(state: &CurrentState, changeset: &Changeset) -> Result<(), RegistryError> {
    for w in &changeset.writes {
        let (id, body, geometry) = match w {
            Write::Create {
                id, body, geometry, ..
            }
            | Write::Update {
                id, body, geometry, ..
            } => (*id, body, geometry),
            Write::Retire { .. } => continue,
        };
        let Some(m) = body.of::<Marker>() else {
            continue;
        };
        m.validate()
            .map_err(|e| RegistryError::Invalid(format!("界桩 {}：{e}", m.number)))?;
        let stored = state.versions::<Marker>().filter(|(v, _)| v.id != id);
        let written = changeset.writes.iter().filter(|o| o.id() != id);
        let others = stored
            .map(|(_, o)| o)
            .chain(written.filter_map(|o| o.body()?.of::<Marker>()));
        if m.number_taken(others) {
            return Err(RegistryError::Invalid(format!(
                "界桩编号 {} 已被其他界桩使用",
                m.number
            )));
        }
        if let (Write::Update { .. }, Some(current)) = (w, state.get(&id))
            && &current.geometry != geometry
            && changeset.document.is_none()
        {
            return Err(RegistryError::Invalid(format!(
                "界桩 {} 的登记位置具有法律效力：移动或恢复界桩须附批准文件",
                m.number
            )));
        }
    }
    Ok(())
}

/// The city's own outline (its national border and its borders with the neighbouring
/// banners) is fixed by higher authorities: changing or retiring it needs the document; so does
/// a unit's new code and a unit's abolition or merger.
pub fn outer_border(state: &CurrentState, changeset: &Changeset) -> Result<(), RegistryError> {
    if changeset.document.is_some() {
        return Ok(());
    }
    for w in &changeset.writes {
        let (id, geometry) = match w {
            Write::Update { id, geometry, .. } => (*id, Some(geometry)),
            Write::Retire { id, .. } => (*id, None),
            Write::Create { .. } => continue,
        };
        let Some(v) = state.get(&id) else { continue };
        let Body::AdminUnit(u) = &v.body else {
            continue;
        };
        if u.level == crate::boundaries::UnitLevel::County && geometry != Some(&v.geometry) {
            return Err(RegistryError::Invalid(format!(
                "{} 的外围界线（国界与相邻旗县的界线）只能凭上级批准文件修改",
                u.name
            )));
        }
        // A new code, or a unit abolished (merged into another), is a change of the division
        // itself: it needs its document.
        let recoded =
            matches!(w, Write::Update { body: Body::AdminUnit(n), .. } if n.code != u.code);
        if recoded || matches!(w, Write::Retire { .. }) {
            return Err(RegistryError::Invalid(format!(
                "{} {} 的区划代码变更、撤销或合并须附批准文件",
                u.code.short(),
                u.name
            )));
        }
    }
    Ok(())
}

/// The write that gives the unit with division code `code` a new geometry from `on`.
pub(super) fn unit_geometry(
    state: &CurrentState,
    code: &str,
    geometry: Geometry<f64>,
    on: NaiveDate,
) -> Result<Write, RegistryError> {
    let v = state
        .layer(Layer::AdminUnit)
        .find(|v| matches!(&v.body, Body::AdminUnit(u) if u.code.short() == code))
        .ok_or_else(|| RegistryError::Invalid(format!("登记簿中没有单位 {code}")))?;
    Ok(Write::Update {
        id: v.id,
        base_version: v.version,
        valid_from: on,
        body: v.body.clone(),
        geometry,
    })
}

/// Distance in metres (EPSG:4546) between two stored points.
pub(super) fn distance_m(a: &Geometry<f64>, b: &Geometry<f64>) -> Result<f64, RegistryError> {
    let line = Geometry::LineString(geo::LineString::from(vec![
        match a {
            Geometry::Point(p) => p.0,
            _ => return Err(RegistryError::Invalid("界桩位置应为点".into())),
        },
        match b {
            Geometry::Point(p) => p.0,
            _ => return Err(RegistryError::Invalid("观测位置应为点".into())),
        },
    ]));
    crate::spatial::measure::length_m(&line).map_err(|e| RegistryError::Invalid(e.to_string()))
}

/// The part of a record's geometry a write changes: all of it for a creation or retirement,
/// the difference between old and new for an update (a unit's new name touches nothing).
pub(super) fn changed_part(
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

/// Refuses a changeset that edits inside the area of an open dispute (new door plates, places,
/// streets, markers, moved boundaries), unless it carries an officer's override, whose reason
/// is then written into the changeset's reason.
pub fn freeze(state: &CurrentState, mut changeset: Changeset) -> Result<Changeset, RegistryError> {
    use geo::Intersects;
    use geo::relate::Relate;
    let open: Vec<(&str, &Geometry<f64>)> = state
        .layer(Layer::Dispute)
        .filter_map(|v| match &v.body {
            Body::Dispute(d) if d.status.is_open() => Some((d.title.as_str(), &v.geometry)),
            _ => None,
        })
        .collect();
    if open.is_empty() {
        return Ok(changeset);
    }
    let mut hit: Option<(String, &str)> = None;
    for w in &changeset.writes {
        let (id, new) = match w {
            Write::Create {
                id, body, geometry, ..
            }
            | Write::Update {
                id, body, geometry, ..
            } => {
                if !body.layer().spec().frozen {
                    continue;
                }
                (*id, Some(geometry))
            }
            Write::Retire { id, .. } => (*id, None),
        };
        let old = state.get(&id);
        if old.is_some_and(|v| !v.layer().spec().frozen) {
            continue;
        }
        let Some(part) = changed_part(old.map(|v| &v.geometry), new) else {
            continue;
        };
        // Inside means sharing interior, not just touching the area's edge.
        if let Some((title, _)) = open
            .iter()
            .find(|(_, area)| area.intersects(&part) && !area.relate(&part).is_touches())
        {
            let what = old
                .map(|v| v.body.title())
                .or_else(|| match w {
                    Write::Create { body, .. } => Some(body.title()),
                    _ => None,
                })
                .unwrap_or_default();
            hit = Some((what, title));
            break;
        }
    }
    let Some((what, title)) = hit else {
        return Ok(changeset);
    };
    match changeset.freeze_override.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => {
            changeset.reason = format!(
                "{}［争议区“{title}”冻结期间修改，理由：{reason}］",
                changeset.reason
            );
            Ok(changeset)
        }
        _ => Err(RegistryError::Frozen(format!(
            "“{what}”位于边界争议“{title}”的争议区域内：争议解决前该区域冻结，如确需修改，须由工作人员写明理由"
        ))),
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
pub fn due(state: &CurrentState, today: NaiveDate, until: NaiveDate) -> Vec<Due> {
    let mut out = Vec::new();
    for v in state.layer(Layer::BoundaryLine) {
        let Body::BoundaryLine(l) = &v.body else {
            continue;
        };
        let date = l.next_inspection();
        if date <= until {
            out.push(Due {
                what: format!(
                    "{}—{}界线联合检查（每 {} 年）",
                    l.left_name, l.right_name, l.cycle_years
                ),
                date,
                overdue: date < today,
                record: v.id,
            });
        }
    }
    for v in state.layer(Layer::Agreement) {
        let Body::Agreement(a) = &v.body else {
            continue;
        };
        if a.renewal <= until {
            out.push(Due {
                what: format!(
                    "平安边界协议“{}”续签（{}）",
                    a.title,
                    a.party_names.join("、")
                ),
                date: a.renewal,
                overdue: a.renewal < today,
                record: v.id,
            });
        }
    }
    out.sort_by(|a, b| (a.date, &a.what).cmp(&(b.date, &b.what)));
    out
}
