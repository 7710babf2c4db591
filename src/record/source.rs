//! Where a record's data comes from: its provenance, which no rule reads.

use serde::{Deserialize, Serialize};

/// Where a record's data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// From an official document or list (codes, names, approved outlines).
    Official,
    /// Surveyed or edited by an officer.
    Survey,
    /// Synthetic, for the demo registry only.
    Sample,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Official => "official",
            Source::Survey => "survey",
            Source::Sample => "sample",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::Official => "官方文件",
            Source::Survey => "调查",
            Source::Sample => "示例",
        }
    }
}
