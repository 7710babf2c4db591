//! Each feature made ready for the plan: its cells typed (codes from their Chinese names,
//! numbers, lists, references by name), its body built, its identifier and geometry compared
//! with the record it updates.

use super::{
    ApprovalDocument, BTreeSet, Body, CurrentState, Extent, HashMap, Layer, Map, NaiveDate,
    RawFeature, RecordId, RecordVersion, Value, columns, json, spatial,
};

/// Every choice of every layer's form: (layer, field, label, code), nested fields included
/// (a plot's `remains` inside its `kind`, a name's `status` inside its `naming`).
static CHOICES: std::sync::LazyLock<Vec<(Layer, String, String, String)>> =
    std::sync::LazyLock::new(|| {
        fn walk(layer: Layer, schema: &Value, out: &mut Vec<(Layer, String, String, String)>) {
            let Some(properties) = schema["properties"].as_object() else {
                return;
            };
            for (key, field) in properties {
                for choice in field["oneOf"].as_array().into_iter().flatten() {
                    if let (Some(code), Some(label)) =
                        (choice["const"].as_str(), choice["title"].as_str())
                    {
                        out.push((layer, key.clone(), label.to_string(), code.to_string()));
                    }
                }
                walk(layer, field, out);
            }
        }
        let mut out = Vec::new();
        for spec in crate::model::CATALOGUE.iter() {
            if let Some(form) = spec.form {
                walk(spec.layer, &form().schema(spec.label), &mut out);
            }
        }
        out
    });

/// Translates labels officers write into the codes of the schema: the labels the layer's
/// form offers for the column, and for layers without a form their own words.
pub(super) fn code_of(layer: Layer, column: &str, value: &str) -> String {
    use crate::cemetery::{CemeteryKind, ZoneKind};
    let v = value.trim();
    if let Some((_, _, _, code)) = CHOICES
        .iter()
        .find(|(l, c, label, _)| *l == layer && c == column && label == v)
    {
        return code.clone();
    }
    let found = match (layer, column) {
        (Layer::Marker, "kind") => match v {
            "双面界桩" | "双面" => Some("two_faced".to_string()),
            "三面界桩" | "三面界桩（三交点）" | "三面" => {
                Some("three_faced".to_string())
            }
            _ => None,
        },
        (Layer::Cemetery, "kind") => CemeteryKind::ALL
            .iter()
            .find(|k| k.label() == v)
            .and_then(|k| serde_json::to_value(k).ok())
            .and_then(|k| k.as_str().map(str::to_string)),
        (Layer::Zone, "kind") => v.parse::<ZoneKind>().ok().map(|k| k.as_str().to_string()),
        _ => None,
    };
    found.unwrap_or_else(|| v.to_string())
}

pub(super) fn typed(layer: Layer, value: Value) -> Result<Body, String> {
    if columns(layer).is_empty() {
        return Err(format!("“{}”不能从文件导入", layer.label()));
    }
    let Value::Object(properties) = value else {
        return Err("属性应为对象".into());
    };
    Body::from_properties(layer, properties).map_err(|e| {
        // serde's "unknown variant `月球`, expected one of `a`, `b`" in the officer's words.
        match e
            .message
            .strip_prefix("unknown variant `")
            .and_then(|m| m.split_once("`, expected one of "))
        {
            Some((value, codes)) => format!(
                "属性 {} 的值“{value}”无效：应为 {}（或其中文名称）",
                e.path,
                codes.replace('`', "").replace(", ", "、")
            ),
            None => format!("属性 {} 无效：{}", e.path, e.message),
        }
    })
}

/// The same shape to 1e-9°, whatever the direction of its rings (Shapefiles turn them).
pub(super) fn same_geometry(a: &geo::Geometry<f64>, b: &geo::Geometry<f64>) -> bool {
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
pub(super) struct Prepared<'a> {
    pub(super) valid_from: NaiveDate,
    /// The record it updates.
    pub(super) existing: Option<&'a RecordVersion>,
    /// The id the file gives a new record.
    pub(super) id: Option<RecordId>,
    pub(super) body: Body,
    pub(super) geometry: geo::Geometry<f64>,
}

/// What every feature needs to be prepared, shared by the threads that prepare them.
pub(super) struct Preparing<'a> {
    pub(super) current: &'a CurrentState,
    pub(super) layer: Layer,
    pub(super) map: &'a [(String, String)],
    pub(super) extent: &'a Extent,
    pub(super) today: NaiveDate,
    pub(super) known: BTreeSet<&'static str>,
    /// Streets by standard name, for door plates.
    pub(super) streets: HashMap<String, Vec<RecordId>>,
    /// Cemeteries by name, and sections by cemetery and code, for sections and plots.
    pub(super) cemeteries: HashMap<String, Vec<RecordId>>,
    pub(super) sections: HashMap<(RecordId, String), RecordId>,
    /// Streets and places by standard name, for signs.
    pub(super) named_records: HashMap<String, Vec<RecordId>>,
    /// The approval document the import cites, under which its names may be registered as
    /// approved or published.
    pub(super) document: Option<&'a ApprovalDocument>,
}

/// The layers whose columns [`Preparing::set`] types (numbers, lists, references); in them an
/// empty cell means no value.
pub(super) const TYPED: [Layer; 7] = [
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
pub(super) fn identifier(body: &Body) -> Option<(&'static str, String, String)> {
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
pub(super) fn split_list(value: &str) -> Vec<&str> {
    value
        .split([';', '；', ',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A marker's reference objects from a cell "名称,方位角,距离;…" (as exports write them).
pub(super) fn references(value: &str) -> Result<Value, String> {
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
    pub(super) fn prepare<'f>(
        &self,
        f: &'f RawFeature,
    ) -> (Result<Prepared<'a>, String>, Vec<&'f str>) {
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
    pub(super) fn set(
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
    pub(super) fn named(&self, body: &mut Map<String, Value>) -> Result<(), String> {
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
    pub(super) fn cemetery(&self, value: &str) -> Result<RecordId, String> {
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
    pub(super) fn plot(
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

    pub(super) fn record(
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
pub(super) fn too_large(features: &[RawFeature], limits: &crate::config::Limits) -> Option<String> {
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
