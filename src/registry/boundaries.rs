//! Boundaries on the registry: the rules a changeset touching boundary markers must keep (a
//! complete register entry, a unique number, a document to move a marker), and field
//! observations of markers.

use super::{Registry, RegistryError};
use crate::boundaries::marker::{Marker, MarkerState, Observation, is_alert};
use crate::cemetery::{Grave, Plot};
use crate::model::{Body, Changeset, CurrentState, Layer, Variant, Write};
use crate::record::{ChangesetId, RecordId};
use chrono::NaiveDate;
use geo::Geometry;

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
fn unit_geometry(
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
fn distance_m(a: &Geometry<f64>, b: &Geometry<f64>) -> Result<f64, RegistryError> {
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

impl Registry {
    /// Records a field observation of the marker `number`: where it was found (`at`, or
    /// nothing when it is missing) and its state. The marker is never moved; an offset
    /// beyond the tolerance, a damaged or a missing marker is an alert. Returns the offset,
    /// whether it is an alert, and the changeset.
    pub async fn observe_marker(
        &self,
        author: &str,
        number: &str,
        visit: crate::boundaries::marker::Visit,
    ) -> Result<(f64, bool, ChangesetId), RegistryError> {
        let crate::boundaries::marker::Visit {
            at,
            state,
            notes,
            photos,
            date,
        } = visit;
        for p in &photos {
            if !self.store.has_attachment(p).await? {
                return Err(RegistryError::Invalid(format!("照片 {p} 不存在，请先上传")));
            }
        }
        let (marker, registered) = {
            let current = self.current();
            let (v, _) = current
                .versions::<Marker>()
                .find(|(_, m)| m.number == number)
                .ok_or_else(|| RegistryError::Invalid(format!("没有编号为 {number} 的界桩")))?;
            (v.id, v.geometry.clone())
        };
        if at.is_none() && state != MarkerState::Missing {
            return Err(RegistryError::Invalid("未丢失的界桩须给出观测位置".into()));
        }
        let observed = at.map_or_else(|| registered.clone(), Geometry::Point);
        crate::spatial::validate(&observed, &self.config.jurisdiction.extent).map_err(
            |invalid| RegistryError::Geometry {
                id: marker,
                invalid,
            },
        )?;
        let offset = if at.is_some() {
            distance_m(&registered, &observed)?
        } else {
            0.0
        };
        let alert = is_alert(state, offset, self.config.jurisdiction.marker_tolerance_m);
        let mut cs = Changeset::new(
            author,
            format!(
                "界桩 {number} 实地观测：{}，偏离登记位置 {offset:.2} 米{}",
                state.label(),
                if alert { "（告警）" } else { "" }
            ),
        );
        cs.push(Write::Create {
            id: RecordId::new(),
            valid_from: date,
            body: Body::MarkerObservation(Observation {
                marker,
                date,
                observer: author.to_string(),
                state,
                offset_m: offset,
                alert,
                notes,
                photos,
                source: crate::record::Source::Survey,
            }),
            geometry: observed,
        });
        let id = self.commit(cs).await?;
        Ok((offset, alert, id))
    }
}

/// Layers whose edits a dispute freezes (`LayerSpec::frozen`): what is inside the area, and
/// the lines themselves.
fn frozen_layer(layer: Layer) -> bool {
    layer.spec().frozen
}

/// The part of a record's geometry a write changes: all of it for a creation or retirement,
/// the difference between old and new for an update (a unit's new name touches nothing).
fn changed_part(old: Option<&Geometry<f64>>, new: Option<&Geometry<f64>>) -> Option<Geometry<f64>> {
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
                if !frozen_layer(body.layer()) {
                    continue;
                }
                (*id, Some(geometry))
            }
            Write::Retire { id, .. } => (*id, None),
        };
        let old = state.get(&id);
        if old.is_some_and(|v| !frozen_layer(v.layer())) {
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

/// A filed dispute's record: the disputed area from the claims, and what lies in it.
pub fn new_dispute(
    state: &CurrentState,
    title: &str,
    parties: Vec<crate::boundaries::dispute::Party>,
    evidence: Vec<crate::boundaries::dispute::Evidence>,
    filed: NaiveDate,
) -> Result<(crate::boundaries::dispute::Dispute, Geometry<f64>), RegistryError> {
    use crate::boundaries::dispute::{Contents, Dispute, DisputeStatus, Step, disputed_area};
    use geo::Intersects;
    let area = disputed_area(&parties).map_err(|e| RegistryError::Invalid(e.to_string()))?;
    let geometry = Geometry::MultiPolygon(area);
    let area_m2 = crate::spatial::measure::area_m2(&geometry)
        .map_err(|e| RegistryError::Invalid(e.to_string()))?;
    let count = |layer| {
        state
            .layer(layer)
            .filter(|v| v.geometry.intersects(&geometry))
            .count()
    };
    let contents = Contents {
        door_plates: count(Layer::DoorPlate),
        places: count(Layer::Place),
        streets: count(Layer::Street),
        markers: count(Marker::LAYER),
        plots: count(Plot::LAYER),
        graves: count(Grave::LAYER),
    };
    Ok((
        Dispute {
            title: title.to_string(),
            parties,
            evidence,
            status: DisputeStatus::Filed,
            steps: vec![Step {
                status: DisputeStatus::Filed,
                date: filed,
                document: None,
                note: String::new(),
            }],
            area_m2,
            contents,
            source: crate::record::Source::Survey,
        },
        geometry,
    ))
}

impl Registry {
    /// Files a dispute; returns its id.
    pub async fn file_dispute(
        &self,
        author: &str,
        title: &str,
        parties: Vec<crate::boundaries::dispute::Party>,
        evidence: Vec<crate::boundaries::dispute::Evidence>,
        filed: NaiveDate,
    ) -> Result<(RecordId, ChangesetId), RegistryError> {
        let (dispute, geometry) = new_dispute(&self.current(), title, parties, evidence, filed)?;
        let id = RecordId::new();
        let mut cs = Changeset::new(author, format!("受理边界争议：{title}"));
        cs.push(Write::Create {
            id,
            valid_from: filed,
            body: Body::Dispute(dispute),
            geometry,
        });
        Ok((id, self.commit(cs).await?))
    }

    /// Moves a dispute one step (not to a decision: see [`Registry::decide_dispute`]).
    pub async fn dispute_step(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        step: crate::boundaries::dispute::Step,
    ) -> Result<ChangesetId, RegistryError> {
        use crate::boundaries::dispute::DisputeStatus;
        let crate::boundaries::dispute::Step {
            status,
            date,
            document,
            note,
        } = step;
        if status == DisputeStatus::Decided {
            return Err(RegistryError::Invalid(
                "裁决须同时给出各单位的新界线（decide）".into(),
            ));
        }
        let (d, geometry) = self.dispute(id)?;
        // A step taken on an old version is stale before it is anything else: someone moved
        // the dispute on meanwhile.
        if let Some(v) = self.current().get(&id)
            && v.version != base_version
        {
            return Err(crate::model::ChangesetError::Stale {
                id,
                expected: base_version,
                actual: v.version,
            }
            .into());
        }
        let next = d
            .moved(status, date, document.clone(), &note)
            .map_err(|e| RegistryError::Invalid(e.to_string()))?;
        let mut cs = Changeset::new(author, format!("边界争议“{}”：{}", d.title, status.label()));
        cs.document = document;
        cs.push(Write::Update {
            id,
            base_version,
            valid_from: date,
            body: Body::Dispute(next),
            geometry,
        });
        self.commit(cs).await
    }

    fn dispute(
        &self,
        id: RecordId,
    ) -> Result<(crate::boundaries::dispute::Dispute, Geometry<f64>), RegistryError> {
        match self.current().get(&id) {
            Some(v) => match &v.body {
                Body::Dispute(d) => Ok((d.clone(), v.geometry.clone())),
                _ => Err(crate::model::ChangesetError::NotFound(id).into()),
            },
            None => Err(crate::model::ChangesetError::NotFound(id).into()),
        }
    }

    /// Applies the decision: the units named get their new geometry and the dispute is closed,
    /// in one changeset with the decision's document. Units must be the dispute's parties.
    pub async fn decide_dispute(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        units: Vec<(String, Geometry<f64>)>,
        document: crate::record::ApprovalDocument,
        date: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        use crate::boundaries::dispute::DisputeStatus;
        let (d, area) = self.dispute(id)?;
        let next = d
            .moved(DisputeStatus::Decided, date, Some(document.clone()), "")
            .map_err(|e| RegistryError::Invalid(e.to_string()))?;
        let mut cs = Changeset::new(author, format!("边界争议“{}”裁决", d.title))
            .with_document(document)
            .with_freeze_override("执行争议裁决");
        cs.push(Write::Update {
            id,
            base_version,
            valid_from: date,
            body: Body::Dispute(next),
            geometry: area,
        });
        {
            let state = self.current();
            for (code, geometry) in units {
                if !d.parties.iter().any(|p| p.code == code) {
                    return Err(RegistryError::Invalid(format!(
                        "{code} 不是争议“{}”的当事单位",
                        d.title
                    )));
                }
                cs.push(unit_geometry(&state, &code, geometry, date)?);
            }
        }
        self.commit(cs).await
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

impl Registry {
    /// Derives the boundary lines between sibling units (same parent) from their shared edges,
    /// in one changeset: new lines are created (not agreed until a document says so), existing
    /// ones get the new geometry and edge-matching status and keep their legal status,
    /// document and inspections. Returns how many lines were written.
    pub async fn derive_lines(&self, author: &str, on: NaiveDate) -> Result<usize, RegistryError> {
        use crate::boundaries::line::{BoundaryLine, DEFAULT_CYCLE_YEARS, LegalStatus, derive};
        let mut cs = Changeset::new(author, "由区域公共边生成界线");
        {
            let state = self.current();
            let units: Vec<crate::boundaries::line::UnitShape> = state
                .layer(Layer::AdminUnit)
                .filter_map(|v| match &v.body {
                    Body::AdminUnit(u) => Some((
                        u.code.short(),
                        u.name.clone(),
                        u.parent.map(|p| p.short()),
                        v.geometry.clone(),
                    )),
                    _ => None,
                })
                .collect();
            let existing: std::collections::BTreeMap<
                (String, String),
                (RecordId, u32, BoundaryLine),
            > = state
                .layer(Layer::BoundaryLine)
                .filter_map(|v| match &v.body {
                    Body::BoundaryLine(l) => Some((l.pair(), (v.id, v.version, l.clone()))),
                    _ => None,
                })
                .collect();
            for d in derive(&units) {
                let geometry = Geometry::MultiLineString(d.line);
                let length_m = crate::spatial::measure::length_m(&geometry)
                    .map_err(|e| RegistryError::Invalid(e.to_string()))?;
                if length_m < 1.0 {
                    continue; // they meet at a point
                }
                let pair = (d.left.0.clone(), d.right.0.clone());
                match existing.get(&pair) {
                    Some((id, version, old)) => {
                        let mut next = old.clone();
                        next.technical = d.technical;
                        // Lengths to the centimetre: the same edge, traced again, is no change.
                        if (old.length_m - length_m).abs() >= 0.01 {
                            next.length_m = length_m;
                        }
                        if next != *old {
                            cs.push(Write::Update {
                                id: *id,
                                base_version: *version,
                                valid_from: on,
                                body: Body::BoundaryLine(next),
                                geometry,
                            });
                        }
                    }
                    None => {
                        cs.push(Write::Create {
                            id: RecordId::derived(&format!("line/{}/{}", pair.0, pair.1)),
                            valid_from: on,
                            body: Body::BoundaryLine(BoundaryLine {
                                left: d.left.0,
                                left_name: d.left.1,
                                right: d.right.0,
                                right_name: d.right.1,
                                legal: LegalStatus::NotAgreed,
                                technical: d.technical,
                                document: None,
                                cycle_years: DEFAULT_CYCLE_YEARS,
                                established: on,
                                last_inspected: None,
                                length_m,
                                source: crate::record::Source::Survey,
                            }),
                            geometry,
                        });
                    }
                }
            }
        }
        let n = cs.writes.len();
        if n > 0 {
            self.commit(cs).await?;
        }
        Ok(n)
    }

    /// Records a joint inspection of the line between units `a` and `b` and its date on the
    /// line, in one changeset.
    pub async fn inspect_line(
        &self,
        author: &str,
        a: &str,
        b: &str,
        mut inspection: crate::boundaries::line::LineInspection,
    ) -> Result<RecordId, RegistryError> {
        let (id, version, mut line, geometry) = {
            let state = self.current();
            let found = state
                .layer(Layer::BoundaryLine)
                .find_map(|v| match &v.body {
                    Body::BoundaryLine(l)
                        if (l.left == a && l.right == b) || (l.left == b && l.right == a) =>
                    {
                        Some((v.id, v.version, l.clone(), v.geometry.clone()))
                    }
                    _ => None,
                });
            found.ok_or_else(|| {
                RegistryError::Invalid(format!("没有 {a} 与 {b} 之间的界线：请先生成界线"))
            })?
        };
        inspection.line = id;
        let date = inspection.date;
        line.last_inspected = Some(date);
        let record = RecordId::new();
        let mut cs = Changeset::new(
            author,
            format!("{}—{}界线联合检查", line.left_name, line.right_name),
        );
        cs.push(Write::Create {
            id: record,
            valid_from: date,
            body: Body::LineInspection(inspection),
            geometry: geometry.clone(),
        });
        cs.push(Write::Update {
            id,
            base_version: version,
            valid_from: date,
            body: Body::BoundaryLine(line),
            geometry,
        });
        self.commit(cs).await?;
        Ok(record)
    }

    /// Adds a joint meeting to an agreement.
    pub async fn agreement_meeting(
        &self,
        author: &str,
        id: RecordId,
        meeting: crate::boundaries::line::Meeting,
    ) -> Result<ChangesetId, RegistryError> {
        let (version, mut agreement, geometry) = match self.current().get(&id) {
            Some(v) => match &v.body {
                Body::Agreement(a) => (v.version, a.clone(), v.geometry.clone()),
                _ => return Err(crate::model::ChangesetError::NotFound(id).into()),
            },
            None => return Err(crate::model::ChangesetError::NotFound(id).into()),
        };
        let date = meeting.date;
        let mut cs = Changeset::new(author, format!("平安边界协议“{}”联席会议", agreement.title));
        agreement.meetings.push(meeting);
        cs.push(Write::Update {
            id,
            base_version: version,
            valid_from: date,
            body: Body::Agreement(agreement),
            geometry,
        });
        self.commit(cs).await
    }

    /// Registers a 平安边界 agreement between units; its geometry is the lines between them.
    pub async fn add_agreement(
        &self,
        author: &str,
        agreement: crate::boundaries::line::Agreement,
    ) -> Result<RecordId, RegistryError> {
        let lines: Vec<geo::LineString<f64>> = self
            .current()
            .layer(Layer::BoundaryLine)
            .filter_map(|v| match (&v.body, &v.geometry) {
                (Body::BoundaryLine(l), Geometry::MultiLineString(m))
                    if agreement.parties.contains(&l.left)
                        && agreement.parties.contains(&l.right) =>
                {
                    Some(m.0.clone())
                }
                _ => None,
            })
            .flatten()
            .collect();
        if lines.is_empty() {
            return Err(RegistryError::Invalid(format!(
                "{} 之间没有界线：请先生成界线",
                agreement.party_names.join("、")
            )));
        }
        let id = RecordId::new();
        let mut cs = Changeset::new(author, format!("登记平安边界协议：{}", agreement.title));
        cs.push(Write::Create {
            id,
            valid_from: agreement.signed,
            body: Body::Agreement(agreement),
            geometry: Geometry::MultiLineString(geo::MultiLineString(lines)),
        });
        self.commit(cs).await?;
        Ok(id)
    }
}

impl Registry {
    /// Repair proposals for every parent whose children do not tile it, numbered from 1 in a
    /// stable order (by parent, then as the check reports).
    pub fn repair_proposals(
        &self,
    ) -> Result<Vec<crate::boundaries::repair::Proposal>, RegistryError> {
        let state = self.current();
        let mut units: std::collections::BTreeMap<String, (String, Geometry<f64>)> =
            std::collections::BTreeMap::new();
        let mut children: std::collections::BTreeMap<String, Vec<(String, Geometry<f64>)>> =
            std::collections::BTreeMap::new();
        for v in state.layer(Layer::AdminUnit) {
            let Body::AdminUnit(u) = &v.body else {
                continue;
            };
            let label = format!("{} {}", u.code.short(), u.name);
            units.insert(u.code.short(), (label.clone(), v.geometry.clone()));
            if let Some(p) = u.parent {
                children
                    .entry(p.short())
                    .or_default()
                    .push((label, v.geometry.clone()));
            }
        }
        let mut out = Vec::new();
        for (parent, mut kids) in children {
            let Some((plabel, pgeom)) = units.get(&parent) else {
                continue;
            };
            kids.sort_by(|a, b| a.0.cmp(&b.0));
            let findings = crate::spatial::coverage::check_tiling(
                pgeom,
                &kids,
                self.config.jurisdiction.coverage,
            )
            .map_err(|e| RegistryError::Invalid(e.to_string()))?;
            out.extend(crate::boundaries::repair::propose(plabel, &kids, &findings));
        }
        Ok(out)
    }

    /// Accepts proposal `number` (from 1) into one changeset with its document.
    pub async fn accept_repair(
        &self,
        author: &str,
        number: usize,
        document: crate::record::ApprovalDocument,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let proposals = self.repair_proposals()?;
        let p = number
            .checked_sub(1)
            .and_then(|i| proposals.get(i))
            .ok_or_else(|| {
                RegistryError::Invalid(format!(
                    "没有第 {number} 号修复建议（共 {} 条）",
                    proposals.len()
                ))
            })?;
        let mut cs = Changeset::new(author, format!("接受界线修复建议：{}", p.description))
            .with_document(document);
        {
            let state = self.current();
            for (label, geometry) in &p.changes {
                let code = label.split_whitespace().next().unwrap_or_default();
                cs.push(unit_geometry(&state, code, geometry.clone(), on)?);
            }
        }
        self.commit(cs).await
    }
}
