//! Geometry encodings of the stores: GeoPackage binary for SQLite, (E)WKB for PostGIS.

use geo::{BoundingRect, Geometry};
use geozero::wkb::{GpkgWkb, Wkb};
use geozero::{CoordDimensions, ToGeo, ToWkb};

/// The SRID of stored geometries (CGCS2000).
pub const SRID: i32 = 4490;

/// A GeoPackage geometry blob with its envelope, as GDAL writes it.
pub fn to_gpkg(g: &Geometry<f64>) -> Result<Vec<u8>, String> {
    let envelope = match g.bounding_rect() {
        Some(r) if !matches!(g, Geometry::Point(_)) => {
            vec![r.min().x, r.max().x, r.min().y, r.max().y]
        }
        _ => Vec::new(),
    };
    g.to_gpkg_wkb(CoordDimensions::xy(), Some(SRID), envelope)
        .map_err(|e| e.to_string())
}

pub fn from_gpkg(blob: &[u8]) -> Result<Geometry<f64>, String> {
    GpkgWkb(blob).to_geo().map_err(|e| e.to_string())
}

/// EWKB with SRID 4490, for `ST_GeomFromEWKB`.
pub fn to_ewkb(g: &Geometry<f64>) -> Result<Vec<u8>, String> {
    g.to_ewkb(CoordDimensions::xy(), Some(SRID))
        .map_err(|e| e.to_string())
}

/// Reads the output of `ST_AsBinary`.
pub fn from_wkb(blob: &[u8]) -> Result<Geometry<f64>, String> {
    Wkb(blob).to_geo().map_err(|e| e.to_string())
}
