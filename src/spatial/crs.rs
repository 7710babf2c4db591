//! Coordinate reference systems: the only file that touches PROJ.
//!
//! A [`Transformer`] owns its PROJ context and is not shared between threads; build one per
//! thread or per task (the measuring transformer is cached per thread). Coordinates are always
//! in GIS order (longitude/easting first); [`northing_first`] tells which CRSs surveyors write
//! the other way round (Gauss–Krüger X = northing, Y = easting).

use geo::Geometry;
use proj::{Proj, Transform};
use std::cell::RefCell;

/// CGCS2000 geographic, the storage CRS.
pub const STORAGE: &str = "EPSG:4490";
/// CGCS2000 / 3-degree Gauss–Krüger CM 111°E, the measuring CRS at Erenhot.
pub const MEASURE: &str = "EPSG:4546";
/// The same zone with its number before the easting (zone 37: Y = 37 xxx xxx m), as boundary
/// marker registers write it.
pub const MEASURE_ZONED: &str = "EPSG:4525";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrsError {
    #[error(
        "无法建立从 {from} 到 {to} 的坐标转换：{reason}（请使用 PROJ 认识的坐标系，如 EPSG:4490、EPSG:4546）"
    )]
    Unknown {
        from: String,
        to: String,
        reason: String,
    },
    #[error("坐标 ({x}, {y}) 无法从 {from} 转换到 {to}：{reason}")]
    Failed {
        from: String,
        to: String,
        x: f64,
        y: f64,
        reason: String,
    },
}

/// A transformation between two CRSs that PROJ knows.
pub struct Transformer {
    proj: Proj,
    from: String,
    to: String,
}

impl Transformer {
    pub fn new(from: &str, to: &str) -> Result<Self, CrsError> {
        let proj = Proj::new_known_crs(from, to, None).map_err(|e| CrsError::Unknown {
            from: from.to_string(),
            to: to.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Transformer {
            proj,
            from: from.to_string(),
            to: to.to_string(),
        })
    }

    /// Transforms one coordinate pair given in GIS order (x = longitude or easting).
    pub fn point(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let (tx, ty) = self
            .proj
            .convert((x, y))
            .map_err(|e| self.failed(x, y, e))?;
        if !(tx.is_finite() && ty.is_finite()) {
            return Err(self.failed(x, y, "结果不是有限数"));
        }
        Ok((tx, ty))
    }

    pub fn geometry(&self, g: &Geometry<f64>) -> Result<Geometry<f64>, CrsError> {
        g.transformed(&self.proj).map_err(|e| {
            let c = geo::CoordsIter::coords_iter(g).next().unwrap_or_default();
            self.failed(c.x, c.y, e)
        })
    }

    fn failed(&self, x: f64, y: f64, reason: impl ToString) -> CrsError {
        CrsError::Failed {
            from: self.from.clone(),
            to: self.to.clone(),
            x,
            y,
            reason: reason.to_string(),
        }
    }
}

thread_local! {
    static MEASURING: RefCell<Option<(Transformer, Transformer)>> = const { RefCell::new(None) };
}

fn with_measuring<T>(
    f: impl FnOnce(&Transformer, &Transformer) -> Result<T, CrsError>,
) -> Result<T, CrsError> {
    MEASURING.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some((
                Transformer::new(STORAGE, MEASURE)?,
                Transformer::new(MEASURE, STORAGE)?,
            ));
        }
        let (forward, inverse) = slot.as_ref().expect("set just above");
        f(forward, inverse)
    })
}

/// Projects a stored geometry into the measuring CRS (metres).
pub fn to_measure(g: &Geometry<f64>) -> Result<Geometry<f64>, CrsError> {
    with_measuring(|forward, _| forward.geometry(g))
}

/// Brings a geometry in the measuring CRS back to storage coordinates.
pub fn from_measure(g: &Geometry<f64>) -> Result<Geometry<f64>, CrsError> {
    with_measuring(|_, inverse| inverse.geometry(g))
}

/// Gauss–Krüger coordinates of a stored point as surveyors write them: X (northing) and Y
/// (easting with the zone number in front), in metres.
pub fn gauss_kruger(lon: f64, lat: f64) -> Result<(f64, f64), CrsError> {
    thread_local! {
        static ZONED: RefCell<Option<Transformer>> = const { RefCell::new(None) };
    }
    ZONED.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Transformer::new(STORAGE, MEASURE_ZONED)?);
        }
        let (east, north) = slot.as_ref().expect("set just above").point(lon, lat)?;
        Ok((north, east))
    })
}

/// Whether surveyors write this CRS northing first (X = northing, Y = easting): the CGCS2000
/// Gauss–Krüger systems EPSG:4491–4554 (zone-prefixed and not).
pub fn northing_first(crs: &str) -> bool {
    crs.strip_prefix("EPSG:")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (4491..=4554).contains(&n))
}

/// Whether a CRS is geographic (degrees) among those the registry names; used to choose how
/// many decimals to print.
pub fn is_geographic(crs: &str) -> bool {
    matches!(crs, "EPSG:4490" | "EPSG:4326" | "EPSG:4610" | "EPSG:4214")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erenhot_point_projects_to_the_known_gauss_kruger_values() {
        let t = Transformer::new(STORAGE, MEASURE).unwrap();
        let (e, n) = t.point(111.97667, 43.6475).unwrap();
        assert!((e - 578_797.461).abs() < 0.001, "{e}");
        assert!((n - 4_835_120.088).abs() < 0.001, "{n}");
    }

    #[test]
    fn zone_prefixed_gauss_kruger_carries_the_zone_number() {
        let t = Transformer::new(STORAGE, "EPSG:4497").unwrap();
        let (y, x) = t.point(111.97667, 43.6475).unwrap();
        assert!((y - 19_578_797.461).abs() < 0.001, "{y}");
        assert!((x - 4_835_120.088).abs() < 0.001, "{x}");
        assert!(northing_first("EPSG:4497") && !northing_first("EPSG:4490"));
    }

    #[test]
    fn an_unknown_crs_is_named_in_the_error() {
        let e = Transformer::new("EPSG:999999", MEASURE).err().unwrap();
        assert!(e.to_string().contains("EPSG:999999"), "{e}");
    }
}
