//! The spatial core: pure geometry over `geo`.
//!
//! Geometries are stored as CGCS2000 longitude/latitude (EPSG:4490) and measured in metres in
//! EPSG:4546. [`crs`] is the only file that touches PROJ; `index` keeps the rstar index of
//! everything current; [`validate()`] says why a geometry is refused and where; [`coverage`] finds
//! gaps, overlaps, slivers, holes and unmatched edges between units; [`tiles`] is the web-tile
//! arithmetic. Nothing here does I/O.

pub mod coverage;
pub mod crs;
mod extent;
pub mod geojson;
mod index;
pub mod measure;
pub mod tiles;
pub mod validate;

pub use extent::Extent;
pub use index::{IndexChanges, Indexed, SpatialIndex};
pub use validate::{GeometryProblem, Invalid, validate};

/// A point typed as `经度,纬度` (WGS 84 degrees, a half- or full-width comma), checked to lie
/// on the Earth.
pub fn parse_lon_lat(text: &str) -> Result<geo::Point<f64>, String> {
    let (x, y) = text
        .split_once([',', '，'])
        .ok_or_else(|| format!("点位“{text}”应写作 经度,纬度，如 111.98,43.65"))?;
    let lon: f64 = x
        .trim()
        .parse()
        .map_err(|_| format!("经度“{}”不是数", x.trim()))?;
    let lat: f64 = y
        .trim()
        .parse()
        .map_err(|_| format!("纬度“{}”不是数", y.trim()))?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("点位“{text}”不在经度 −180～180、纬度 −90～90 之内"));
    }
    Ok(geo::Point::new(lon, lat))
}
