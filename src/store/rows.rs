//! Rows of `versions` as both stores read them, turned into [`RecordVersion`]s.

use super::StoreError;
use crate::model::{Body, RecordVersion};
use crate::record::{ChangesetId, RecordId};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use geo::Geometry;

/// The columns every `versions` query selects, in this order (the geometry last, encoded by
/// each store in its own way).
pub const VERSION_COLUMNS: &str =
    "id, version, valid_from, valid_to, recorded_at, superseded_at, changeset, retired, body";

pub struct RawVersion {
    pub id: String,
    pub version: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
    pub changeset: String,
    pub retired: bool,
    pub body: String,
    pub geometry: Result<Geometry<f64>, String>,
}

impl RawVersion {
    pub fn decode(self) -> Result<RecordVersion, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            id: self.id.clone(),
            version: self.version,
            reason,
        };
        let id: RecordId = self.id.parse().map_err(|e| corrupt(format!("id：{e}")))?;
        let changeset = ChangesetId(
            self.changeset
                .parse()
                .map_err(|e| corrupt(format!("变更集 id：{e}")))?,
        );
        let body: Body =
            serde_json::from_str(&self.body).map_err(|e| corrupt(format!("属性：{e}")))?;
        let geometry = self
            .geometry
            .clone()
            .map_err(|e| corrupt(format!("几何：{e}")))?;
        let version = u32::try_from(self.version).map_err(|e| corrupt(e.to_string()))?;
        Ok(RecordVersion {
            id,
            version,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            recorded_at: self.recorded_at,
            superseded_at: self.superseded_at,
            changeset,
            retired: self.retired,
            body,
            geometry,
        })
    }
}

/// Times are kept to the millisecond in both stores, so that they compare equal after a round
/// trip.
pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

/// The SQLite text form of a time (GeoPackage DATETIME).
pub fn time_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("时间“{s}”：{e}"))
}
