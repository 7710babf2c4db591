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
