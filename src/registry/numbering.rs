//! Applying a renumbering: every changed plate in one changeset, on the authority of the
//! approving document.

use super::{Registry, RegistryError};
use crate::addresses::numbering::Change;
use crate::layers::Body;
use crate::record::{ApprovalDocument, Changeset, ChangesetId, Write};
use chrono::NaiveDate;

impl Registry {
    /// Writes the new numbers of `changes` (those that change) as one changeset. A plate
    /// changed since the crosswalk was made is stale, and nothing is written.
    pub async fn apply_renumbering(
        &self,
        changes: &[Change],
        document: ApprovalDocument,
        author: &str,
        valid_from: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let mut cs = Changeset::new(
            author,
            format!(
                "门牌重新编排（{} 处变更）",
                changes.iter().filter(|c| c.changes()).count()
            ),
        );
        cs.document = Some(document);
        {
            let current = self.current();
            for c in changes.iter().filter(|c| c.changes()) {
                let v = current.get(&c.plate).ok_or(RegistryError::Changeset(
                    crate::record::ChangesetError::NotFound(c.plate),
                ))?;
                let Body::DoorPlate(mut plate) = v.body.clone() else {
                    return Err(RegistryError::NotNamed(c.plate));
                };
                plate.number = c.new.clone();
                cs.writes.push(Write::Update {
                    id: c.plate,
                    base_version: c.version,
                    valid_from: valid_from.max(v.valid_from),
                    body: Body::DoorPlate(plate),
                    geometry: v.geometry.clone(),
                });
            }
        }
        self.commit(cs).await
    }
}

use crate::addresses::DoorNumber;
use crate::addresses::numbering::{Campaign, renumber};
use crate::record::{RecordId, RecordVersion};
use geo::{BoundingRect, Geometry, MultiPolygon};
use std::collections::HashMap;

impl Registry {
    fn campaign(&self, id: RecordId) -> Result<(RecordVersion, Campaign), RegistryError> {
        let v = self
            .current()
            .get(&id)
            .cloned()
            .ok_or(RegistryError::Changeset(
                crate::record::ChangesetError::NotFound(id),
            ))?;
        match &v.body {
            Body::Campaign(c) => {
                let c = c.clone();
                Ok((v, c))
            }
            _ => Err(RegistryError::Renumbering(format!(
                "记录 {id} 不是门牌整编"
            ))),
        }
    }

    /// The engine's numbers for the plates of `streets`, holding `pins`.
    pub fn renumbering(
        &self,
        streets: &[RecordId],
        pins: &[(RecordId, DoorNumber)],
    ) -> Result<Vec<Change>, RegistryError> {
        let pins: HashMap<RecordId, DoorNumber> = pins.iter().cloned().collect();
        renumber(&self.current(), &self.config.numbering, streets, &pins)
            .map_err(RegistryError::Renumbering)
    }

