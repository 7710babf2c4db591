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
//! - `admin_units`: `code`, `name`, `level` (required), `name_mn`, `parent`;
//! - `boundary_markers`: `number`, `kind`, `units` (division codes separated by `;`),
//!   `material`, `height_m`, `references` (`名称,方位角,距离;…`) (required), `description`,
//!   `installed`;
//! - `cemeteries`: `name`, `kind`, `operator` (required), `address`, `approval`, `opened`;
//! - `cemetery_sections`: `cemetery` (its id or name), `code` (required), `name`;
//! - `plots`: `cemetery` (id or name), `number` (区-排-号: its section is the one with the first
//!   part as code), `remains`, `occupancy` (required), `status` (default available),
//!   `laid_out` (default `valid_from`);
//! - `graves`: `number`, `kind`, `surveyed` (required), `area_m2`, `buried`, `owner`,
//!   `owner_phone` (a masked number leaves the registered one), `treatment`, `notes`;
//! - `zones`: `name`, `kind` (required), `basis`;
//! - `signs`: `code`, `kind`, `mounting`, `width_mm`, `height_mm`, `text` (required), `text_mn`,
//!   `pinyin`, `number`, `facing`, `condition`, `installed`, `names` (record ids separated by
//!   `;`; a new sign without them names the street or place whose standard name it shows).
//!
//! A sign's code, a marker's or a grave's number, a cemetery's name and a section's code in its
//! cemetery that another record already has are refused (as door numbers are).
//!
//! Codes may be given by their Chinese names (硬化大墓, 水源保护区, 骨灰, 单穴…). In the layers
//! after `admin_units` an empty cell means no value. Plots are also checked as laid out: those
//! the cemetery check would find at fault once imported are refused.
//!
//! Other columns are listed in the report as ignored. A feature that matches its record in
//! every imported attribute and in geometry (within 1e-9°, about 0.1 mm) is unchanged, so an
//! export imported again writes nothing.

use super::RawFeature;
use crate::model::{Body, Changeset, CurrentState, Layer, RecordVersion, Write};
use crate::record::{ApprovalDocument, RecordId};
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
        Layer::Marker => &[
            "number",
            "kind",
            "units",
            "material",
            "height_m",
            "references",
            "description",
            "installed",
        ],
        Layer::Cemetery => &["name", "kind", "operator", "address", "approval", "opened"],
        Layer::CemeterySection => &["cemetery", "code", "name"],
        Layer::Plot => &[
            "cemetery",
            "number",
            "remains",
            "occupancy",
            "status",
            "laid_out",
        ],
        Layer::Grave => &[
            "number",
            "kind",
            "area_m2",
            "buried",
            "owner",
            "owner_phone",
            "treatment",
            "surveyed",
            "notes",
        ],
        Layer::Zone => &["name", "kind", "basis"],
        Layer::Sign => &[
            "code",
            "kind",
            "mounting",
            "width_mm",
            "height_mm",
            "text",
            "text_mn",
            "pinyin",
            "number",
            "facing",
            "condition",
            "installed",
            "names",
        ],
        // Workflow records (inspections, orders, disputes, burials, claims, notices…) are
        // made by their modules' forms and commands, not surveyed; boundary lines carry their
        // approval documents and are derived from the units (`diming boundaries lines`).
        Layer::Campaign
        | Layer::SignInspection
        | Layer::WorkOrder
        | Layer::MarkerObservation
        | Layer::Dispute
        | Layer::BoundaryLine
        | Layer::LineInspection
        | Layer::Agreement
        | Layer::Burial
        | Layer::SubsidyClaim
        | Layer::Notice => &[],
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
    /// The file's row of each write.
    #[serde(skip)]
    rows: Vec<usize>,
    /// The approval document the import cites (the changeset's).
    #[serde(skip)]
    document: Option<ApprovalDocument>,
}

