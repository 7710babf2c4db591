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
