//! Boundaries on the registry: the boundary rules of `crate::boundaries::rules` applied to
//! every changeset (`rules`), and the boundary office's steps: field observations of markers,
//! lines and their inspections, disputes and their decisions.

mod register;
mod rules;

pub use register::Relocation;
pub use rules::*;

use super::{Registry, RegistryError};
use crate::boundaries::marker::{Marker, MarkerState, Observation, is_alert};
use crate::cemetery::{Grave, Plot};
use crate::model::{Body, Changeset, CurrentState, Layer, Variant, Write};
use crate::record::{ChangesetId, RecordId, View as _};
use chrono::NaiveDate;
use geo::Geometry;
use std::sync::Arc;

impl Registry {
    /// The coverage check of the registry's units and markers (overlaps, gaps, unmatched
    /// edges, markers off their line), kept until a unit or a marker changes.
    pub fn boundary_check(
        &self,
    ) -> Result<Arc<crate::boundaries::check::Report>, crate::spatial::crs::CrsError> {
        let config = &self.config;
        let checked = self.derived(
            "boundaries.check",
            &[Layer::AdminUnit, Marker::LAYER],
            |state| {
                crate::boundaries::check::check_registry(
                    state,
                    None,
                    config.jurisdiction.coverage,
                    crate::boundaries::check::EdgeTolerance::default(),
                    config.jurisdiction.marker_tolerance_m,
                )
                .map(Arc::new)
            },
        );
        (*checked).clone()
    }

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
            body: Body::from(Observation {
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
            body: Body::from(dispute),
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
            body: Body::from(next),
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
                Body::Dispute(d) => Ok(((**d).clone(), v.geometry.clone())),
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
            body: Body::from(next),
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

impl Registry {
    /// Decides a dispute by awarding its whole area to one party: the winner's unit gains
    /// the area, every other party's unit loses it; one changeset with the decision's
    /// document (see [`Registry::decide_dispute`]).
    pub async fn award_disputed_area(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        winner: &str,
        document: crate::record::ApprovalDocument,
        date: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        use geo::BooleanOps;
        let (d, area) = self.dispute(id)?;
        if !d.parties.iter().any(|p| p.code == winner) {
            return Err(RegistryError::Invalid(format!(
                "{winner} 不是争议“{}”的当事单位",
                d.title
            )));
        }
        let area = match area {
            Geometry::MultiPolygon(m) => m,
            Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
            _ => return Err(RegistryError::Invalid("争议区域应为面".into())),
        };
        let units = {
            let state = self.current();
            let mut units = Vec::new();
            for p in &d.parties {
                let shape = state
                    .versions::<crate::boundaries::AdminUnit>()
                    .find(|(_, u)| u.code.short() == p.code)
                    .and_then(|(v, _)| match &v.geometry {
                        Geometry::MultiPolygon(m) => Some(m.clone()),
                        Geometry::Polygon(p) => Some(geo::MultiPolygon(vec![p.clone()])),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        RegistryError::Invalid(format!("登记簿中没有单位 {} 的范围", p.code))
                    })?;
                let next = if p.code == winner {
                    shape.union(&area)
                } else {
                    shape.difference(&area)
                };
                units.push((p.code.clone(), Geometry::MultiPolygon(next)));
            }
            units
        };
        self.decide_dispute(author, id, base_version, units, document, date)
            .await
    }

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
                    Body::BoundaryLine(l) => Some((l.pair(), (v.id, v.version, (**l).clone()))),
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
                                body: Body::from(next),
                                geometry,
                            });
                        }
                    }
                    None => {
                        cs.push(Write::Create {
                            id: RecordId::derived(&format!("line/{}/{}", pair.0, pair.1)),
                            valid_from: on,
                            body: Body::from(BoundaryLine {
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
            body: Body::from(inspection),
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
    /// The parties' names are read from the registry when the agreement does not give them.
    pub async fn add_agreement(
        &self,
        author: &str,
        mut agreement: crate::boundaries::line::Agreement,
    ) -> Result<RecordId, RegistryError> {
        if agreement.party_names.is_empty() {
            let state = self.current();
            agreement.party_names = agreement
                .parties
                .iter()
                .map(|code| {
                    state
                        .each::<crate::boundaries::AdminUnit>()
                        .find(|u| u.body.code.short() == *code)
                        .map(|u| u.body.name.clone())
                        .ok_or_else(|| RegistryError::Invalid(format!("登记簿中没有单位 {code}")))
                })
                .collect::<Result<_, _>>()?;
        }
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
            body: Body::from(agreement),
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
