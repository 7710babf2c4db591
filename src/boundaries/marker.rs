//! Boundary markers (界桩): the register entry of each marker, with its reference objects, and
//! field observations compared against the registered position. A marker's registered
//! position is official: an observation that differs by more than the tolerance raises an
//! alert and never moves it; moving or restoring a marker is a changeset with a document.

use crate::record::Source;
use crate::record::{Attributes, Describe};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kinds of markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// 双面界桩: between two units.
    TwoFaced,
    /// 三面界桩: where three units meet (三交点).
    ThreeFaced,
}

impl MarkerKind {
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::TwoFaced => "双面界桩",
            MarkerKind::ThreeFaced => "三面界桩（三交点）",
        }
    }

    /// How many units a marker of this kind separates.
    pub fn units(self) -> usize {
        match self {
            MarkerKind::TwoFaced => 2,
            MarkerKind::ThreeFaced => 3,
        }
    }
}

/// An object near a marker by which it is found again (方位物).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// What it is: a well, a power pole, a rock…
    pub object: String,
    /// Azimuth from the marker, degrees clockwise from north.
    pub azimuth_deg: f64,
    pub distance_m: f64,
}

/// A marker in the register (layer `boundary_markers`; the geometry is its registered
/// position, CGCS2000).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// 界桩编号, unique.
    pub number: String,
    pub kind: MarkerKind,
    /// Division codes of the units it separates (two, or three at a junction).
    pub units: Vec<String>,
    pub material: String,
    /// Height above ground, metres.
    pub height_m: f64,
    pub references: Vec<Reference>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    pub source: Source,
}

/// What makes a register entry incomplete.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarkerError {
    #[error("界桩编号不能为空")]
    NoNumber,
    #[error("{kind}应注明 {want} 个相邻单位，现有 {got} 个")]
    Units {
        kind: &'static str,
        want: usize,
        got: usize,
    },
    #[error("界桩应至少有 3 个方位物（现有 {0} 个）")]
    References(usize),
    #[error("方位物“{0}”的方位角应在 0–360 度之间、距离应大于 0")]
    Reference(String),
    #[error("界桩高度 {0} 米不合理")]
    Height(f64),
}

impl Marker {
    /// Whether another marker among `others` already has this one's number (numbers are
    /// unique in the registry; spaces around them do not count).
    pub fn number_taken<'a>(&self, mut others: impl Iterator<Item = &'a Marker>) -> bool {
        others.any(|o| o.number.trim() == self.number.trim())
    }

    /// Checks the entry is complete: a number, the right number of distinct units for its
    /// kind, at least three reference objects with sensible bearings.
    pub fn validate(&self) -> Result<(), MarkerError> {
        if self.number.trim().is_empty() {
            return Err(MarkerError::NoNumber);
        }
        let mut units = self.units.clone();
        units.sort();
        units.dedup();
        if units.len() != self.kind.units() || self.units.len() != units.len() {
            return Err(MarkerError::Units {
                kind: self.kind.label(),
                want: self.kind.units(),
                got: units.len(),
            });
        }
        if self.references.len() < 3 {
            return Err(MarkerError::References(self.references.len()));
        }
        for r in &self.references {
            let far = r.distance_m.is_finite() && r.distance_m > 0.0;
            if !(0.0..360.0).contains(&r.azimuth_deg) || !far {
                return Err(MarkerError::Reference(r.object.clone()));
            }
        }
        if !(0.0..10.0).contains(&self.height_m) || self.height_m == 0.0 {
            return Err(MarkerError::Height(self.height_m));
        }
        Ok(())
    }
}

/// What an inspector found at a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MarkerState {
    /// 完好
    Intact,
    /// 损坏
    Damaged,
    /// 丢失
    Missing,
}

impl MarkerState {
    pub fn label(self) -> &'static str {
        match self {
            MarkerState::Intact => "完好",
            MarkerState::Damaged => "损坏",
            MarkerState::Missing => "丢失",
        }
    }
}

/// A field observation of a marker (layer `marker_observations`; the geometry is where the
/// marker was found, or the registered position when it was missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub marker: crate::record::RecordId,
    pub date: NaiveDate,
    pub observer: String,
    pub state: MarkerState,
    /// Distance from the registered position, metres (EPSG:4546).
    pub offset_m: f64,
    /// Beyond the tolerance, or damaged or missing: the marker may have been moved.
    pub alert: bool,
    #[serde(default)]
    pub notes: String,
    /// Photos taken at the marker (SHA-256 of stored attachments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    pub source: Source,
}

/// What an inspector brings back from a marker: where it was found (nothing when it is
/// missing), its state, notes and photos, and the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub at: Option<geo::Point<f64>>,
    pub state: MarkerState,
    pub notes: String,
    pub photos: Vec<String>,
    pub date: NaiveDate,
}

/// Whether an observation `offset_m` from the registered position in `state` is an alert.
pub fn is_alert(state: MarkerState, offset_m: f64, tolerance_m: f64) -> bool {
    state != MarkerState::Intact || offset_m > tolerance_m
}

impl Describe for Marker {
    fn title(&self) -> String {
        format!("界桩 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("界桩编号", &self.number)
            .row("界桩类型", self.kind.label())
            .list("所界单位", &self.units)
            .row("材质", &self.material)
            .row("高度（米）", self.height_m)
            .some("埋设日期", self.installed)
            .row("来源", self.source.label())
    }
}

impl Describe for Observation {
    fn title(&self) -> String {
        format!("{} {}", self.date, self.state.label())
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("观测日期", self.date)
            .row("观测人", &self.observer)
            .row("界桩状况", self.state.label())
            .row("位移（米）", format!("{:.3}", self.offset_m))
            .row("预警", if self.alert { "是" } else { "否" })
            .row("备注", &self.notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker() -> Marker {
        Marker {
            number: "152501-001".into(),
            kind: MarkerKind::ThreeFaced,
            units: vec!["152501200".into(), "152501400".into(), "152501401".into()],
            material: "花岗岩".into(),
            height_m: 1.2,
            references: vec![
                Reference {
                    object: "水井".into(),
                    azimuth_deg: 35.0,
                    distance_m: 120.0,
                },
                Reference {
                    object: "电杆 17 号".into(),
                    azimuth_deg: 140.5,
                    distance_m: 64.2,
                },
                Reference {
                    object: "敖包".into(),
                    azimuth_deg: 290.0,
                    distance_m: 310.0,
                },
            ],
            description: String::new(),
            installed: None,
            photos: vec![],
            source: Source::Survey,
        }
    }

    #[test]
    fn a_register_entry_needs_its_units_and_three_references() {
        assert_eq!(marker().validate(), Ok(()));
        let mut m = marker();
        m.units.pop();
        assert!(matches!(
            m.validate(),
            Err(MarkerError::Units {
                want: 3,
                got: 2,
                ..
            })
        ));
        let mut m = marker();
        m.units[2] = m.units[0].clone();
        assert!(matches!(m.validate(), Err(MarkerError::Units { .. })));
        let mut m = marker();
        m.references.truncate(2);
        assert_eq!(m.validate(), Err(MarkerError::References(2)));
        let mut m = marker();
        m.references[1].azimuth_deg = 400.0;
        assert!(matches!(m.validate(), Err(MarkerError::Reference(_))));
    }

    #[test]
    fn observations_beyond_tolerance_or_not_intact_are_alerts() {
        assert!(!is_alert(MarkerState::Intact, 0.3, 0.5));
        assert!(is_alert(MarkerState::Intact, 0.8, 0.5));
        assert!(is_alert(MarkerState::Damaged, 0.0, 0.5));
    }
}
