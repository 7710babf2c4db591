//! The boundary office's register steps: a new marker entered in the register, a registered
//! marker moved (restored or relocated) to a new position, a 平安边界 agreement renewed. Each
//! is one changeset through the commit path, whose boundary rules decide: a marker's entry
//! must be complete and its number unique, and a move needs its approval document.

use super::super::{Registry, RegistryError};
use crate::boundaries::line::Agreement;
use crate::boundaries::marker::Marker;
use crate::model::{Changeset, ChangesetError, Write};
use crate::record::{ApprovalDocument, ChangesetId, RecordId};
use chrono::NaiveDate;
use geo::{Geometry, Point};

/// Where a registered marker goes, from when, why, and on whose document.
#[derive(Debug, Clone)]
pub struct Relocation {
    /// The new position, CGCS2000 longitude and latitude.
    pub to: Point<f64>,
    pub on: NaiveDate,
    pub reason: String,
    pub document: Option<ApprovalDocument>,
}

impl Registry {
    /// Enters a new marker at `at` (CGCS2000 longitude, latitude), in force from `on`, with
    /// the document that set it up when there is one.
    pub async fn register_marker(
        &self,
        author: &str,
        marker: Marker,
        at: Point<f64>,
        on: NaiveDate,
        document: Option<ApprovalDocument>,
    ) -> Result<RecordId, RegistryError> {
        let id = RecordId::new();
        let mut cs = Changeset::new(author, format!("登记界桩 {}", marker.number));
        cs.document = document;
        cs.push(Write::Create {
            id,
            valid_from: on,
            body: marker.into(),
            geometry: Geometry::Point(at),
        });
        self.commit(cs).await?;
        Ok(id)
    }

    /// Moves the registered marker `id` (as of `base_version`) as `to` says; the commit
    /// path refuses the move without its document.
    pub async fn move_marker(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        to: Relocation,
    ) -> Result<ChangesetId, RegistryError> {
        let Relocation {
            to,
            on,
            reason,
            document,
        } = to;
        let marker = self
            .current()
            .version::<Marker>(&id)
            .map(|(_, m)| m.clone())
            .ok_or(ChangesetError::NotFound(id))?;
        let mut cs = Changeset::new(author, format!("界桩 {} 迁移：{reason}", marker.number));
        cs.document = document;
        cs.push(Write::Update {
            id,
            base_version,
            valid_from: on,
            body: marker.into(),
            geometry: Geometry::Point(to),
        });
        self.commit(cs).await
    }

    /// Records that the agreement `id` (as of `base_version`) was signed again on `signed`,
    /// to be renewed next on `renewal`.
    pub async fn renew_agreement(
        &self,
        author: &str,
        id: RecordId,
        base_version: u32,
        signed: NaiveDate,
        renewal: NaiveDate,
    ) -> Result<ChangesetId, RegistryError> {
        let (mut agreement, geometry) = self
            .current()
            .version::<Agreement>(&id)
            .map(|(v, a)| (a.clone(), v.geometry.clone()))
            .ok_or(ChangesetError::NotFound(id))?;
        agreement.signed = signed;
        agreement.renewal = renewal;
        let mut cs = Changeset::new(author, format!("平安边界协议“{}”续签", agreement.title));
        cs.push(Write::Update {
            id,
            base_version,
            valid_from: signed,
            body: agreement.into(),
            geometry,
        });
        self.commit(cs).await
    }
}
