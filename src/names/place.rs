//! A named place of any geometry: a landmark, a facility, a natural feature.

use super::PlaceCategory;
use super::naming::Naming;
use crate::record::Source;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_mn: Option<String>,
    pub category: PlaceCategory,
    pub source: Source,
    /// Other names, census texts and the approval workflow.
    #[serde(default)]
    pub naming: Naming,
}
