//! Vector tiles for the web map: `/tiles/{layer}/{z}/{x}/{y}.mvt` cut from the in-memory index
//! (features clipped to the tile with a margin and simplified for the zoom, with the
//! attributes a map needs; points thinned to one a pixel on overview zooms), 204 for an
//! empty tile, cached until a changeset touches the tile;
//! and a TileJSON per layer at `/tiles/{layer}.json`.

use super::auth::Caller;
use super::extract::ApiPath as Path;
use super::{ApiError, AppState};
use crate::model::Layer;
use crate::record::Tag;
use crate::spatial::tiles::{self, BUFFER, MAX_ZOOM};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo::{BooleanOps, Geometry, MapCoords, MultiPolygon, Rect, Simplify};
use geozero::ToMvt;
use geozero::mvt::{Message, Tile, tile};
use serde_json::json;

const EXTENT: u32 = 4096;

/// Cells across a tile within which points are thinned to one, on zooms below [`THIN_BELOW`].
const THIN_CELLS: f64 = 512.0;

/// The first zoom with every point (street level: a z16 tile is about 440 m across here).
const THIN_BELOW: u8 = 16;

fn layer_of(caller: &Caller, name: &str) -> Result<Layer, ApiError> {
    Layer::from_table(name)
        .filter(|l| caller.access.can_read_layer(*l))
        .ok_or_else(|| ApiError::NotFound(format!("没有图层“{name}”")))
}

/// The attributes a map draws with, each given to `tag`: the id, then what the record's
/// domain type says a map draws it with ([`crate::record::Describe::map_tags`]).
fn properties(v: &crate::model::RecordVersion, mut tag: impl FnMut(&'static str, Tag)) {
    tag("id", Tag::Own(v.id.to_string()));
    v.body.describe().map_tags(&mut tag);
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

/// Calls `part` with each run of `line` inside `r`: a line wholly inside as it is, others cut
/// segment by segment (far cheaper than a general boolean operation, which tiles of many
/// streets cannot afford). `current` is a buffer for the runs.
fn for_each_part(
    line: &[geo::Coord<f64>],
    r: &Rect<f64>,
    current: &mut Vec<geo::Coord<f64>>,
    mut part: impl FnMut(&[geo::Coord<f64>]),
) {
    let inside = |c: &geo::Coord<f64>| {
        r.min().x <= c.x && c.x <= r.max().x && r.min().y <= c.y && c.y <= r.max().y
    };
    if line.iter().all(inside) {
        if line.len() >= 2 {
            part(line);
        }
        return;
    }
    current.clear();
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let at = |t: f64| geo::coord! {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
        match segment_in(a, b, r) {
            None => {
                if current.len() >= 2 {
                    part(current);
                }
                current.clear();
            }
            Some((t0, t1)) => {
                if current.is_empty() || t0 > 0.0 {
                    if current.len() >= 2 {
                        part(current);
                    }
                    current.clear();
                    current.push(at(t0));
                }
                current.push(at(t1));
                if t1 < 1.0 {
                    part(current);
                    current.clear();
                }
            }
        }
    }
    if current.len() >= 2 {
        part(current);
    }
}

/// The part of an area within `area` (the tile with its margin), simplified by `tolerance`
/// degrees.
fn cut_area(
    g: &Geometry<f64>,
    area: &MultiPolygon<f64>,
    tolerance: f64,
) -> Option<MultiPolygon<f64>> {
    let m = match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.simplify(tolerance)]).intersection(area),
        Geometry::MultiPolygon(p) => p.simplify(tolerance).intersection(area),
        _ => return None,
    };
    (!m.0.is_empty()).then_some(m)
}

/// MVT commands (MoveTo, LineTo) and their zig-zag parameters.
const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;

fn command(id: u32, count: usize) -> u32 {
    (id & 0x7) | ((count as u32) << 3)
}

