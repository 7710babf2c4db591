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
    let mut out = vec![
        ("id", TileValue::Str(v.id.to_string())),
        ("title", TileValue::Str(v.body.title())),
    ];
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

/// The part of `g` within `clip`, simplified by `tolerance` degrees.
fn cut(g: &Geometry<f64>, clip: &Rect<f64>, tolerance: f64) -> Option<Geometry<f64>> {
    let area = MultiPolygon(vec![clip.to_polygon()]);
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
            let m = area.clip(&geo::MultiLineString(vec![l.simplify(tolerance)]), false);
            (!m.0.is_empty()).then_some(Geometry::MultiLineString(m))?
        }
        Geometry::MultiLineString(l) => {
            let m = area.clip(&l.simplify(tolerance), false);
            (!m.0.is_empty()).then_some(Geometry::MultiLineString(m))?
        }
        Geometry::Polygon(p) => {
            let m = MultiPolygon(vec![p.simplify(tolerance)]).intersection(&area);
            (!m.0.is_empty()).then_some(Geometry::MultiPolygon(m))?
        }
        Geometry::MultiPolygon(p) => {
            let m = p.simplify(tolerance).intersection(&area);
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
    for id in state.index().intersecting(layer, clip) {
        let Some(v) = state.get(&id) else { continue };
        if !caller.access.can_read(&v.body) {
            continue;
        }
        let Some(g) = cut(&v.geometry, &clip, tiles::tolerance(z)) else {
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
        ("title", "名称或号码"),
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