/// Translates labels officers write into the codes of the schema.
fn code_of(layer: Layer, column: &str, value: &str) -> String {
    use crate::addresses::PlateKind;
    use crate::boundaries::UnitLevel;
    use crate::cemetery::{CemeteryKind, GraveKind, PlotStatus, Treatment, ZoneKind};
    use crate::names::naming::NameStatus;
    use crate::signs::{Condition, Mounting, SignKind};
    /// The code (serde's name) of the value among `all` whose label is `v`.
    fn labelled<T: Copy + Serialize>(
        all: &[T],
        label: fn(T) -> &'static str,
        v: &str,
    ) -> Option<String> {
        all.iter()
            .find(|k| label(**k) == v)
            .and_then(|k| serde_json::to_value(k).ok())
            .and_then(|k| k.as_str().map(str::to_string))
    }
    let v = value.trim();
    let found = match (layer, column) {
        (Layer::Sign, "kind") => labelled(&SignKind::ALL, SignKind::label, v),
        (Layer::Sign, "mounting") => labelled(&Mounting::ALL, Mounting::label, v),
        (Layer::Sign, "condition") => labelled(&Condition::ALL, Condition::label, v),
        (Layer::Marker, "kind") => match v {
            "双面界桩" | "双面" => Some("two_faced".to_string()),
            "三面界桩" | "三面界桩（三交点）" | "三面" => {
                Some("three_faced".to_string())
            }
            _ => None,
        },
        (Layer::Cemetery, "kind") => labelled(&CemeteryKind::ALL, CemeteryKind::label, v),
        (Layer::Plot, "remains") => match v {
            "骨灰" => Some("ashes".to_string()),
            "遗体" => Some("body".to_string()),
            _ => None,
        },
        (Layer::Plot, "occupancy") => match v {
            "单穴" => Some("single".to_string()),
            "双穴" => Some("double".to_string()),
            _ => None,
        },
        (Layer::Plot, "status") => labelled(&PlotStatus::ALL, PlotStatus::label, v),
        (Layer::Grave, "kind") => labelled(&GraveKind::ALL, GraveKind::label, v),
        (Layer::Grave, "treatment") => labelled(&Treatment::ALL, Treatment::label, v),
        (Layer::Zone, "kind") => v.parse::<ZoneKind>().ok().map(|k| k.as_str().to_string()),
        (Layer::Street, "class") => [
            ("arterial", "主干路"),
            ("secondary", "次干路"),
            ("branch", "支路"),
            ("lane", "巷"),
        ]
        .iter()
        .find(|(_, l)| *l == v)
        .map(|(c, _)| c.to_string()),
        (Layer::AdminUnit, "level") => [
            UnitLevel::County,
            UnitLevel::Township,
            UnitLevel::TownshipLike,
            UnitLevel::Community,
            UnitLevel::Village,
        ]
        .iter()
        .find(|l| l.label() == v)
        .map(|l| l.as_str().to_string()),
        (Layer::DoorPlate, "kind") => PlateKind::ALL
            .iter()
            .find(|k| k.label() == v)
            .and_then(|k| serde_json::to_value(k).ok())
            .and_then(|k| k.as_str().map(str::to_string)),
        (Layer::Place, "category") => v
            .parse::<crate::names::PlaceCategory>()
            .ok()
            .map(|c| c.as_str().to_string()),
        (Layer::Street | Layer::Place, "status") => [
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
        serde_path_to_error::deserialize(v).map_err(|e| {
            let message = e.inner().to_string();
            // serde's "unknown variant `月球`, expected one of `a`, `b`" in the officer's words.
            match message
                .strip_prefix("unknown variant `")
                .and_then(|m| m.split_once("`, expected one of "))
            {
                Some((value, codes)) => format!(
                    "属性 {} 的值“{value}”无效：应为 {}（或其中文名称）",
                    e.path(),
                    codes.replace('`', "").replace(", ", "、")
                ),
                None => format!("属性 {} 无效：{message}", e.path()),
            }
        })
    }
    Ok(match layer {
        Layer::AdminUnit => Body::AdminUnit(de(value)?),
        Layer::Street => Body::Street(de(value)?),
        Layer::Place => Body::Place(de(value)?),
        Layer::DoorPlate => Body::DoorPlate(de(value)?),
        Layer::Marker => Body::Marker(de(value)?),
        Layer::Sign => Body::Sign(de(value)?),
        Layer::Cemetery => Body::Cemetery(de(value)?),
        Layer::CemeterySection => Body::CemeterySection(de(value)?),
        Layer::Plot => Body::Plot(de(value)?),
        Layer::Grave => Body::Grave(de(value)?),
        Layer::Zone => Body::Zone(de(value)?),
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
    /// Cemeteries by name, and sections by cemetery and code, for sections and plots.
    cemeteries: HashMap<String, Vec<RecordId>>,
    sections: HashMap<(RecordId, String), RecordId>,
    /// Streets and places by standard name, for signs.
    named_records: HashMap<String, Vec<RecordId>>,
    /// The approval document the import cites, under which its names may be registered as
    /// approved or published.
    document: Option<&'a ApprovalDocument>,
}

/// The layers whose columns [`Preparing::set`] types (numbers, lists, references); in them an
/// empty cell means no value.
const TYPED: [Layer; 7] = [
    Layer::Sign,
    Layer::Marker,
    Layer::Cemetery,
    Layer::CemeterySection,
    Layer::Plot,
    Layer::Grave,
    Layer::Zone,
];

/// What names a record of its layer uniquely, for the layers other than door plates that
/// have such a name: what it is called, the key, and the key as officers write it.
fn identifier(body: &Body) -> Option<(&'static str, String, String)> {
    let (what, key, shown) = match body {
        Body::Sign(s) => ("标志编号", s.code.clone(), s.code.clone()),
        Body::Marker(m) => ("界桩编号", m.number.clone(), m.number.clone()),
        Body::Grave(g) => ("散坟台账编号", g.number.clone(), g.number.clone()),
        Body::Cemetery(c) => ("公墓名称", c.name.clone(), c.name.clone()),
        Body::CemeterySection(s) => (
            "墓区号",
            format!("{}/{}", s.cemetery, s.code),
            s.code.clone(),
        ),
        _ => return None,
    };
    Some((what, key, shown))
}

/// A cell that holds several values ("152501001;152501002"), as exports write it.
fn split_list(value: &str) -> Vec<&str> {
    value
        .split([';', '；', ',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A marker's reference objects from a cell "名称,方位角,距离;…" (as exports write them).
fn references(value: &str) -> Result<Value, String> {
    value
        .split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let parts: Vec<&str> = item.split([',', '，']).map(str::trim).collect();
            let bad = || {
                format!("方位物“{item}”应写作 名称,方位角,距离（如 水井,45,12.5），多个用分号隔开")
            };
            let [object, azimuth, distance] = parts[..] else {
                return Err(bad());
            };
            let azimuth: f64 = azimuth.parse().map_err(|_| bad())?;
            let distance: f64 = distance.parse().map_err(|_| bad())?;
            Ok(json!({ "object": object, "azimuth_deg": azimuth, "distance_m": distance }))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
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
            // A Shapefile's field names stop at 10 bytes (an export's `descriptio`).
            let known = self.known.get(renamed.as_str()).copied().or_else(|| {
                (renamed.len() == 10)
                    .then(|| self.known.iter().find(|c| c.starts_with(renamed.as_str())))
                    .flatten()
                    .copied()
            });
            if let Some(known) = known {
                fields.insert(known.to_string(), v.trim().to_string());
            } else {
                ignored.push(k.as_str());
            }
        }
        (self.record(f, &fields), ignored)
    }

    /// Sets `column` of a body of the [`TYPED`] layers from the file's `value`: numbers, lists
    /// and references as the body holds them; an empty cell clears an optional attribute
    /// (and leaves a required one missing).
    fn set(
        &self,
        layer: Layer,
        column: &str,
        value: &str,
        body: &mut Map<String, Value>,
    ) -> Result<(), String> {
        let typed = match (layer, column) {
            // What the sign shows.
            (Layer::Sign, "text" | "text_mn" | "pinyin" | "number") => {
                let key = match column {
                    "text" => "zh",
                    "text_mn" => "mn",
                    other => other,
                };
                let shows = body.entry("shows").or_insert_with(|| json!({}));
                match (value.is_empty(), shows.as_object_mut()) {
                    (true, Some(shows)) => {
                        shows.remove(key);
                    }
                    (false, Some(shows)) => {
                        shows.insert(key.into(), json!(value));
                    }
                    (_, None) => {}
                }
                return Ok(());
            }
            (Layer::Plot, "remains" | "occupancy") => {
                if !value.is_empty() {
                    let kind = body.entry("kind").or_insert_with(|| json!({}));
                    kind[column] = json!(value);
                }
                return Ok(());
            }
            // A masked number, as exports give it: the registered one stays.
            (Layer::Grave, "owner_phone") if value.contains('*') => return Ok(()),
            _ if value.is_empty() => {
                body.remove(column);
                return Ok(());
            }
            (Layer::Sign, "width_mm" | "height_mm") => value
                .parse::<u32>()
                .map(|x| json!(x))
                .map_err(|_| format!("属性“{column}”的值“{value}”不是整毫米数"))?,
            (Layer::Sign, "names") => {
                let ids = split_list(value)
                    .into_iter()
                    .map(|id| {
                        id.parse::<RecordId>()
                            .map_err(|_| format!("names 中的“{id}”不是记录 id"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                json!(ids)
            }
            (Layer::Marker, "height_m") | (Layer::Sign, "facing") | (Layer::Grave, "area_m2") => {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(|x| json!(x))
                    .ok_or_else(|| format!("属性“{column}”的值“{value}”不是数字"))?
            }
            (Layer::Marker, "units") => json!(split_list(value)),
            (Layer::Marker, "references") => references(value)?,
            (Layer::Plot | Layer::CemeterySection, "cemetery") => json!(self.cemetery(value)?),
            _ => json!(value),
        };
        body.insert(column.to_string(), typed);
        Ok(())
    }

    /// A new sign without `names`: the street or place whose standard name it shows.
    fn named(&self, body: &mut Map<String, Value>) -> Result<(), String> {
        let text = body
            .get("shows")
            .and_then(|s| s.get("zh"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if text.is_empty() {
            return Err("缺少必填属性“text”".into());
        }
        match self.named_records.get(text).map(Vec::as_slice) {
            Some([one]) => {
                body.insert("names".into(), json!([one]));
                Ok(())
            }
            Some(_) => Err(format!(
                "“{text}”有重名：请在 names 列给出标志所指记录的 id"
            )),
            None => Err(format!(
                "登记簿中没有名为“{text}”的街路巷或地名：请在 names 列给出标志所指记录的 id"
            )),
        }
    }

    /// A cemetery named by its id or its name.
    fn cemetery(&self, value: &str) -> Result<RecordId, String> {
        if let Ok(id) = value.parse::<RecordId>() {
            return match self.current.get(&id).map(|v| v.layer()) {
                Some(Layer::Cemetery) => Ok(id),
                _ => Err(format!("登记簿中没有 id 为 {id} 的公墓")),
            };
        }
        match self.cemeteries.get(value).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(_) => Err(format!("公墓“{value}”有重名，请用其 id")),
            None => Err(format!("登记簿中没有公墓“{value}”")),
        }
    }

    /// A plot's section (from its cemetery and its number's first part) and, for a new plot,
    /// its defaults: available, laid out when it becomes valid.
    fn plot(
        &self,
        new: bool,
        valid_from: NaiveDate,
        body: &mut Map<String, Value>,
    ) -> Result<(), String> {
        if new {
            body.entry("status").or_insert_with(|| json!("available"));
            body.entry("laid_out").or_insert_with(|| json!(valid_from));
            for part in ["remains", "occupancy"] {
                if body.get("kind").and_then(|k| k.get(part)).is_none() {
                    return Err(format!("缺少必填属性“{part}”"));
                }
            }
        }
        let cemetery = body
            .get("cemetery")
            .and_then(Value::as_str)
            .and_then(|c| c.parse::<RecordId>().ok())
            .ok_or("缺少必填属性“cemetery”")?;
        let Some(number) = body.get("number").and_then(Value::as_str) else {
            return Err("缺少必填属性“number”".into());
        };
        let number: crate::cemetery::PlotNumber = number.parse()?;
        let section = self
            .sections
            .get(&(cemetery, number.section.clone()))
            .ok_or_else(|| {
                format!(
                    "公墓中没有墓区“{}”（墓位号 {number} 的第一段）",
                    number.section
                )
            })?;
        body.insert("section".into(), json!(section));
        Ok(())
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
            // Whole personal numbers (a plot holder's phone…): the file's masked cells leave
            // them as they are.
            Some(v) => match crate::cemetery::personal::reveal(|| serde_json::to_value(&v.body)) {
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
            let value = code_of(layer, column, value);
            if TYPED.contains(&layer) {
                self.set(layer, column, &value, &mut body)?;
                continue;
            }
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
        // A new name whose status the file does not give enters the workflow as a proposal
        // (拟命名); standard names are registered only on the authority of a document.
        if existing.is_none() && matches!(layer, Layer::Street | Layer::Place | Layer::AdminUnit) {
            let naming = body.entry("naming").or_insert_with(|| json!({}));
            if let Some(naming) = naming.as_object_mut() {
                naming.entry("status").or_insert_with(|| json!("proposed"));
            }
        }
        if layer == Layer::Plot {
            self.plot(existing.is_none(), valid_from, &mut body)?;
        }
        if layer == Layer::Sign && !body.contains_key("names") {
            self.named(&mut body)?;
        }
        let body = typed(layer, Value::Object(body)).map_err(|reason| {
            let missing = columns(layer)
                .iter()
                .find(|c| reason.contains(&format!("missing field `{c}`")));
            match missing {
                Some(c) => format!("缺少必填属性“{c}”"),
                // What a sign shows is `text` in files.
                None if reason.contains("missing field `zh`") => "缺少必填属性“text”".into(),
                None => reason,
            }
        })?;
        // The naming workflow's rule, asked here so that a row that breaks it is refused at
        // its row (the registry asks it again at commit, with the naming rules' verdicts).
        if let Some(after) = body.naming() {
            let before = existing.and_then(|v| v.body.naming().map(|n| (n, v.body.title())));
            crate::names::naming::admissible(
                before.as_ref().map(|(n, t)| (*n, t.as_str())),
                after,
                &body.title(),
                self.document,
                Vec::new,
            )
            .map_err(|e| e.to_string())?;
        }
        Ok(Prepared {
            valid_from,
            existing,
            id,
            body,
            geometry,
        })
    }
}

/// Why a file is more than one import may hold (`server.limits`): too many features, a
/// geometry with too many vertices (at its row), too many vertices in all. Counted before
/// any feature is checked: a file of a million vertices took over ten minutes to check.
fn too_large(features: &[RawFeature], limits: &crate::config::Limits) -> Option<String> {
    use geo::CoordsIter;
    let mut total = 0usize;
    limits
        .features(features.len() as u64)
        .and_then(|()| {
            features.iter().try_for_each(|f| {
                let n = f.geometry.as_ref().map_or(0, |g| g.coords_count());
                total += n;
                limits.geometry(&format!("第 {} 个要素", f.row), n)
            })
        })
        .and_then(|()| limits.all("文件", total))
        .err()
}

/// Plans an import of `features` into `layer` under `config` (the jurisdiction's extent, the
/// plot size limits). `map` renames source columns; `today` is the default `valid_from`;
/// `document` is the approval the import cites, under which the file's names may be
/// registered as approved or published (without one they may only be proposed). Each feature
/// is made into a record on all cores; the checks against
/// the registry's door numbers and the file's other features then run in the file's order, so
/// that the report is the same however the work was shared.
pub fn plan(
    current: &CurrentState,
    layer: Layer,
    features: &[RawFeature],
    map: &[(String, String)],
    config: &crate::config::Config,
    today: NaiveDate,
    document: Option<&ApprovalDocument>,
) -> Report {
    let extent = &config.jurisdiction.extent;
    let mut report = Report {
        layer,
        read: features.len(),
        created: 0,
        updated: 0,
        unchanged: 0,
        refused: Vec::new(),
        ignored_columns: Vec::new(),
        writes: Vec::new(),
        rows: Vec::new(),
        document: document.cloned(),
    };
    if columns(layer).is_empty() {
        report.refused.push(Refused {
            row: 0,
            reason: format!("“{}”不能从文件导入", layer.label()),
        });
        return report;
    }
    if let Some(reason) = too_large(features, &config.server.limits) {
        report.refused.push(Refused { row: 0, reason });
        return report;
    }
    let mut preparing = Preparing {
        current,
        layer,
        map,
        extent,
        today,
        document,
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
        cemeteries: HashMap::new(),
        sections: HashMap::new(),
        named_records: HashMap::new(),
    };
    if layer == Layer::Sign {
        for v in current
            .layer(Layer::Street)
            .chain(current.layer(Layer::Place))
        {
            preparing
                .named_records
                .entry(v.body.title())
                .or_default()
                .push(v.id);
        }
    }
    if matches!(layer, Layer::Plot | Layer::CemeterySection) {
        for v in current.layer(Layer::Cemetery) {
            preparing
                .cemeteries
                .entry(v.body.title())
                .or_default()
                .push(v.id);
        }
        for v in current.layer(Layer::CemeterySection) {
            if let Body::CemeterySection(s) = &v.body {
                preparing
                    .sections
                    .insert((s.cemetery, s.code.clone()), v.id);
            }
        }
    }
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
    let mut idents: HashMap<String, Vec<RecordId>> = HashMap::new();
    for v in current.layer(layer) {
        if let Some((_, key, _)) = identifier(&v.body) {
            idents.entry(key).or_default().push(v.id);
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
        // The same for the identifiers of signs, markers, graves, cemeteries and sections.
        let ident = identifier(&body);
        if let Some((what, key, shown)) = &ident {
            let me = existing.map(|v| v.id);
            let renamed =
                existing.is_none_or(|v| identifier(&v.body).map(|i| i.1) != Some(key.clone()));
            let other = idents
                .get(key)
                .and_then(|ids| ids.iter().find(|id| Some(**id) != me));
            if let (true, Some(other)) = (renamed, other) {
                report
                    .refused
                    .push(refuse(format!("{what}“{shown}”重复：已有记录 {other}")));
                continue;
            }
        }
        let ident = ident.map(|i| i.1);
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
                if let Some(key) = ident {
                    idents.entry(key).or_default().push(v.id);
                }
                report.updated += 1;
                report.rows.push(f.row);
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
                if let Some(key) = ident {
                    idents.entry(key).or_default().push(id);
                }
                report.created += 1;
                report.rows.push(f.row);
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
    report.check_plots(current, &config.cemetery.plot_limits);
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
        cs.document = self.document.clone();
        cs.writes = std::mem::take(&mut self.writes);
        self.rows.clear();
        Some(cs)
    }

    /// Refuses the plots that `diming cemetery check` would find at fault once imported and
    /// does not find at fault now: outside their section, overlapping another plot, larger than
    /// the limit in force when they were laid out, a number used twice in their section. A
    /// surveyor's layout with a mistake is refused where the mistake is, before it is written;
    /// faults the registry already had are left to the check's report.
    fn check_plots(&mut self, current: &CurrentState, limits: &[crate::cemetery::check::Limit]) {
        use crate::cemetery::check::{Finding, Rule, check};
        if self.layer != Layer::Plot || self.writes.is_empty() {
            return;
        }
        let key = |f: &Finding| {
            let mut records = f.records.clone();
            records.sort();
            (f.rule, records)
        };
        let layers = [
            Layer::Cemetery,
            Layer::CemeterySection,
            Layer::Plot,
            Layer::Burial,
        ];
        let mut versions: HashMap<RecordId, RecordVersion> = layers
            .iter()
            .flat_map(|l| current.layer(*l))
            .map(|v| (v.id, v.clone()))
            .collect();
        let before: BTreeSet<_> = check(
            &CurrentState::from_versions(versions.values().cloned()),
            limits,
        )
        .iter()
        .map(key)
        .collect();
        let mut written: HashMap<RecordId, usize> = HashMap::new();
        for (i, w) in self.writes.iter().enumerate() {
            let (Write::Create {
                id,
                valid_from,
                body,
                geometry,
            }
            | Write::Update {
                id,
                valid_from,
                body,
                geometry,
                ..
            }) = w
            else {
                continue;
            };
            written.insert(*id, i);
            let base = versions.get(id).map_or(0, |v| v.version);
            versions.insert(
                *id,
                RecordVersion {
                    id: *id,
                    version: base + 1,
                    valid_from: *valid_from,
                    valid_to: None,
                    recorded_at: chrono::Utc::now(),
                    superseded_at: None,
                    changeset: crate::record::ChangesetId(uuid::Uuid::nil()),
                    retired: false,
                    body: body.clone(),
                    geometry: geometry.clone(),
                },
            );
        }
        let mut faults: std::collections::BTreeMap<usize, String> = Default::default();
        for f in check(&CurrentState::from_versions(versions.into_values()), limits) {
            let layout = matches!(
                f.rule,
                Rule::TooLarge | Rule::OutsideSection | Rule::Overlap | Rule::DuplicateNumber
            );
            if !layout || before.contains(&key(&f)) {
                continue;
            }
            for id in &f.records {
                if let Some(i) = written.get(id) {
                    faults.entry(*i).or_insert_with(|| f.message.clone());
                }
            }
        }
        for (i, reason) in faults.into_iter().rev() {
            match self.writes.remove(i) {
                Write::Create { .. } => self.created -= 1,
                _ => self.updated -= 1,
            }
            let row = self.rows.remove(i);
            self.refused.push(Refused { row, reason });
        }
        self.refused.sort_by_key(|r| r.row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GeometryKind;
    use geo::{Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};

    /// A geometry of `layer`'s kind in the middle of Erenhot.
    fn geometry(layer: Layer) -> Geometry<f64> {
        let (x, y) = (111.97, 43.65);
        let ring = LineString::from(vec![
            (x, y),
            (x + 0.0001, y),
            (x + 0.0001, y + 0.0001),
            (x, y + 0.0001),
            (x, y),
        ]);
        match layer.geometry_kind() {
            GeometryKind::Point | GeometryKind::Any => Point::new(x, y).into(),
            GeometryKind::MultiLineString => {
                MultiLineString(vec![LineString::from(vec![(x, y), (x + 0.001, y)])]).into()
            }
            GeometryKind::MultiPolygon => MultiPolygon(vec![Polygon::new(ring, vec![])]).into(),
        }
    }

    /// Whatever an officer's spreadsheet holds in whichever column, every importable layer
    /// answers with a report: refused rows with their reasons, never a crash (a plot row
    /// without its kind once panicked on a missing key).
    #[test]
    fn odd_cells_in_every_column_are_refused_or_taken_never_a_crash() {
        let config = crate::config::Config::erenhot();
        let current = CurrentState::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let values = [
            "",
            " ",
            "x",
            "0",
            "-1",
            "1e309",
            "NaN",
            "1.5",
            "a;b",
            "；",
            "水井,45",
            "水井,45,12.5",
            "C-1-1",
            "C--",
            "2026-13-45",
            "01a2413d-582e-7048-9595-fa307e162f15",
            "立杆",
            "火葬区",
            "138****5678",
        ];
        for layer in Layer::ALL.into_iter().filter(|l| !columns(*l).is_empty()) {
            let mut features = Vec::new();
            // The same cell in every column (all empty, all "x"…).
            for value in values {
                features.push(RawFeature {
                    row: features.len() + 1,
                    fields: columns(layer)
                        .iter()
                        .map(|c| (c.to_string(), value.to_string()))
                        .collect(),
                    geometry: Some(geometry(layer)),
                });
            }
            // One odd cell among ordinary ones.
            for column in columns(layer).iter().chain(COMMON) {
                for value in values {
                    let mut fields: std::collections::BTreeMap<String, String> = columns(layer)
                        .iter()
                        .map(|c| (c.to_string(), "1".to_string()))
                        .collect();
                    fields.insert(column.to_string(), value.to_string());
                    features.push(RawFeature {
                        row: features.len() + 1,
                        fields,
                        geometry: Some(geometry(layer)),
                    });
                }
            }
            let report = plan(&current, layer, &features, &[], &config, today, None);
            assert_eq!(
                report.created + report.updated + report.unchanged + report.refused.len(),
                features.len(),
                "{layer:?}: every row is accounted for"
            );
            assert!(
                report
                    .refused
                    .iter()
                    .all(|r| !r.reason.is_empty() && r.row >= 1),
                "{layer:?}"
            );
        }
    }
}