fn zigzag(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

/// A tile's coordinate grid: longitude/latitude to the tile's units (0 to 4096 across the
/// tile, y downwards), and the geometries of points and lines written straight as MVT
/// commands: projected, cut at the tile's margin, simplified and snapped to whole units the
/// way `ST_AsMVTGeom` does, without building intermediate geometries.
struct Grid {
    left: f64,
    top: f64,
    scale_x: f64,
    scale_y: f64,
    /// The tile with its margin, in tile units.
    clip: Rect<f64>,
}

impl Grid {
    fn new((z, x, y): (u8, u32, u32)) -> Self {
        let (left, bottom, right, top) = tiles::mercator_bounds(z, x, y);
        let extent = f64::from(EXTENT);
        let pad = extent * BUFFER;
        Grid {
            left,
            top,
            scale_x: extent / (right - left),
            scale_y: extent / (top - bottom),
            clip: Rect::new(
                geo::coord! {x: -pad, y: -pad},
                geo::coord! {x: extent + pad, y: extent + pad},
            ),
        }
    }

    fn at(&self, c: geo::Coord<f64>) -> geo::Coord<f64> {
        let m = tiles::mercator(c);
        geo::coord! {x: (m.x - self.left) * self.scale_x, y: (self.top - m.y) * self.scale_y}
    }

    fn inside(&self, c: geo::Coord<f64>) -> bool {
        let r = &self.clip;
        r.min().x <= c.x && c.x <= r.max().x && r.min().y <= c.y && c.y <= r.max().y
    }

    /// The points inside the tile as one MoveTo; empty when none is.
    fn points(&self, points: impl Iterator<Item = geo::Coord<f64>>) -> Vec<u32> {
        let mut params = Vec::new();
        let (mut cx, mut cy) = (0i32, 0i32);
        for p in points {
            let t = self.at(p);
            if !self.inside(t) {
                continue;
            }
            let (x, y) = (t.x.round() as i32, t.y.round() as i32);
            params.push(zigzag(x - cx));
            params.push(zigzag(y - cy));
            (cx, cy) = (x, y);
        }
        if params.is_empty() {
            return params;
        }
        let mut out = Vec::with_capacity(params.len() + 1);
        out.push(command(MOVE_TO, params.len() / 2));
        out.extend(params);
        out
    }

    /// The parts of lines inside the tile, each simplified by a quarter of a unit and snapped
    /// to whole units; parts that shrink to one point are left out. Empty when nothing is in.
    fn lines<'a>(
        &self,
        lines: impl Iterator<Item = &'a geo::LineString<f64>>,
        buffers: &mut LineBuffers,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        let mut cursor = (0i32, 0i32);
        let LineBuffers {
            projected,
            part,
            snapped,
        } = buffers;
        for l in lines {
            projected.clear();
            projected.extend(l.0.iter().map(|c| self.at(*c)));
            for_each_part(projected, &self.clip, part, |run| {
                let simple = if run.len() > 2 {
                    geo::LineString(run.to_vec()).simplify(0.25).0
                } else {
                    run.to_vec()
                };
                snapped.clear();
                for c in &simple {
                    let p = (c.x.round() as i32, c.y.round() as i32);
                    if snapped.last() != Some(&p) {
                        snapped.push(p);
                    }
                }
                write_line(snapped, &mut cursor, &mut out);
            });
        }
        out
    }
}

/// Buffers reused from one line to the next of a tile.
#[derive(Default)]
struct LineBuffers {
    projected: Vec<geo::Coord<f64>>,
    part: Vec<geo::Coord<f64>>,
    snapped: Vec<(i32, i32)>,
}

/// One line part, already snapped to whole units without repeated points, as MoveTo and
/// LineTo; a part of fewer than two points is left out.
fn write_line(snapped: &[(i32, i32)], cursor: &mut (i32, i32), out: &mut Vec<u32>) {
    if snapped.len() < 2 {
        return;
    }
    out.reserve(4 + 2 * snapped.len());
    let mut delta = |p: (i32, i32), out: &mut Vec<u32>| {
        out.push(zigzag(p.0 - cursor.0));
        out.push(zigzag(p.1 - cursor.1));
        *cursor = p;
    };
    out.push(command(MOVE_TO, 1));
    delta(snapped[0], out);
    out.push(command(LINE_TO, snapped.len() - 1));
    for p in &snapped[1..] {
        delta(*p, out);
    }
}

/// A tile's attribute tables: keys shared, values that repeat (classes, categories) shared,
/// values of one feature (ids, names, numbers) written without a lookup.
#[derive(Default)]
struct Tags {
    keys: Vec<String>,
    values: Vec<tile::Value>,
    shared: std::collections::HashMap<String, u32>,
}

