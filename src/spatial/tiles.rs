//! Web map tiles (XYZ, Web Mercator): a tile's bounds, the tiles a box touches, projection of
//! CGCS2000 longitude/latitude to Web Mercator metres (CGCS2000 and WGS 84 agree to a few
//! centimetres, far below a tile pixel), and the simplification tolerance of a zoom level.

use geo::{Coord, Rect};

/// Half the Web Mercator world, metres.
const HALF: f64 = 20_037_508.342_789_244;

/// Tiles are cut with this margin (a share of their width) so that lines and labels meet
/// across tile edges.
pub const BUFFER: f64 = 64.0 / 4096.0;

/// Deepest zoom served.
pub const MAX_ZOOM: u8 = 20;

/// Longitude/latitude to Web Mercator metres.
pub fn mercator(c: Coord<f64>) -> Coord<f64> {
    let lat = c.y.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    Coord {
        x: c.x * HALF / 180.0,
        y: (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() * HALF / std::f64::consts::PI,
    }
}

fn lon(x: u32, z: u8) -> f64 {
    f64::from(x) / f64::from(1u32 << z) * 360.0 - 180.0
}

fn lat(y: u32, z: u8) -> f64 {
    let n = std::f64::consts::PI - 2.0 * std::f64::consts::PI * f64::from(y) / f64::from(1u32 << z);
    n.sinh().atan().to_degrees()
}

/// Whether (z, x, y) names a tile.
pub fn valid(z: u8, x: u32, y: u32) -> bool {
    z <= MAX_ZOOM && x < (1u32 << z) && y < (1u32 << z)
}

/// The tile's bounds in longitude/latitude.
pub fn bounds(z: u8, x: u32, y: u32) -> Rect<f64> {
    Rect::new(
        Coord {
            x: lon(x, z),
            y: lat(y + 1, z),
        },
        Coord {
            x: lon(x + 1, z),
            y: lat(y, z),
        },
    )
}

/// The tile's bounds in Web Mercator metres (left, bottom, right, top).
pub fn mercator_bounds(z: u8, x: u32, y: u32) -> (f64, f64, f64, f64) {
    let b = bounds(z, x, y);
    let (min, max) = (mercator(b.min()), mercator(b.max()));
    (min.x, min.y, max.x, max.y)
}

/// The tile column and row holding a point at zoom `z`.
pub fn tile_of(c: Coord<f64>, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((c.x + 180.0) / 360.0 * n).floor().clamp(0.0, n - 1.0) as u32;
    let lat = c.y.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n)
        .floor()
        .clamp(0.0, n - 1.0) as u32;
    (x, y)
}

/// Simplification tolerance at zoom `z`, degrees: about a quarter of a pixel of a 4096-unit
/// tile.
pub fn tolerance(z: u8) -> f64 {
    360.0 / f64::from(1u32 << z) / 4096.0 / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_and_points_agree() {
        let erenhot = Coord {
            x: 111.97667,
            y: 43.6475,
        };
        for z in [0u8, 5, 10, 14, 18] {
            let (x, y) = tile_of(erenhot, z);
            let b = bounds(z, x, y);
            assert!(b.min().x <= erenhot.x && erenhot.x < b.max().x, "z{z}");
            assert!(b.min().y <= erenhot.y && erenhot.y < b.max().y, "z{z}");
        }
        assert_eq!(tile_of(erenhot, 14), (13288, 5979));
        let m = mercator(Coord { x: 180.0, y: 0.0 });
        assert!((m.x - HALF).abs() < 1e-6 && m.y.abs() < 1e-6);
        assert!(valid(3, 7, 7) && !valid(3, 8, 0) && !valid(21, 0, 0));
    }
}
