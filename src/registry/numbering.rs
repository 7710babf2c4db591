//! Renumbering on the registry: applying a crosswalk, and the stages of a renumbering
//! campaign (门牌整编). Every step is one changeset; new numbers are written only over the
//! numbers the plan was made from, so a plate changed meanwhile refuses the whole step.

use super::{Registry, RegistryError};
use crate::addresses::DoorNumber;
use crate::addresses::numbering::{Campaign, CampaignError, Change, renumber};
use crate::model::{Body, Changeset, ChangesetError, RecordVersion, Write};
use crate::record::{ApprovalDocument, ChangesetId, RecordId};
use chrono::NaiveDate;
use geo::{BoundingRect, Geometry, MultiPolygon};
use std::collections::{BTreeMap, HashMap};

impl Registry {
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

    /// Updates of the plates whose number goes from `old` to `new`, refused if a plate no
    /// longer shows `old`.
    fn plate_writes<'a>(
        &self,
        lines: impl IntoIterator<Item = (RecordId, &'a DoorNumber, &'a DoorNumber)>,
        on: NaiveDate,
    ) -> Result<Vec<Write>, RegistryError> {
        let current = self.current();
        let mut writes = Vec::new();
        for (id, old, new) in lines.into_iter().filter(|(_, old, new)| old != new) {
            let plate = current
                .get(&id)
                .ok_or(RegistryError::Changeset(ChangesetError::NotFound(id)))?;
            let Body::DoorPlate(mut body) = plate.body.clone() else {
                return Err(RegistryError::NotNamed(id));
            };
            if body.number != *old {
                return Err(RegistryError::Renumbering(format!(
                    "门牌 {id} 在方案生成后已由 {old} 改为 {}，请重新生成方案",
                    body.number
                )));
            }
            body.number = new.clone();
            writes.push(Write::Update {
                id,
                base_version: plate.version,
                valid_from: on.max(plate.valid_from),
                body: Body::DoorPlate(body),
                geometry: plate.geometry.clone(),
            });
        }
        Ok(writes)
    }

    /// Writes the new numbers of `changes` (those that change) as one changeset.
    pub async fn apply_renumbering(
        &self,
        changes: &[Change],
        document: ApprovalDocument,
        author: &str,
        valid_from: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let writes = self.plate_writes(
            changes.iter().map(|c| (c.plate, &c.old, &c.new)),
            valid_from,
        )?;
        let mut cs = Changeset::new(author, format!("门牌重新编排（{} 处变更）", writes.len()));
        cs.document = Some(document);
        cs.writes = writes;
        self.commit(cs).await
    }

    fn campaign(&self, id: RecordId) -> Result<(RecordVersion, Campaign), RegistryError> {
        let v = self
            .current()
            .get(&id)
            .cloned()
            .ok_or(RegistryError::Changeset(ChangesetError::NotFound(id)))?;
        match &v.body {
            Body::Campaign(c) => {
                let c = c.clone();
                Ok((v, *c))
            }
            _ => Err(RegistryError::Renumbering(format!(
                "记录 {id} 不是门牌整编"
            ))),
        }
    }

    /// The update of a campaign record to its next stage.
    fn campaign_write(v: &RecordVersion, next: Campaign, on: NaiveDate) -> Write {
        Write::Update {
            id: v.id,
            base_version: v.version,
            valid_from: on.max(v.valid_from),
            body: Body::from(next),
            geometry: v.geometry.clone(),
        }
    }

    /// One stage of a campaign: `step` turns it into the next, which is committed alone.
    async fn campaign_step(
        &self,
        id: RecordId,
        reason: String,
        document: Option<ApprovalDocument>,
        author: &str,
        on: NaiveDate,
        step: impl FnOnce(&Campaign) -> Result<Campaign, CampaignError>,
    ) -> Result<ChangesetId, RegistryError> {
        let (v, c) = self.campaign(id)?;
        let next = step(&c).map_err(|error| RegistryError::Campaign { id, error })?;
        let mut cs = Changeset::new(author, reason);
        cs.document = document;
        cs.writes.push(Self::campaign_write(&v, next, on));
        self.commit(cs).await
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
            body: Body::from(Campaign::draft(name, streets, &changes)),
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
        let (_, c) = self.campaign(id)?;
        let mut all = c.pins();
        for (plate, n) in pins {
            if !c.lines.iter().any(|l| l.plate == *plate) {
                return Err(RegistryError::Campaign {
                    id,
                    error: CampaignError::NotInCampaign(*plate),
                });
            }
            all.retain(|(p, _)| p != plate);
            all.push((*plate, n.clone()));
        }
        let changes = self.renumbering(&c.streets, &all)?;
        self.campaign_step(
            id,
            "门牌整编：审核调整".into(),
            None,
            author,
            on,
            |c| c.reviewed(&changes),
        )
        .await
    }

    pub async fn approve_campaign(
        &self,
        id: RecordId,
        document: ApprovalDocument,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let doc = document.clone();
        self.campaign_step(
            id,
            "门牌整编：批准".into(),
            Some(document),
            author,
            on,
            |c| c.approved(doc),
        )
        .await
    }

    /// Writes the campaign's new numbers and its new stage in one changeset.
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
        cs.writes = self.plate_writes(c.lines.iter().map(|l| (l.plate, &l.old, &l.new)), on)?;
        cs.writes.push(Self::campaign_write(&v, next, on));
        self.commit(cs).await
    }

    pub async fn install_campaign(
        &self,
        id: RecordId,
        plates: &[RecordId],
        installed_on: NaiveDate,
        author: &str,
    ) -> Result<ChangesetId, RegistryError> {
        let reason = format!("门牌整编：登记安装 {} 块", plates.len());
        self.campaign_step(id, reason, None, author, installed_on, |c| {
            c.installed(plates, installed_on)
        })
        .await
    }

    pub async fn close_campaign(
        &self,
        id: RecordId,
        author: &str,
        on: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        self.campaign_step(
            id,
            "门牌整编：完成".into(),
            None,
            author,
            on,
            Campaign::closed,
        )
        .await
    }

    /// Plates of a campaign installed so far, by unit: (unit name, plates, installed).
    pub fn campaign_progress(
        &self,
        id: RecordId,
    ) -> Result<Vec<(String, usize, usize)>, RegistryError> {
        let (_, c) = self.campaign(id)?;
        let current = self.current();
        let mut by_unit: BTreeMap<String, (usize, usize)> = BTreeMap::new();
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

/// 同一街路巷门牌号不得重复 ([`crate::addresses::numbering::unique_numbers`]), checked under
/// the writer's lock, so two changesets planned side by side cannot both take a number.
pub(super) fn unique_numbers(
    state: &crate::model::CurrentState,
    after: &crate::model::After,
) -> Result<(), RegistryError> {
    crate::addresses::numbering::unique_numbers(state, after).map_err(|t| {
        RegistryError::DuplicateNumber {
            id: t.id,
            other: t.other,
            street: t.street,
            number: t.number,
        }
    })
}
