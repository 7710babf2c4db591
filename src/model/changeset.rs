//! Changesets: several record writes applied all or nothing, with their author and authority.

use super::{Body, Layer};
use crate::record::{ApprovalDocument, ChangesetId, RecordId};
use chrono::{DateTime, NaiveDate, Utc};
use geo::Geometry;
use serde::{Deserialize, Serialize};

/// One write of a changeset.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// A new record, version 1.
    Create {
        id: RecordId,
        valid_from: NaiveDate,
        body: Body,
        geometry: Geometry<f64>,
    },
    /// A new version of `id`, which must currently be at `base_version`.
    Update {
        id: RecordId,
        base_version: u32,
        valid_from: NaiveDate,
        body: Body,
        geometry: Geometry<f64>,
    },
    /// Retires `id` (currently at `base_version`) from `valid_from` on.
    Retire {
        id: RecordId,
        base_version: u32,
        valid_from: NaiveDate,
    },
}

impl Write {
    pub fn id(&self) -> RecordId {
        match self {
            Write::Create { id, .. } | Write::Update { id, .. } | Write::Retire { id, .. } => *id,
        }
    }

    /// The body written (none for a retirement).
    pub fn body(&self) -> Option<&Body> {
        match self {
            Write::Create { body, .. } | Write::Update { body, .. } => Some(body),
            Write::Retire { .. } => None,
        }
    }
}

/// A change to the registry: its writes and who made it, when, why and on whose authority.
#[derive(Debug, Clone, PartialEq)]
pub struct Changeset {
    pub id: ChangesetId,
    pub author: String,
    pub reason: String,
    pub document: Option<ApprovalDocument>,
    pub writes: Vec<Write>,
    /// An officer's reason for editing inside the area of an open boundary dispute, which is
    /// otherwise frozen; recorded in the changeset's reason.
    pub freeze_override: Option<String>,
}

impl Changeset {
    pub fn new(author: impl Into<String>, reason: impl Into<String>) -> Self {
        Changeset {
            id: ChangesetId::new(),
            author: author.into(),
            reason: reason.into(),
            document: None,
            writes: Vec::new(),
            freeze_override: None,
        }
    }

    /// Allows edits inside a disputed area, for `reason`.
    pub fn with_freeze_override(mut self, reason: impl Into<String>) -> Self {
        self.freeze_override = Some(reason.into());
        self
    }

    pub fn with_document(mut self, document: ApprovalDocument) -> Self {
        self.document = Some(document);
        self
    }

    pub fn push(&mut self, write: Write) -> &mut Self {
        self.writes.push(write);
        self
    }
}

/// A committed changeset as history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesetSummary {
    pub id: ChangesetId,
    pub author: String,
    pub reason: String,
    pub recorded_at: DateTime<Utc>,
    pub document: Option<ApprovalDocument>,
    pub writes: usize,
}

/// Why a changeset was refused. Nothing of a refused changeset is written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangesetError {
    #[error("变更集为空：至少要有一项写入")]
    Empty,
    #[error("变更集缺少作者或变更原因")]
    MissingAuthorOrReason,
    #[error(
        "记录 {id} 的版本已过期：写入基于第 {expected} 版，当前为第 {actual} 版；请在最新版本上重新编辑"
    )]
    Stale {
        id: RecordId,
        expected: u32,
        actual: u32,
    },
    #[error("记录 {0} 不存在或已注销")]
    NotFound(RecordId),
    /// The same words whether or not the caller may see the record that has the id: the
    /// answer tells nothing of it.
    #[error("id {0} 不能用于新建记录：该 id 已被使用（新建时可不给 id，由登记簿分配）")]
    AlreadyExists(RecordId),
    #[error("记录 {0} 在同一变更集中被写入了两次")]
    WrittenTwice(RecordId),
    #[error("记录 {id} 的图层不能从“{from}”改为“{to}”")]
    LayerChanged {
        id: RecordId,
        from: Layer,
        to: Layer,
    },
    #[error("记录 {id} 的新版本生效日期 {valid_from} 早于当前版本的生效日期 {current_from}")]
    BackDated {
        id: RecordId,
        valid_from: NaiveDate,
        current_from: NaiveDate,
    },
}
