//! Correcting a burial record: an error in the registration put right (the deceased's
//! particulars, the disposition, the certificate, the exemption), with its reason kept in the
//! changeset. Where the remains rest (the plot or site), the cremation zone found at
//! registration and who registered it stay: a move is a relocation, not a correction. The
//! cemetery rules of the commit path judge the corrected record as they judged the first.

use super::super::{Registry, RegistryError};
use super::rules::invalid;
use crate::cemetery::{Burial, Deceased, Disposition};
use crate::model::{Changeset, ChangesetError, Write};
use crate::record::{ChangesetId, RecordId};

/// What a correction puts right, and why.
#[derive(Debug, Clone)]
pub struct BurialCorrection {
    pub deceased: Deceased,
    pub disposition: Disposition,
    pub cremation_certificate: Option<String>,
    pub exemption: Option<String>,
    /// A document the correction rests on, added to the record's documents.
    pub document: Option<String>,
    pub reason: String,
}

impl Registry {
    /// Corrects the burial `id` as of `base_version` (a stale version is refused).
    pub async fn correct_burial(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        c: BurialCorrection,
    ) -> Result<ChangesetId, RegistryError> {
        let reason = c.reason.trim();
        if reason.is_empty() {
            return Err(invalid("更正殡葬登记须说明原因"));
        }
        let (mut burial, geometry, valid_from) = self
            .current()
            .version::<Burial>(&id)
            .map(|(v, b)| (b.clone(), v.geometry.clone(), v.valid_from))
            .ok_or(ChangesetError::NotFound(id))?;
        burial.deceased = c.deceased;
        burial.disposition = c.disposition;
        burial.cremation_certificate = c.cremation_certificate;
        burial.exemption = c.exemption;
        burial.documents.extend(c.document);
        // No name in the reason: changeset reasons are shown to every officer.
        let mut cs = Changeset::new(author, format!("更正殡葬登记：{reason}"));
        cs.push(Write::Update {
            id,
            base_version,
            valid_from,
            body: burial.into(),
            geometry,
        });
        self.commit(cs).await
    }
}
