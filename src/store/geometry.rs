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
    // The header: "GP", version, flags (envelope kind in bits 1–3), SRID, then the envelope.
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("不是 GeoPackage 几何".into());
    }
    let envelope = match (blob[3] >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        k => return Err(format!("GeoPackage 几何的包络类型 {k} 无效")),
    };
    let wkb = blob.get(8 + envelope..).ok_or("GeoPackage 几何不完整")?;
    // The reader takes the geometry's byte order from the header's flag, not from the WKB's
    // own first byte (the fuzzer's third abort: a little-endian count read as big-endian).
    if wkb.first() != Some(&(blob[3] & 1)) {
        return Err("GeoPackage 几何头与 WKB 的字节序不一致".into());
    }
    check_wkb(wkb)?;
    GpkgWkb(blob).to_geo().map_err(|e| e.to_string())
}

/// EWKB with SRID 4490, for `ST_GeomFromEWKB`.
pub fn to_ewkb(g: &Geometry<f64>) -> Result<Vec<u8>, String> {
    g.to_ewkb(CoordDimensions::xy(), Some(SRID))
        .map_err(|e| e.to_string())
}

/// Reads the output of `ST_AsBinary`.
pub fn from_wkb(blob: &[u8]) -> Result<Geometry<f64>, String> {
    check_wkb(blob)?;
    Wkb(blob).to_geo().map_err(|e| e.to_string())
}

