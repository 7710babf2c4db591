//! GeoJSON geometries in and out. Reading refuses unclosed rings (which `geo` would close
//! silently) and normalises winding to RFC 7946 (exterior counter-clockwise), so a clockwise
//! outline such as the city's is accepted.

use super::{GeometryProblem, Invalid};
use geo::orient::{Direction, Orient};
use geo::{Geometry, MultiPolygon};
use geojson::{GeoJson, Value};

/// Converts a GeoJSON geometry, refusing unclosed rings with their location.
pub fn to_geo(g: &geojson::Geometry) -> Result<Geometry<f64>, Invalid> {
    check_closed(&g.value, "")?;
    let geometry = Geometry::<f64>::try_from(g.value.clone()).map_err(|e| {
        Invalid::new(
            GeometryProblem::WrongKind {
                expected: "GeoJSON 几何",
                found: "无法识别",
            },
            None,
            e.to_string(),
        )
    })?;
    Ok(orient(geometry))
}

/// Exterior rings counter-clockwise, holes clockwise.
pub fn orient(g: Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(m) => Geometry::MultiPolygon(m.orient(Direction::Default)),
        Geometry::GeometryCollection(c) => {
            Geometry::GeometryCollection(c.into_iter().map(orient).collect())
        }
        other => other,
    }
}

fn check_closed(v: &Value, path: &str) -> Result<(), Invalid> {
    let rings = |rings: &Vec<Vec<Vec<f64>>>, part: &str| -> Result<(), Invalid> {
        for (r, ring) in rings.iter().enumerate() {
            let (Some(first), Some(last)) = (ring.first(), ring.last()) else {
                continue;
            };
            if first != last {
                let at = geo::coord! { x: first[0], y: first.get(1).copied().unwrap_or(f64::NAN) };
                let name = if r == 0 {
                    "外环".to_string()
                } else {
                    format!("第 {r} 内环")
                };
                let here = if part.is_empty() {
                    name
                } else {
                    format!("{part} {name}")
                };
                return Err(Invalid::new(GeometryProblem::UnclosedRing, Some(at), here));
            }
        }
        Ok(())
    };
    match v {
        Value::Polygon(p) => rings(p, path),
        Value::MultiPolygon(m) => m
            .iter()
            .enumerate()
            .try_for_each(|(i, p)| rings(p, &format!("第 {} 部分", i + 1))),
        Value::GeometryCollection(c) => c.iter().try_for_each(|g| check_closed(&g.value, path)),
        _ => Ok(()),
    }
}

/// The GeoJSON form of a geometry.
pub fn from_geo(g: &Geometry<f64>) -> geojson::Geometry {
    geojson::Geometry::new(Value::from(g))
}

/// The features of a GeoJSON document: each geometry (converted, checked for closed rings)
/// with its properties.
pub fn features(text: &str) -> Result<Vec<(geojson::JsonObject, Geometry<f64>)>, String> {
    let doc: GeoJson = text
        .parse()
        .map_err(|e| format!("不是有效的 GeoJSON：{e}"))?;
    let features = match doc {
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Feature(f) => vec![f],
        GeoJson::Geometry(g) => vec![geojson::Feature {
            geometry: Some(g),
            ..Default::default()
        }],
    };
    features
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let g = f
                .geometry
                .as_ref()
                .ok_or_else(|| format!("第 {} 个要素没有几何", i + 1))?;
            let geometry = to_geo(g).map_err(|e| format!("第 {} 个要素：{e}", i + 1))?;
            Ok((f.properties.unwrap_or_default(), geometry))
        })
        .collect()
}

/// Merges polygons into one multipolygon.
pub fn as_multipolygon(g: Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        Geometry::MultiPolygon(m) => Some(m),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn an_unclosed_ring_is_refused_where_it_starts() {
        let g: geojson::Geometry = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[111.9,43.6],[112.0,43.6],[112.0,43.7],[111.9,43.7]]]}"#,
        )
        .unwrap();
        let e = to_geo(&g).unwrap_err();
        assert_eq!(e.problem, GeometryProblem::UnclosedRing);
        assert_eq!(e.at, Some(geo::coord! {x: 111.9, y: 43.6}));
    }

    #[test]
    fn a_clockwise_ring_is_accepted_and_turned_counter_clockwise() {
        let g: geojson::Geometry = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[111.9,43.6],[111.9,43.7],[112.0,43.7],[112.0,43.6],[111.9,43.6]]]}"#,
        )
        .unwrap();
        let p = to_geo(&g).unwrap();
        assert!(p.signed_area() > 0.0);
    }
}
