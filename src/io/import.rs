//! Features read from a file, against the registry: which records they create, which they
//! change, which they leave as they are, and which are refused and why. Nothing here writes:
//! the caller commits the changeset only when nothing was refused (all or nothing).
//!
//! Columns (after `--map src=dst`, names compared without case):
//! - every layer: `id` (an existing record: the feature updates it), `version` (then it must be
//!   the current one, or the feature is stale), `valid_from`;
//! - `streets`: `name` (required), `name_mn`, `class` (code or 主干路/次干路/支路/巷; default
//!   支路), `status`;
//! - `places`: `name`, `category` (required; code or census name), `name_mn`, `status`;
//! - `door_plates`: `number` (required), `street` (its standard name) or `street_id`, `kind`;
//! - `admin_units`: `code`, `name`, `level` (required), `name_mn`, `parent`.
//!
//! Other columns are listed in the report as ignored. A feature that matches its record in
//! every imported attribute and in geometry (within 1e-9°, about 0.1 mm) is unchanged, so an
//! export imported again writes nothing.

use super::RawFeature;
use crate::layers::{Body, Layer};
use crate::record::{Changeset, CurrentState, RecordId, Write};
use crate::spatial::{self, Extent};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashMap};

/// Columns each layer understands.
pub fn columns(layer: Layer) -> &'static [&'static str] {
    match layer {
        Layer::Street => &["name", "name_mn", "class", "status"],
        Layer::Place => &["name", "name_mn", "category", "status"],
        Layer::DoorPlate => &["number", "street", "street_id", "kind"],
        Layer::AdminUnit => &["code", "name", "name_mn", "level", "parent"],
        Layer::Campaign
        | Layer::Sign
        | Layer::SignInspection
        | Layer::WorkOrder
        | Layer::Marker
        | Layer::MarkerObservation
        | Layer::Dispute
        | Layer::BoundaryLine
        | Layer::LineInspection
        | Layer::Agreement
        | Layer::Cemetery
        | Layer::CemeterySection
        | Layer::Plot
        | Layer::Burial
        | Layer::SubsidyClaim
        | Layer::Grave
        | Layer::Notice
        | Layer::Zone => &[],
    }
}

const COMMON: &[&str] = &["id", "version", "valid_from"];

/// Why one feature is refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refused {
    pub row: usize,
    pub reason: String,
}

/// What an import would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub layer: Layer,
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: Vec<Refused>,
    pub ignored_columns: Vec<String>,
    #[serde(skip)]
    pub writes: Vec<Write>,
}

/// Translates labels officers write into the codes of the schema.
fn code_of(column: &str, value: &str) -> String {
    use crate::addresses::PlateKind;
    use crate::boundaries::UnitLevel;
    use crate::names::naming::NameStatus;
    let v = value.trim();
    let found = match column {
        "class" => [
            ("arterial", "主干路"),
            ("secondary", "次干路"),
            ("branch", "支路"),
            ("lane", "巷"),
        ]
        .iter()
        .find(|(_, l)| *l == v)
        .map(|(c, _)| c.to_string()),
        "level" => [
            UnitLevel::County,
            UnitLevel::Township,
            UnitLevel::TownshipLike,
            UnitLevel::Community,
            UnitLevel::Village,
        ]
        .iter()
        .find(|l| l.label() == v)
        .map(|l| l.as_str().to_string()),
        "kind" => PlateKind::ALL
            .iter()
            .find(|k| k.label() == v)
            .and_then(|k| serde_json::to_value(k).ok())
            .and_then(|k| k.as_str().map(str::to_string)),
        "category" => v
            .parse::<crate::names::PlaceCategory>()
            .ok()
            .map(|c| c.as_str().to_string()),
        "status" => [
            NameStatus::Proposed,
            NameStatus::Checked,
            NameStatus::Approved,
            NameStatus::Published,
            NameStatus::Rejected,
        ]
        .iter()
        .find(|s| s.label() == v)
        .map(|s| s.as_str().to_string()),
        _ => None,
    };
    found.unwrap_or_else(|| v.to_string())
}

fn typed(layer: Layer, value: Value) -> Result<Body, String> {
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_path_to_error::deserialize(v)
            .map_err(|e| format!("属性 {} 无效：{}", e.path(), e.inner()))
    }
    Ok(match layer {
        Layer::AdminUnit => Body::AdminUnit(de(value)?),
        Layer::Street => Body::Street(de(value)?),
        Layer::Place => Body::Place(de(value)?),
        Layer::DoorPlate => Body::DoorPlate(de(value)?),
        other => return Err(format!("“{}”不能从文件导入", other.label())),
    })
}

