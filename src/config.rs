//! One configuration struct: the jurisdiction (codes, extent, CRSs, coverage thresholds) and
//! the server. Everything city-specific lives here; the default is 二连浩特市.

use crate::spatial::Extent;
use crate::spatial::coverage::Thresholds;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub jurisdiction: Jurisdiction,
    pub server: Server,
}

#[derive(Debug, Clone, Serialize)]
pub struct Jurisdiction {
    /// 二连浩特市
    pub name: String,
    /// The county-level code (GB/T 2260), 6 digits.
    pub county_code: String,
    /// Coordinates outside this box are refused.
    pub extent: Extent,
    /// Where the map opens.
    pub centre: (f64, f64),
    /// Storage CRS (CGCS2000 geographic).
    pub storage_crs: String,
    /// CRS lengths and areas are measured in.
    pub measure_crs: String,
    pub coverage: Thresholds,
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub addr: String,
}

impl Config {
    /// The configuration of 二连浩特市: its extent is its outline's box with a margin of about
    /// 5 km, and it is measured in EPSG:4546 (3° Gauss–Krüger, CM 111°E).
    pub fn erenhot() -> Self {
        Config {
            jurisdiction: Jurisdiction {
                name: "二连浩特市".into(),
                county_code: "152501".into(),
                extent: Extent {
                    west: 111.28,
                    south: 42.91,
                    east: 112.50,
                    north: 43.85,
                },
                centre: (111.97667, 43.6475),
                storage_crs: crate::spatial::crs::STORAGE.into(),
                measure_crs: crate::spatial::crs::MEASURE.into(),
                coverage: Thresholds::default(),
            },
            server: Server {
                addr: "127.0.0.1:8080".into(),
            },
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::erenhot()
    }
}