    /// The area of a campaign: the box around its streets.
    fn area(&self, streets: &[RecordId]) -> Result<Geometry<f64>, RegistryError> {
        let current = self.current();
        let rect = streets
            .iter()
            .filter_map(|id| current.get(id))
            .filter_map(|v| v.geometry.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! {x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y)},
                    geo::coord! {x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y)},
                )
            })
            .ok_or_else(|| RegistryError::Renumbering("整编范围内没有街路巷".into()))?;
        // A street running exactly east–west has a flat box; give it some width.
        let m = 0.0005;
        let rect = geo::Rect::new(
            geo::coord! {x: rect.min().x - m, y: rect.min().y - m},
            geo::coord! {x: rect.max().x + m, y: rect.max().y + m},
        );
        Ok(Geometry::MultiPolygon(MultiPolygon(vec![
            rect.to_polygon(),
        ])))
    }

    async fn save_campaign(
        &self,
        v: &RecordVersion,
        next: Campaign,
        reason: String,
        document: Option<ApprovalDocument>,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let mut cs = Changeset::new(author, reason);
        cs.document = document;
        cs.writes.push(Write::Update {
            id: v.id,
            base_version: v.version,
            valid_from: on.max(v.valid_from),
            body: Body::Campaign(next),
            geometry: v.geometry.clone(),
        });
        self.commit(cs).await
    }

    /// A new campaign over `streets`: the engine's proposal, as a draft.
    pub async fn create_campaign(
        &self,
        name: &str,
        streets: Vec<RecordId>,
        author: &str,
        on: NaiveDate,
    ) -> Result<RecordId, RegistryError> {
        let changes = self.renumbering(&streets, &[])?;
        let geometry = self.area(&streets)?;
        let id = RecordId::new();
        let mut cs = Changeset::new(author, format!("门牌整编方案：{name}"));
        cs.writes.push(Write::Create {
            id,
            valid_from: on,
            body: Body::Campaign(Campaign::draft(name, streets, &changes)),
            geometry,
        });
        self.commit(cs).await?;
        Ok(id)
    }

    /// Pins numbers; the rest of the campaign re-flows around them.
    pub async fn pin_campaign(
        &self,
        id: RecordId,
        pins: &[(RecordId, DoorNumber)],
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let mut all = c.pins();
        for (plate, n) in pins {
            if !c.lines.iter().any(|l| l.plate == *plate) {
                return Err(RegistryError::Campaign {
                    id,
                    error: crate::addresses::numbering::CampaignError::NotInCampaign(*plate),
                });
            }
            all.retain(|(p, _)| p != plate);
            all.push((*plate, n.clone()));
        }
        let changes = self.renumbering(&c.streets, &all)?;
        let next = c
            .reviewed(&changes)
            .map_err(|error| RegistryError::Campaign { id, error })?;
        self.save_campaign(&v, next, "门牌整编：审核调整".into(), None, author, on)
            .await
    }

    pub async fn approve_campaign(
        &self,
        id: RecordId,
        document: ApprovalDocument,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let next = c
            .approved(document.clone())
            .map_err(|error| RegistryError::Campaign { id, error })?;
        self.save_campaign(
            &v,
            next,
            "门牌整编：批准".into(),
            Some(document),
            author,
            on,
        )
        .await
    }

    /// Writes the campaign's new numbers and its new stage in one changeset. A plate whose
    /// number changed since the plan was made refuses the whole application.
    pub async fn apply_campaign(
        &self,
        id: RecordId,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let next = c
            .applied()
            .map_err(|error| RegistryError::Campaign { id, error })?;
        let mut cs = Changeset::new(
            author,
            format!("门牌整编写入：{}（{} 处变更）", c.name, c.changed()),
        );
        cs.document = c.document.clone();
        {
            let current = self.current();
            for line in c.lines.iter().filter(|l| l.old != l.new) {
                let plate = current.get(&line.plate).ok_or(RegistryError::Changeset(
                    crate::record::ChangesetError::NotFound(line.plate),
                ))?;
                let Body::DoorPlate(mut body) = plate.body.clone() else {
                    return Err(RegistryError::NotNamed(line.plate));
                };
                if body.number != line.old {
                    return Err(RegistryError::Renumbering(format!(
                        "门牌 {} 在方案生成后已由 {} 改为 {}，请重新审核整编方案",
                        line.plate, line.old, body.number
                    )));
                }
                body.number = line.new.clone();
                cs.writes.push(Write::Update {
                    id: line.plate,
                    base_version: plate.version,
                    valid_from: on.max(plate.valid_from),
                    body: Body::DoorPlate(body),
                    geometry: plate.geometry.clone(),
                });
            }
        }
        cs.writes.push(Write::Update {
            id,
            base_version: v.version,
            valid_from: on.max(v.valid_from),
            body: Body::Campaign(next),
            geometry: v.geometry.clone(),
        });
        self.commit(cs).await
    }

    pub async fn install_campaign(
        &self,
        id: RecordId,
        plates: &[RecordId],
        installed_on: NaiveDate,
        author: &str,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let next = c
            .installed(plates, installed_on)
            .map_err(|error| RegistryError::Campaign { id, error })?;
        self.save_campaign(
            &v,
            next,
            format!("门牌整编：登记安装 {} 块", plates.len()),
            None,
            author,
            installed_on,
        )
        .await
    }

    pub async fn close_campaign(
        &self,
        id: RecordId,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let next = c
            .closed()
            .map_err(|error| RegistryError::Campaign { id, error })?;
        self.save_campaign(&v, next, "门牌整编：完成".into(), None, author, on)
            .await
    }

    /// Plates of a campaign installed so far, by unit: (unit name, plates, installed).
    pub fn campaign_progress(
        &self,
        id: RecordId,
    ) -> Result<Vec<(String, usize, usize)>, RegistryError> {
        let (_, c) = self.campaign(id)?;
        let current = self.current();
        let mut by_unit: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for line in &c.lines {
            let unit = current
                .get(&line.plate)
                .and_then(|p| match &p.geometry {
                    Geometry::Point(pt) => current.unit_at(pt.0).map(|u| u.body.title()),
                    _ => None,
                })
                .unwrap_or_else(|| "（未落入任何区域）".into());
            let e = by_unit.entry(unit).or_default();
            e.0 += 1;
            e.1 += usize::from(line.installed_on.is_some());
        }
        Ok(by_unit.into_iter().map(|(u, (n, i))| (u, n, i)).collect())
    }
}
