//! Lengths and areas in metres, computed in the measuring CRS (EPSG:4546), never in degrees.
//!
//! A stored edge is straight in longitude/latitude, and a projection bends it; geometries are
//! densified (a vertex every [`DENSIFY_DEG`]) before they are projected, so that a long edge
//! is measured along the line that is stored and not along the chord between its ends.

use super::crs::{self, CrsError};
use geo::{Area, Densify, Euclidean, Geometry, Length};

/// Densification step in degrees (about 40–55 m at Erenhot).
pub const DENSIFY_DEG: f64 = 0.0005;

/// Projects `g` into the measuring CRS after densifying it.
pub fn project(g: &Geometry<f64>) -> Result<Geometry<f64>, CrsError> {
    crs::to_measure(&densify(g))
}

fn densify(g: &Geometry<f64>) -> Geometry<f64> {
    let d = DENSIFY_DEG;
    match g {
        Geometry::Line(l) => Geometry::LineString(Euclidean.densify(l, d)),
        Geometry::LineString(l) => Geometry::LineString(Euclidean.densify(l, d)),
        Geometry::MultiLineString(m) => Geometry::MultiLineString(Euclidean.densify(m, d)),
        Geometry::Polygon(p) => Geometry::Polygon(Euclidean.densify(p, d)),
        Geometry::MultiPolygon(m) => Geometry::MultiPolygon(Euclidean.densify(m, d)),
        Geometry::Rect(r) => Geometry::Polygon(Euclidean.densify(r, d)),
        Geometry::Triangle(t) => Geometry::Polygon(Euclidean.densify(t, d)),
        Geometry::GeometryCollection(c) => {
            Geometry::GeometryCollection(c.iter().map(densify).collect())
        }
        Geometry::Point(_) | Geometry::MultiPoint(_) => g.clone(),
    }
}

/// Area in square metres.
pub fn area_m2(g: &Geometry<f64>) -> Result<f64, CrsError> {
    Ok(project(g)?.unsigned_area())
}

/// Length in metres of the lines of `g` (the perimeter is not counted for polygons).
pub fn length_m(g: &Geometry<f64>) -> Result<f64, CrsError> {
    Ok(match project(g)? {
        Geometry::LineString(l) => Euclidean.length(&l),
        Geometry::MultiLineString(m) => Euclidean.length(&m),
        Geometry::Line(l) => Euclidean.length(&l),
        _ => 0.0,
    })
}
