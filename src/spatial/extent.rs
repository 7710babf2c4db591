//! The extent of a jurisdiction: coordinates outside it are refused.

use geo::Coord;
use serde::{Deserialize, Serialize};

/// A longitude/latitude box (CGCS2000).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Extent {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Extent {
    pub fn contains(&self, c: Coord<f64>) -> bool {
        (self.west..=self.east).contains(&c.x) && (self.south..=self.north).contains(&c.y)
    }
}

impl std::fmt::Display for Extent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "东经 {}° 至 {}°，北纬 {}° 至 {}°",
            self.west, self.east, self.south, self.north
        )
    }
}