impl Tags {
    fn key(&mut self, key: &str) -> u32 {
        match self.keys.iter().position(|k| k == key) {
            Some(i) => i as u32,
            None => {
                self.keys.push(key.to_string());
                (self.keys.len() - 1) as u32
            }
        }
    }

    fn value(&mut self, value: String) -> u32 {
        self.values.push(tile::Value {
            string_value: Some(value),
            ..Default::default()
        });
        (self.values.len() - 1) as u32
    }

    fn shared_value(&mut self, value: &str) -> u32 {
        if let Some(i) = self.shared.get(value) {
            return *i;
        }
        let i = self.value(value.to_string());
        self.shared.insert(value.to_string(), i);
        i
    }

    fn tag(&mut self, feature: &mut tile::Feature, key: &str, value: Tag) {
        let k = self.key(key);
        let v = match value {
            Tag::Own(s) => self.value(s),
            Tag::Code(s) => self.shared_value(s),
        };
        feature.tags.push(k);
        feature.tags.push(v);
    }
}

/// Encodes one layer's tile; `None` when nothing is in it.
fn encode(
    state: &crate::model::CurrentState,
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
    let grid = Grid::new((z, x, y));
    let mut buffers = LineBuffers::default();
    let mut tags = Tags::default();
    let mut features = Vec::new();
    // Candidates by their extent: cutting them to the tile decides what is in it.
    let area = MultiPolygon(vec![clip.to_polygon()]);
    let tolerance = tiles::tolerance(z);
    // Points are thinned on the overview zooms: one per cell of 1/512 of the tile (a pixel
    // of the map's 512-pixel tiles), the smallest id first, so every tile and every run
    // keeps the same one. Without it a z10 tile of a city of 100,000 door plates was 9 MB of
    // points drawn on top of each other. From street level down every point is there (signs
    // on one post, plates of one courtyard), for officers to click.
    let thin = z < THIN_BELOW;
    let mut ids = state.index().in_envelope(layer, clip);
    if thin {
        ids.sort_unstable();
    }
    let mut cells: std::collections::HashSet<(i64, i64)> = std::collections::HashSet::new();
    for id in ids {
        let Some(v) = state.get(&id) else { continue };
        if !caller.access.can_read(&v.body) {
            continue;
        }
        if let (true, Geometry::Point(p)) = (thin, &v.geometry) {
            let m = tiles::mercator(p.0);
            let cell = (
                ((m.x - left) / (right - left) * THIN_CELLS).floor() as i64,
                ((top - m.y) / (top - bottom) * THIN_CELLS).floor() as i64,
            );
            if !cells.insert(cell) {
                continue;
            }
        }
        let (kind, geometry) = match &v.geometry {
            Geometry::Point(p) => (tile::GeomType::Point, grid.points(std::iter::once(p.0))),
            Geometry::MultiPoint(m) => (tile::GeomType::Point, grid.points(m.iter().map(|p| p.0))),
            Geometry::LineString(l) => (
                tile::GeomType::Linestring,
                grid.lines(std::iter::once(l), &mut buffers),
            ),
            Geometry::MultiLineString(m) => (
                tile::GeomType::Linestring,
                grid.lines(m.iter(), &mut buffers),
            ),
            g => {
                let Some(m) = cut_area(g, &area, tolerance) else {
                    continue;
                };
                let projected = Geometry::MultiPolygon(m).map_coords(tiles::mercator);
                let f = projected
                    .to_mvt(EXTENT, left, bottom, right, top)
                    .map_err(|e| ApiError::Internal(format!("矢量瓦片编码失败：{e}")))?;
                (tile::GeomType::Polygon, f.geometry)
            }
        };
        if geometry.is_empty() {
            continue;
        }
        let mut feature = tile::Feature {
            r#type: Some(kind as i32),
            geometry,
            tags: Vec::with_capacity(8),
            ..Default::default()
        };
        properties(v, |key, value| tags.tag(&mut feature, key, value));
        features.push(feature);
    }
    if features.is_empty() {
        return Ok(None);
    }
    let tile = Tile {
        layers: vec![tile::Layer {
            version: 2,
            name: layer.table().to_string(),
            features,
            keys: tags.keys,
            values: tags.values,
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

    /// The runs of `line` inside `r`, as line strings.
    fn clip(line: geo::LineString<f64>, r: &Rect<f64>) -> Vec<geo::LineString<f64>> {
        let mut parts = Vec::new();
        for_each_part(&line.0, r, &mut Vec::new(), |run| {
            parts.push(geo::LineString(run.to_vec()))
        });
        parts
    }

    #[test]
    fn lines_are_written_as_commands_snapped_to_whole_units() {
        let c = |x: f64, y: f64| geo::coord! {x: x, y: y};
        let mut out = Vec::new();
        let mut cursor = (0, 0);
        // Two parts: the second starts from where the first ended (deltas).
        write_line(&[(1, 1), (5, 1)], &mut cursor, &mut out);
        write_line(&[(5, 3), (2, 3)], &mut cursor, &mut out);
        assert_eq!(
            out,
            vec![
                command(MOVE_TO, 1),
                zigzag(1),
                zigzag(1),
                command(LINE_TO, 1),
                zigzag(4),
                zigzag(0),
                command(MOVE_TO, 1),
                zigzag(0),
                zigzag(2),
                command(LINE_TO, 1),
                zigzag(-3),
                zigzag(0),
            ]
        );
        // A part of one point is left out.
        let before = out.len();
        write_line(&[(7, 7)], &mut cursor, &mut out);
        assert_eq!(out.len(), before);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);

        // Through a grid: projected, snapped, repeated points dropped, a line shorter than a
        // unit left out.
        let grid = Grid::new((0, 0, 0));
        let mut buffers = LineBuffers::default();
        let unit = 360.0 / 4096.0;
        let short = geo::LineString(vec![c(0.0, 0.0), c(unit * 0.3, 0.0)]);
        assert!(grid.lines(std::iter::once(&short), &mut buffers).is_empty());
        let long = geo::LineString(vec![c(0.0, 0.0), c(unit * 0.1, 0.0), c(unit * 10.0, 0.0)]);
        assert_eq!(
            grid.lines(std::iter::once(&long), &mut buffers),
            vec![
                command(MOVE_TO, 1),
                zigzag(2048),
                zigzag(2048),
                command(LINE_TO, 1),
                zigzag(10),
                zigzag(0),
            ]
        );
        // Points within a quarter unit of the line are simplified away, others kept.
        let bent = geo::LineString(vec![
            c(0.0, 0.0),
            c(unit * 5.0, unit * 0.2),
            c(unit * 10.0, 0.0),
            c(unit * 15.0, unit * 3.0),
        ]);
        assert_eq!(
            grid.lines(std::iter::once(&bent), &mut buffers),
            vec![
                command(MOVE_TO, 1),
                zigzag(2048),
                zigzag(2048),
                command(LINE_TO, 2),
                zigzag(10),
                zigzag(0),
                zigzag(5),
                zigzag(-3),
            ]
        );
    }

    #[test]
    fn lines_are_cut_at_the_tile_edge_into_the_parts_inside() {
        let r = Rect::new((0.0, 0.0), (10.0, 10.0));
        // Wholly inside: kept as it is.
        let inside = line_string![(x: 1.0, y: 1.0), (x: 5.0, y: 5.0), (x: 9.0, y: 1.0)];
        assert_eq!(clip(inside.clone(), &r), vec![inside]);
        // In, out and in again: two parts, cut at the edge.
        let wave = line_string![(x: -5.0, y: 5.0), (x: 5.0, y: 5.0), (x: 5.0, y: 15.0), (x: 8.0, y: 15.0), (x: 8.0, y: 5.0)];
        assert_eq!(
            clip(wave, &r),
            vec![
                line_string![(x: 0.0, y: 5.0), (x: 5.0, y: 5.0), (x: 5.0, y: 10.0)],
                line_string![(x: 8.0, y: 10.0), (x: 8.0, y: 5.0)],
            ]
        );
        // Wholly outside, and passing by a corner.
        let outside = line_string![(x: -5.0, y: -5.0), (x: 20.0, y: -1.0)];
        assert!(clip(outside, &r).is_empty());
        // Crossing right through.
        let across = line_string![(x: -10.0, y: 5.0), (x: 20.0, y: 5.0)];
        assert_eq!(
            clip(across, &r),
            vec![line_string![(x: 0.0, y: 5.0), (x: 10.0, y: 5.0)]]
        );
    }
}