/// The same shape to 1e-9°, whatever the direction of its rings (Shapefiles turn them).
fn same_geometry(a: &geo::Geometry<f64>, b: &geo::Geometry<f64>) -> bool {
    use geo::CoordsIter;
    use geo::orient::{Direction, Orient};
    let oriented = |g: &geo::Geometry<f64>| match g {
        geo::Geometry::Polygon(p) => geo::Geometry::Polygon(p.orient(Direction::Default)),
        geo::Geometry::MultiPolygon(p) => geo::Geometry::MultiPolygon(p.orient(Direction::Default)),
        other => other.clone(),
    };
    let (a, b) = (oriented(a), oriented(b));
    a.coords_count() == b.coords_count()
        && a.coords_iter()
            .zip(b.coords_iter())
            .all(|(p, q)| (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9)
}

/// Plans an import of `features` into `layer`. `map` renames source columns; `today` is the
/// default `valid_from`.
pub fn plan(
    current: &CurrentState,
    layer: Layer,
    features: &[RawFeature],
    map: &[(String, String)],
    extent: &Extent,
    today: NaiveDate,
) -> Report {
    let mut report = Report {
        layer,
        read: features.len(),
        created: 0,
        updated: 0,
        unchanged: 0,
        refused: Vec::new(),
        ignored_columns: Vec::new(),
        writes: Vec::new(),
    };
    if columns(layer).is_empty() {
        report.refused.push(Refused {
            row: 0,
            reason: format!("“{}”不能从文件导入", layer.label()),
        });
        return report;
    }
    let known: BTreeSet<&str> = columns(layer).iter().chain(COMMON).copied().collect();
    let mut ignored = BTreeSet::new();
    // Streets by standard name, for door plates.
    let streets: HashMap<String, Vec<RecordId>> = if layer == Layer::DoorPlate {
        let mut m: HashMap<String, Vec<RecordId>> = HashMap::new();
        for v in current.layer(Layer::Street) {
            m.entry(v.body.title()).or_default().push(v.id);
        }
        m
    } else {
        HashMap::new()
    };
    // Door numbers already in use, per street, and those taken by this file.
    let mut taken: HashMap<(RecordId, String), Vec<RecordId>> = HashMap::new();
    if layer == Layer::DoorPlate {
        for v in current.layer(Layer::DoorPlate) {
            if let Body::DoorPlate(d) = &v.body {
                taken
                    .entry((d.street, d.number.to_string()))
                    .or_default()
                    .push(v.id);
            }
        }
    }
    let mut seen_ids = BTreeSet::new();
    for f in features {
        let refuse = |reason: String| Refused { row: f.row, reason };
        // Columns under their mapped, lower-cased names.
        let mut fields: HashMap<String, String> = HashMap::new();
        for (k, v) in &f.fields {
            let renamed = map
                .iter()
                .find(|(src, _)| src.eq_ignore_ascii_case(k))
                .map(|(_, dst)| dst.clone())
                .unwrap_or_else(|| k.clone())
                .to_lowercase();
            if known.contains(renamed.as_str()) {
                fields.insert(renamed, v.trim().to_string());
            } else {
                ignored.insert(k.clone());
            }
        }
        let Some(geometry) = f.geometry.clone() else {
            report.refused.push(refuse("没有几何".into()));
            continue;
        };
        let kind = layer.geometry_kind();
        let geometry = match kind.conform(geometry) {
            Ok(g) => g,
            Err(g) => {
                report.refused.push(refuse(format!(
                    "几何类型为 {}，“{}”图层应为 {}",
                    spatial::validate::kind_name(&g),
                    layer.label(),
                    kind.sql_name()
                )));
                continue;
            }
        };
        if let Err(invalid) = spatial::validate(&geometry, extent) {
            report.refused.push(refuse(invalid.to_string()));
            continue;
        }
        let valid_from = match fields.get("valid_from") {
            Some(d) => match d.parse::<NaiveDate>() {
                Ok(d) => d,
                Err(_) => {
                    report.refused.push(refuse(format!(
                        "valid_from“{d}”不是日期（应为 2026-01-31）"
                    )));
                    continue;
                }
            },
            None => today,
        };
        // The record this feature updates, if any.
        let existing = match fields.get("id") {
            Some(id) => match id.parse::<RecordId>() {
                Ok(id) => match current.get(&id) {
                    Some(v) if v.layer() == layer => Some(v),
                    Some(_) => {
                        report
                            .refused
                            .push(refuse(format!("记录 {id} 不属于“{}”图层", layer.label())));
                        continue;
                    }
                    None => None,
                },
                Err(_) => {
                    report
                        .refused
                        .push(refuse(format!("id“{id}”不是有效的记录 id")));
                    continue;
                }
            },
            None => None,
        };
        if let (Some(v), Some(version)) = (existing, fields.get("version"))
            && version.parse::<u32>().ok() != Some(v.version)
        {
            report.refused.push(refuse(format!(
                "记录 {} 已被修改：文件中为第 {version} 版，登记簿中为第 {} 版",
                v.id, v.version
            )));
            continue;
        }
        // The body: the record's own, with the file's columns over it.
        let mut body: Map<String, Value> = match existing {
            Some(v) => match serde_json::to_value(&v.body) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            },
            None => {
                let mut m = Map::new();
                m.insert("source".into(), json!("survey"));
                m
            }
        };
        body.remove("layer");
        let mut error = None;
        for column in columns(layer) {
            let Some(value) = fields.get(*column) else {
                continue;
            };
            let value = code_of(column, value);
            match (layer, *column) {
                (Layer::Street | Layer::Place, "status") => {
                    let naming = body.entry("naming").or_insert_with(|| json!({}));
                    naming["status"] = json!(value);
                }
                (Layer::DoorPlate, "street") => match streets.get(&value).map(Vec::as_slice) {
                    Some([one]) => {
                        body.insert("street".into(), json!(one));
                    }
                    Some(_) => error = Some(format!("街路巷“{value}”有重名，请用 street_id")),
                    None => error = Some(format!("登记簿中没有街路巷“{value}”")),
                },
                (Layer::DoorPlate, "street_id") => {
                    body.insert("street".into(), json!(value));
                }
                (Layer::AdminUnit, "parent") => {
                    body.insert("parent".into(), json!(value));
                }
                _ => {
                    body.insert((*column).to_string(), json!(value));
                }
            }
        }
        if existing.is_none() && layer == Layer::Street && !body.contains_key("class") {
            body.insert("class".into(), json!("branch"));
        }
        if let Some(e) = error {
            report.refused.push(refuse(e));
            continue;
        }
        let body = match typed(layer, Value::Object(body)) {
            Ok(b) => b,
            Err(reason) => {
                let missing = columns(layer)
                    .iter()
                    .find(|c| reason.contains(&format!("missing field `{c}`")));
                let reason = match missing {
                    Some(c) => format!("缺少必填属性“{c}”"),
                    None => reason,
                };
                report.refused.push(refuse(reason));
                continue;
            }
        };
        // Duplicates: a door number taken on its street by another record. Only a new or a
        // renumbered plate is checked: numbers that were already doubled in the registry are
        // for `diming numbering check`, not a reason to refuse an unchanged feature.
        if let Body::DoorPlate(d) = &body {
            let key = (d.street, d.number.to_string());
            let me = existing.map(|v| v.id);
            let moved = match existing.map(|v| &v.body) {
                Some(Body::DoorPlate(old)) => old.street != d.street || old.number != d.number,
                _ => true,
            };
            let other = taken
                .get(&key)
                .and_then(|ids| ids.iter().find(|id| Some(**id) != me));
            if let (true, Some(other)) = (moved, other) {
                report.refused.push(refuse(format!(
                    "门牌号重复：该街路巷已有 {}（记录 {other}）",
                    d.number
                )));
                continue;
            }
        }
        match existing {
            Some(v) => {
                if !seen_ids.insert(v.id) {
                    report
                        .refused
                        .push(refuse(format!("记录 {} 在文件中出现了两次", v.id)));
                    continue;
                }
                if v.body == body && same_geometry(&v.geometry, &geometry) {
                    report.unchanged += 1;
                    continue;
                }
                if v.body.naming().is_some() && v.body.title() != body.title() {
                    report.refused.push(refuse(format!(
                        "“{}”改为“{}”是更名：须走地名审批流程（diming names）",
                        v.body.title(),
                        body.title()
                    )));
                    continue;
                }
                if let Body::DoorPlate(d) = &body {
                    taken
                        .entry((d.street, d.number.to_string()))
                        .or_default()
                        .push(v.id);
                }
                report.updated += 1;
                report.writes.push(Write::Update {
                    id: v.id,
                    base_version: v.version,
                    valid_from: valid_from.max(v.valid_from),
                    body,
                    geometry,
                });
            }
            None => {
                let id = fields
                    .get("id")
                    .and_then(|i| i.parse().ok())
                    .unwrap_or_default();
                if !seen_ids.insert(id) {
                    report
                        .refused
                        .push(refuse(format!("记录 {id} 在文件中出现了两次")));
                    continue;
                }
                if let Body::DoorPlate(d) = &body {
                    taken
                        .entry((d.street, d.number.to_string()))
                        .or_default()
                        .push(id);
                }
                report.created += 1;
                report.writes.push(Write::Create {
                    id,
                    valid_from,
                    body,
                    geometry,
                });
            }
        }
    }
    report.ignored_columns = ignored.into_iter().collect();
    report
}

impl Report {
    /// The changeset to commit, when nothing was refused and something changes.
    pub fn changeset(&self, author: &str, reason: &str) -> Option<Changeset> {
        if !self.refused.is_empty() || self.writes.is_empty() {
            return None;
        }
        let mut cs = Changeset::new(author, reason);
        cs.writes = self.writes.clone();
        Some(cs)
    }
}
