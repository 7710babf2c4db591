//! Vector tiles for the web map: `/tiles/{layer}/{z}/{x}/{y}.mvt` cut from the in-memory index
//! (features clipped to the tile with a margin and simplified for the zoom, with the
//! attributes a map needs), 204 for an empty tile, cached until a changeset touches the tile;
//! and a TileJSON per layer at `/tiles/{layer}.json`.

use super::auth::Caller;
use super::extract::ApiPath as Path;
use super::{ApiError, AppState};
use crate::layers::{Body, Layer};
use crate::spatial::tiles::{self, BUFFER, MAX_ZOOM};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo::{BooleanOps, Geometry, MapCoords, MultiPolygon, Rect, Simplify};
use geozero::ToMvt;
use geozero::mvt::{Message, Tile, TileValue, tile};
use serde_json::json;

const EXTENT: u32 = 4096;

fn layer_of(caller: &Caller, name: &str) -> Result<Layer, ApiError> {
    Layer::from_table(name)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有图层“{name}”")))
}

/// The attributes a map draws with.
fn properties(v: &crate::record::RecordVersion) -> Vec<(&'static str, TileValue)> {
    let mut out = vec![("id", TileValue::Str(v.id.to_string()))];
    // A title only where there is no name (it would repeat it in every feature of a tile).
    if !matches!(
        v.body,
        Body::Street(_) | Body::Place(_) | Body::AdminUnit(_)
    ) {
        out.push(("title", TileValue::Str(v.body.title())));
    }
    match &v.body {
        Body::Street(s) => {
            out.push(("name", TileValue::Str(s.name.clone())));
            out.push(("class", TileValue::Str(s.class.as_str().into())));
            if let Some(m) = &s.name_mn {
                out.push(("name_mn", TileValue::Str(m.clone())));
            }
        }
        Body::Place(p) => {
            out.push(("name", TileValue::Str(p.name.clone())));
            out.push(("category", TileValue::Str(p.category.as_str().into())));
        }
        Body::AdminUnit(u) => {
            out.push(("name", TileValue::Str(u.name.clone())));
            out.push(("code", TileValue::Str(u.code.short())));
            out.push(("level", TileValue::Str(u.level.as_str().into())));
        }
        Body::DoorPlate(d) => out.push(("number", TileValue::Str(d.number.to_string()))),
        Body::Sign(s) => {
            out.push(("code", TileValue::Str(s.code.clone())));
            out.push(("condition", TileValue::Str(s.condition.as_str().into())));
        }
        Body::Plot(p) => out.push(("status", TileValue::Str(p.status.as_str().into()))),
        Body::Grave(g) => {
            if let Some(to) = g.moved_to {
                out.push(("moved_to", TileValue::Str(to.to_string())));
            }
        }
        _ => {}
    }
    out
}

