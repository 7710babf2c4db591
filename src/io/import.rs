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
use crate::record::{Changeset, CurrentState, RecordId, RecordVersion, Write};
use crate::spatial::{self, Extent};
use chrono::NaiveDate;
use rayon::prelude::*;
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

/// A feature made into a record's body and geometry, before it is checked against the
/// registry's other door numbers and the file's other features.
struct Prepared<'a> {
    valid_from: NaiveDate,
    /// The record it updates.
    existing: Option<&'a RecordVersion>,
    /// The id the file gives a new record.
    id: Option<RecordId>,
    body: Body,
    geometry: geo::Geometry<f64>,
}

/// What every feature needs to be prepared, shared by the threads that prepare them.
struct Preparing<'a> {
    current: &'a CurrentState,
    layer: Layer,
    map: &'a [(String, String)],
    extent: &'a Extent,
    today: NaiveDate,
    known: BTreeSet<&'static str>,
    /// Streets by standard name, for door plates.
    streets: HashMap<String, Vec<RecordId>>,
}

impl<'a> Preparing<'a> {
    /// The feature as a record, or why it is refused; with the file's columns the layer does
    /// not know.
    fn prepare<'f>(&self, f: &'f RawFeature) -> (Result<Prepared<'a>, String>, Vec<&'f str>) {
        let mut ignored = Vec::new();
        // Columns under their mapped, lower-cased names.
        let mut fields: HashMap<String, String> = HashMap::new();
        for (k, v) in &f.fields {
            let renamed = self
                .map
                .iter()
                .find(|(src, _)| src.eq_ignore_ascii_case(k))
                .map(|(_, dst)| dst.clone())
                .unwrap_or_else(|| k.clone())
                .to_lowercase();
            if self.known.contains(renamed.as_str()) {
                fields.insert(renamed, v.trim().to_string());
            } else {
                ignored.push(k.as_str());
            }
        }
        (self.record(f, &fields), ignored)
    }

    fn record(
        &self,
        f: &RawFeature,
        fields: &HashMap<String, String>,
    ) -> Result<Prepared<'a>, String> {
        let layer = self.layer;
        let Some(geometry) = f.geometry.clone() else {
            return Err("没有几何".into());
        };
        let kind = layer.geometry_kind();
        let geometry = kind.conform(geometry).map_err(|g| {
            format!(
                "几何类型为 {}，“{}”图层应为 {}",
                spatial::validate::kind_name(&g),
                layer.label(),
                kind.sql_name()
            )
        })?;
        spatial::validate(&geometry, self.extent).map_err(|invalid| invalid.to_string())?;
        let valid_from = match fields.get("valid_from") {
            Some(d) => d
                .parse::<NaiveDate>()
                .map_err(|_| format!("valid_from“{d}”不是日期（应为 2026-01-31）"))?,
            None => self.today,
        };
        // The record this feature updates, if any.
        let id = match fields.get("id") {
            Some(id) => Some(
                id.parse::<RecordId>()
                    .map_err(|_| format!("id“{id}”不是有效的记录 id"))?,
            ),
            None => None,
        };
        let existing = match id.map(|id| (id, self.current.get(&id))) {
            Some((_, Some(v))) if v.layer() == layer => Some(v),
            Some((id, Some(_))) => {
                return Err(format!("记录 {id} 不属于“{}”图层", layer.label()));
            }
            _ => None,
        };
        if let (Some(v), Some(version)) = (existing, fields.get("version"))
            && version.parse::<u32>().ok() != Some(v.version)
        {
            return Err(format!(
                "记录 {} 已被修改：文件中为第 {version} 版，登记簿中为第 {} 版",
                v.id, v.version
            ));
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
                (Layer::DoorPlate, "street") => match self.streets.get(&value).map(Vec::as_slice) {
                    Some([one]) => {
                        body.insert("street".into(), json!(one));
                    }
                    Some(_) => return Err(format!("街路巷“{value}”有重名，请用 street_id")),
                    None => return Err(format!("登记簿中没有街路巷“{value}”")),
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
        let body = typed(layer, Value::Object(body)).map_err(|reason| {
            let missing = columns(layer)
                .iter()
                .find(|c| reason.contains(&format!("missing field `{c}`")));
            match missing {
                Some(c) => format!("缺少必填属性“{c}”"),
                None => reason,
            }
        })?;
        Ok(Prepared {
            valid_from,
            existing,
            id,
            body,
            geometry,
        })
    }
}

/// Plans an import of `features` into `layer`. `map` renames source columns; `today` is the
/// default `valid_from`. Each feature is made into a record on all cores; the checks against
/// the registry's door numbers and the file's other features then run in the file's order, so
/// that the report is the same however the work was shared.
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
    let preparing = Preparing {
        current,
        layer,
        map,
        extent,
        today,
        known: columns(layer).iter().chain(COMMON).copied().collect(),
        streets: if layer == Layer::DoorPlate {
            let mut m: HashMap<String, Vec<RecordId>> = HashMap::new();
            for v in current.layer(Layer::Street) {
                m.entry(v.body.title()).or_default().push(v.id);
            }
            m
        } else {
            HashMap::new()
        },
    };
    let prepared: Vec<_> = features.par_iter().map(|f| preparing.prepare(f)).collect();
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
    // The file's other columns, named once however many features have them (borrowed: an
    // import of 100,000 features made and dropped two strings a feature for them).
    let mut ignored: BTreeSet<&str> = BTreeSet::new();
    let mut seen_ids = BTreeSet::new();
    report.writes.reserve(features.len());
    for (f, (result, unknown)) in features.iter().zip(prepared) {
        ignored.extend(unknown);
        let refuse = |reason: String| Refused { row: f.row, reason };
        let Prepared {
            valid_from,
            existing,
            id: given_id,
            body,
            geometry,
        } = match result {
            Ok(p) => p,
            Err(reason) => {
                report.refused.push(refuse(reason));
                continue;
            }
        };
        // Duplicates: a door number taken on its street by another record. Only a new or a
        // renumbered plate is checked: numbers that were already doubled in the registry are
        // for `diming numbering check`, not a reason to refuse an unchanged feature.
        let plate_key = match &body {
            Body::DoorPlate(d) => Some((d.street, d.number.to_string())),
            _ => None,
        };
        if let (Body::DoorPlate(d), Some(key)) = (&body, &plate_key) {
            let me = existing.map(|v| v.id);
            let moved = match existing.map(|v| &v.body) {
                Some(Body::DoorPlate(old)) => old.street != d.street || old.number != d.number,
                _ => true,
            };
            let other = taken
                .get(key)
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
                if let Some(key) = plate_key {
                    taken.entry(key).or_default().push(v.id);
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
                let id = given_id.unwrap_or_default();
                if !seen_ids.insert(id) {
                    report
                        .refused
                        .push(refuse(format!("记录 {id} 在文件中出现了两次")));
                    continue;
                }
                if let Some(key) = plate_key {
                    taken.entry(key).or_default().push(id);
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
    report.ignored_columns = ignored.into_iter().map(str::to_string).collect();
    report
}

impl Report {
    /// The changeset to commit, when nothing was refused and something changes. The writes
    /// move into it (an import's 100,000 are not copied); the report keeps its counts.
    pub fn take_changeset(&mut self, author: &str, reason: &str) -> Option<Changeset> {
        if !self.refused.is_empty() || self.writes.is_empty() {
            return None;
        }
        let mut cs = Changeset::new(author, reason);
        cs.writes = std::mem::take(&mut self.writes);
        Some(cs)
    }
}