/// Walks a (E)WKB blob's structure without reading its coordinates: every count it declares
/// must fit in the bytes that follow. The reader allocates what a count says before reading
/// (a blob of a few bytes claiming two billion points asked for 32 GB and aborted the
/// process, as the fuzzer found), so a blob that lies is refused here first.
fn check_wkb(blob: &[u8]) -> Result<(), String> {
    /// One geometry at `at`; `member_of` is the kind of the collection it is in (a reader
    /// takes a MultiPolygon's members for polygons whatever their own header says).
    fn geometry(
        b: &[u8],
        at: &mut usize,
        depth: u32,
        member_of: Option<(u32, usize)>,
    ) -> Result<(), String> {
        let bad = || "WKB 几何不完整或计数有误".to_string();
        if depth > 32 {
            return Err("WKB 几何嵌套过深".into());
        }
        let order = *b.get(*at).ok_or_else(bad)?;
        let u32_at = |i: usize| -> Result<u32, String> {
            let bytes: [u8; 4] = b
                .get(i..i + 4)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?;
            Ok(match order {
                0 => u32::from_be_bytes(bytes),
                1 => u32::from_le_bytes(bytes),
                _ => return Err(format!("WKB 字节序标记 {order} 无效")),
            })
        };
        let code = u32_at(*at + 1)?;
        *at += 5;
        // EWKB flags (Z, M, SRID) and ISO codes (1000s for Z, 2000s for M, 3000s for ZM).
        let (ewkb_z, ewkb_m, srid) = (
            code & 0x8000_0000 != 0,
            code & 0x4000_0000 != 0,
            code & 0x2000_0000 != 0,
        );
        if srid {
            // Only the outermost geometry may name its SRID: the reader does not expect one
            // inside a collection and would take it for a count (the fuzzer's fourth abort).
            if member_of.is_some() {
                return Err("WKB 多部件几何的部件不能另带 SRID".into());
            }
            *at += 4;
        }
        // EWKB knows three flags (Z, M, SRID); another high bit is not WKB (the reader and this
        // check would part ways over what follows: the fuzzer's sixth abort).
        if code & 0x1000_0000 != 0 {
            return Err(format!("WKB 几何类型 {code:#010x} 无效"));
        }
        let base = code & 0x0fff_ffff;
        let (kind, iso) = (base % 1000, base / 1000);
        if let Some((multi @ 4..=6, _)) = member_of
            && kind != multi - 3
        {
            return Err(format!(
                "WKB 多部件几何（类型 {multi}）中有类型 {kind} 的部件"
            ));
        }
        let dims = 2
            + usize::from(ewkb_z || iso == 1 || iso == 3)
            + usize::from(ewkb_m || iso == 2 || iso == 3);
        // A member has its collection's dimensions (the reader reads it with them: the
        // fuzzer's fifth abort, a Z member in a flat MultiPolygon).
        if let Some((_, outer)) = member_of
            && dims != outer
        {
            return Err("WKB 多部件几何的部件与整体的维数不一致".into());
        }
        let point = 8 * dims;
        let count = |at: &mut usize, each: usize| -> Result<usize, String> {
            let n = u32_at(*at)? as usize;
            *at += 4;
            if n.saturating_mul(each) > b.len().saturating_sub(*at) {
                return Err(bad());
            }
            Ok(n)
        };
        match kind {
            1 => *at += point,
            2 => *at += count(at, point)? * point,
            3 => {
                for _ in 0..count(at, 4)? {
                    *at += count(at, point)? * point;
                }
            }
            4..=7 => {
                // Each member is a whole WKB geometry of at least a header and a count.
                for _ in 0..count(at, 9)? {
                    geometry(b, at, depth + 1, Some((kind, dims)))?;
                }
            }
            k => return Err(format!("WKB 几何类型 {k} 不受支持")),
        }
        if *at > b.len() {
            return Err(bad());
        }
        Ok(())
    }
    let mut at = 0;
    geometry(blob, &mut at, 0, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_that_claims_more_than_it_holds_is_refused_before_reading() {
        // A little-endian polygon with one ring claiming 2,061,584,302 points.
        let mut blob = vec![1, 3, 0, 0, 0, 1, 0, 0, 0];
        blob.extend_from_slice(&2_061_584_302u32.to_le_bytes());
        blob.extend_from_slice(&[0; 32]);
        assert!(from_wkb(&blob).unwrap_err().contains("计数"));
        // A nested collection deeper than any real geometry.
        let mut deep = Vec::new();
        for _ in 0..40 {
            deep.extend_from_slice(&[1, 7, 0, 0, 0, 1, 0, 0, 0]);
        }
        assert!(from_wkb(&deep).is_err());
        // A MultiPolygon whose member says it is a point (a reader takes it for a polygon and
        // its coordinates for a count).
        let mut lying = vec![1, 6, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0];
        lying.extend_from_slice(&[
            0, 0, 64, 174, 71, 225, 122, 20, 254, 91, 64, 82, 184, 30, 133, 235,
        ]);
        assert!(from_wkb(&lying).unwrap_err().contains("部件"));
        // A member that names an SRID of its own.
        let mut srid = vec![1, 6, 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0, 0x20];
        srid.extend_from_slice(&[0x0c, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
        srid.extend_from_slice(&[0; 64]);
        assert!(from_wkb(&srid).unwrap_err().contains("SRID"));
        // A member with a Z its flat collection does not have.
        let mut z = vec![1, 6, 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0, 0x80];
        z.extend_from_slice(&[1, 0, 0, 0, 4, 0, 0, 0]);
        z.extend_from_slice(&[0; 96]);
        assert!(from_wkb(&z).unwrap_err().contains("维数"));
        // A type code with a bit EWKB does not define.
        let mut odd = vec![0, 0xb0, 0, 0, 1, 0, 0, 0x12, 0x34];
        odd.extend_from_slice(&[0; 24]);
        assert!(from_wkb(&odd).unwrap_err().contains("无效"));
        // What we write reads back, with and without a GeoPackage envelope.
        let g = Geometry::Polygon(geo::Polygon::new(
            geo::LineString::from(vec![
                (111.9, 43.6),
                (112.0, 43.6),
                (112.0, 43.7),
                (111.9, 43.6),
            ]),
            vec![],
        ));
        assert_eq!(from_gpkg(&to_gpkg(&g).unwrap()).unwrap(), g);
        let ewkb = to_ewkb(&g).unwrap();
        check_wkb(&ewkb).unwrap();
        let point = Geometry::Point(geo::Point::new(111.9, 43.6));
        assert_eq!(from_gpkg(&to_gpkg(&point).unwrap()).unwrap(), point);
        // A header whose byte order differs from its WKB's (the reader would believe the
        // header and read every count backwards).
        let mut flipped = to_gpkg(&g).unwrap();
        flipped[3] ^= 1;
        assert!(from_gpkg(&flipped).unwrap_err().contains("字节序"));
    }
}
