//! Permanent identifiers. A record's id never changes, whatever happens to its code or name.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The namespace of ids derived from names (the demo registry is deterministic through it).
const NAMESPACE: Uuid = Uuid::from_u128(0x6469_6d69_6e67_4000_8000_0000_0000_0001);

/// The permanent id of a registry record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub Uuid);

impl RecordId {
    /// A fresh id, time-ordered (UUID v7): new records land at the end of the stores' key
    /// indexes instead of at random places (a third faster bulk imports into SQLite).
    pub fn new() -> Self {
        RecordId(Uuid::now_v7())
    }

    /// The same id every time for the same key: `RecordId::derived("unit/152501400001")`.
    pub fn derived(key: &str) -> Self {
        RecordId(Uuid::new_v5(&NAMESPACE, key.as_bytes()))
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RecordId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(RecordId)
    }
}

/// The id of a changeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChangesetId(pub Uuid);

impl ChangesetId {
    pub fn new() -> Self {
        ChangesetId(Uuid::now_v7())
    }

    pub fn derived(key: &str) -> Self {
        ChangesetId(Uuid::new_v5(&NAMESPACE, key.as_bytes()))
    }
}

impl Default for ChangesetId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ChangesetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
