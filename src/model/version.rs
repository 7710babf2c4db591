//! One version of one record: its body, its geometry and its two times.

use super::{Body, Layer};
use crate::record::{ChangesetId, RecordId};
use chrono::{DateTime, NaiveDate, Utc};
use geo::Geometry;

/// A version of a record. Versions of one record form a chain numbered 1, 2, 3…; the number is
/// the record's ETag. `valid_from..valid_to` is when the version is true in the world;
/// `recorded_at..superseded_at` is when the registry held it as current.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordVersion {
    pub id: RecordId,
    pub version: u32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
    pub changeset: ChangesetId,
    /// A retirement is a version too: the record stops being current but keeps its history.
    pub retired: bool,
    pub body: Body,
    /// CGCS2000 longitude/latitude (EPSG:4490).
    pub geometry: Geometry<f64>,
}

/// The spatial index keeps one tree per layer and answers record ids.
impl crate::spatial::Indexed for RecordVersion {
    type Group = Layer;
    type Key = RecordId;
    fn group(&self) -> Layer {
        self.layer()
    }
    fn key(&self) -> RecordId {
        self.id
    }
    fn geometry(&self) -> &Geometry<f64> {
        &self.geometry
    }
}

impl RecordVersion {
    pub fn layer(&self) -> Layer {
        self.body.layer()
    }

    /// Whether this version is what the world looked like on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date < to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A province holds a million door plates: each version's fixed part stays small, and
    /// a body takes the size of its own layer's type (boxed), not that of the largest.
    #[test]
    fn a_version_is_compact() {
        assert_eq!(std::mem::size_of::<Body>(), 16);
        assert!(
            std::mem::size_of::<RecordVersion>() <= 144,
            "{} bytes",
            std::mem::size_of::<RecordVersion>()
        );
    }
}