/// Where the segment a→b enters and leaves `r`, as parts of its length (Liang–Barsky).
fn segment_in(a: geo::Coord<f64>, b: geo::Coord<f64>, r: &Rect<f64>) -> Option<(f64, f64)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - r.min().x),
        (dx, r.max().x - a.x),
        (-dy, a.y - r.min().y),
        (dy, r.max().y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// The parts of lines inside `r`: a line wholly inside is kept as it is, others are cut
/// segment by segment (far cheaper than a general boolean operation, which tiles of many
/// streets cannot afford).
fn clip_lines(lines: &[geo::LineString<f64>], r: &Rect<f64>) -> geo::MultiLineString<f64> {
    use geo::BoundingRect;
    let mut parts = Vec::new();
    for l in lines {
        let Some(b) = l.bounding_rect() else { continue };
        if r.min().x <= b.min().x
            && b.max().x <= r.max().x
            && r.min().y <= b.min().y
            && b.max().y <= r.max().y
        {
            parts.push(l.clone());
            continue;
        }
        let mut current: Vec<geo::Coord<f64>> = Vec::new();
        for w in l.0.windows(2) {
            let (a, b) = (w[0], w[1]);
            let at = |t: f64| geo::coord! {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
            match segment_in(a, b, r) {
                None => {
                    if current.len() >= 2 {
                        parts.push(geo::LineString(std::mem::take(&mut current)));
                    }
                    current.clear();
                }
                Some((t0, t1)) => {
                    if current.is_empty() || t0 > 0.0 {
                        if current.len() >= 2 {
                            parts.push(geo::LineString(std::mem::take(&mut current)));
                        }
                        current = vec![at(t0)];
                    }
                    current.push(at(t1));
                    if t1 < 1.0 {
                        parts.push(geo::LineString(std::mem::take(&mut current)));
                    }
                }
            }
        }
        if current.len() >= 2 {
            parts.push(geo::LineString(current));
        }
    }
    geo::MultiLineString(parts)
}

/// The part of `g` within `clip`, simplified by `tolerance` degrees.
fn cut(
    g: &Geometry<f64>,
    clip: &Rect<f64>,
    area: &MultiPolygon<f64>,
    tolerance: f64,
) -> Option<Geometry<f64>> {
    let inside = |c: &geo::Coord<f64>| {
        clip.min().x <= c.x && c.x <= clip.max().x && clip.min().y <= c.y && c.y <= clip.max().y
    };
    let out = match g {
        Geometry::Point(p) => inside(&p.0).then_some(Geometry::Point(*p))?,
        Geometry::MultiPoint(m) => {
            let kept: Vec<_> = m.0.iter().filter(|p| inside(&p.0)).copied().collect();
            (!kept.is_empty()).then_some(Geometry::MultiPoint(geo::MultiPoint(kept)))?
        }
        Geometry::LineString(l) => {
            let m = clip_lines(std::slice::from_ref(&l.simplify(tolerance)), clip);
            (!m.0.is_empty()).then_some(Geometry::MultiLineString(m))?
        }
        Geometry::MultiLineString(l) => {
            let m = clip_lines(&l.simplify(tolerance).0, clip);
            (!m.0.is_empty()).then_some(Geometry::MultiLineString(m))?
        }
        Geometry::Polygon(p) => {
            let m = MultiPolygon(vec![p.simplify(tolerance)]).intersection(area);
            (!m.0.is_empty()).then_some(Geometry::MultiPolygon(m))?
        }
        Geometry::MultiPolygon(p) => {
            let m = p.simplify(tolerance).intersection(area);
            (!m.0.is_empty()).then_some(Geometry::MultiPolygon(m))?
        }
        _ => return None,
    };
    Some(out)
}

/// Encodes one layer's tile; `None` when nothing is in it.
fn encode(
    state: &crate::record::CurrentState,
    caller: &Caller,
    layer: Layer,
    (z, x, y): (u8, u32, u32),
) -> Result<Option<Vec<u8>>, ApiError> {
    let b = tiles::bounds(z, x, y);
    let pad = b.width() * BUFFER;
    let clip = Rect::new(
        geo::coord! {x: b.min().x - pad, y: b.min().y - pad},
        geo::coord! {x: b.max().x + pad, y: b.max().y + pad},
    );
    let (left, bottom, right, top) = tiles::mercator_bounds(z, x, y);
    let mut keys = geozero::mvt::TagsBuilder::new();
    let mut features = Vec::new();
    // Candidates by their extent: cutting them to the tile decides what is in it.
    let area = MultiPolygon(vec![clip.to_polygon()]);
    let tolerance = tiles::tolerance(z);
    for id in state.index().in_envelope(layer, clip) {
        let Some(v) = state.get(&id) else { continue };
        if !caller.access.can_read(&v.body) {
            continue;
        }
        let Some(g) = cut(&v.geometry, &clip, &area, tolerance) else {
            continue;
        };
        let projected = g.map_coords(tiles::mercator);
        let mut feature = projected
            .to_mvt(EXTENT, left, bottom, right, top)
            .map_err(|e| ApiError::Internal(format!("矢量瓦片编码失败：{e}")))?;
        for (key, value) in properties(v) {
            let (k, val) = keys.insert(key.to_string(), value);
            feature.tags.push(k);
            feature.tags.push(val);
        }
        if !feature.geometry.is_empty() {
            features.push(feature);
        }
    }
    if features.is_empty() {
        return Ok(None);
    }
    let (keys, values) = keys.into_tags();
    let tile = Tile {
        layers: vec![tile::Layer {
            version: 2,
            name: layer.table().to_string(),
            features,
            keys,
            values: values.into_iter().map(Into::into).collect(),
            extent: Some(EXTENT),
        }],
    };
    Ok(Some(tile.encode_to_vec()))
}

/// `GET /tiles/{layer}/{z}/{x}/{y}.mvt`.
pub async fn tile(
    State(registry): State<AppState>,
    caller: Caller,
    Path((name, z, x, file)): Path<(String, u8, u32, String)>,
) -> Result<Response, ApiError> {
    let layer = layer_of(&caller, &name)?;
    let y: u32 = file
        .strip_suffix(".mvt")
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| ApiError::NotFound(format!("瓦片应写作 {{y}}.mvt，而不是“{file}”")))?;
    if !tiles::valid(z, x, y) {
        return Err(ApiError::NotFound(format!(
            "没有瓦片 {z}/{x}/{y}（最大级别 {MAX_ZOOM}）"
        )));
    }
    let internal = caller.access.sees_internal();
    let key = (layer, internal, z, x, y);
    let bytes = match registry.tile_cache().get(&key) {
        Some(cached) => cached,
        None => {
            let encoded =
                encode(&registry.current(), &caller, layer, (z, x, y))?.map(bytes::Bytes::from);
            registry.tile_cache().insert(key, encoded.clone());
            encoded
        }
    };
    Ok(match bytes {
        None => StatusCode::NO_CONTENT.into_response(),
        Some(b) => (
            [
                (header::CONTENT_TYPE, "application/vnd.mapbox-vector-tile"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            // A reference-counted copy of the cached bytes, not a copy of the tile.
            b,
        )
            .into_response(),
    })
}

/// `GET /tiles/{layer}.json`: TileJSON 3.0.
pub async fn tilejson(
    State(registry): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let name = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::NotFound(format!("没有“{file}”")))?;
    let layer = layer_of(&caller, name)?;
    let e = registry.config().jurisdiction.extent;
    let fields: serde_json::Map<String, serde_json::Value> = [
        ("id", "记录 id"),
        ("title", "名称或号码（有 name 的图层不另给）"),
        ("name", "标准名称"),
        ("class", "道路等级"),
        ("code", "代码或编号"),
        ("number", "门牌号"),
        ("condition", "标志状况"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), json!(v)))
    .collect();
    Ok(Json(json!({
        "tilejson": "3.0.0",
        "name": layer.label(),
        "tiles": [format!("/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", layer.table())],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": [e.west, e.south, e.east, e.north],
        "vector_layers": [{ "id": layer.table(), "fields": fields }],
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_string;

    #[test]
    fn lines_are_cut_at_the_tile_edge_into_the_parts_inside() {
        let r = Rect::new((0.0, 0.0), (10.0, 10.0));
        // Wholly inside: kept as it is.
        let inside = line_string![(x: 1.0, y: 1.0), (x: 5.0, y: 5.0), (x: 9.0, y: 1.0)];
        assert_eq!(
            clip_lines(std::slice::from_ref(&inside), &r).0,
            vec![inside]
        );
        // In, out and in again: two parts, cut at the edge.
        let wave = line_string![(x: -5.0, y: 5.0), (x: 5.0, y: 5.0), (x: 5.0, y: 15.0), (x: 8.0, y: 15.0), (x: 8.0, y: 5.0)];
        let parts = clip_lines(&[wave], &r).0;
        assert_eq!(
            parts,
            vec![
                line_string![(x: 0.0, y: 5.0), (x: 5.0, y: 5.0), (x: 5.0, y: 10.0)],
                line_string![(x: 8.0, y: 10.0), (x: 8.0, y: 5.0)],
            ]
        );
        // Wholly outside, and passing by a corner.
        let outside = line_string![(x: -5.0, y: -5.0), (x: 20.0, y: -1.0)];
        assert!(clip_lines(&[outside], &r).0.is_empty());
        // Crossing right through.
        let across = line_string![(x: -10.0, y: 5.0), (x: 20.0, y: 5.0)];
        assert_eq!(
            clip_lines(&[across], &r).0,
            vec![line_string![(x: 0.0, y: 5.0), (x: 10.0, y: 5.0)]]
        );
    }
}
