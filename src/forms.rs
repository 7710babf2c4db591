//! The attributes an officer fills in for a feature of a layer, as JSON Schema (draft
//! 2020-12): each field's title in Chinese, its type, its choices with their labels, whether
//! it is required, and the layer a reference points at (`x-layer`). The map editor builds
//! its forms from these (`GET /api/layers/{layer}/schema`); the registry's own types remain
//! the judge of what is valid, and the tests check that every form filled from a schema is
//! read by them and that the schema names every attribute the layer shows.
//!
//! Extensions: `x-order` (the fields in form order), `x-geometry` (what is drawn: `Point`,
//! `LineString`, `Polygon` or `Any`), `x-layer` (the table a reference or each item of an
//! array of references points at), `x-fill` (a field set from the referenced record: the
//! plot's cemetery comes from its section), `x-personal` (personal data: shown only to the
//! burial office), `x-create` (the values a new feature's form begins with), `x-script`
//! (text in Mongolian script).

use crate::model::{GeometryKind, Layer};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The layers drawn and edited on the map with a form.
pub const DRAWN: [Layer; 7] = [
    Layer::Street,
    Layer::Place,
    Layer::DoorPlate,
    Layer::AdminUnit,
    Layer::Plot,
    Layer::Sign,
    Layer::Grave,
];

/// A field of a form.
struct Field {
    key: &'static str,
    schema: Value,
    required: bool,
}

fn text(key: &'static str, title: &str) -> Field {
    Field {
        key,
        schema: json!({ "type": "string", "title": title }),
        required: false,
    }
}

fn with(mut f: Field, extra: Value) -> Field {
    if let (Value::Object(s), Value::Object(e)) = (&mut f.schema, extra) {
        s.extend(e);
    }
    f
}

fn required(mut f: Field) -> Field {
    f.required = true;
    f
}

/// A choice among the values of a domain type, each with its label.
fn choice<T: Serialize + Copy>(
    key: &'static str,
    title: &str,
    values: &[T],
    label: fn(T) -> &'static str,
) -> Field {
    let one_of: Vec<Value> = values
        .iter()
        .map(|v| json!({ "const": serde_json::to_value(v).expect("a unit variant"), "title": label(*v) }))
        .collect();
    Field {
        key,
        schema: json!({ "title": title, "oneOf": one_of }),
        required: false,
    }
}

fn date(key: &'static str, title: &str) -> Field {
    Field {
        key,
        schema: json!({ "type": "string", "format": "date", "title": title }),
        required: false,
    }
}

fn number(key: &'static str, title: &str, kind: &str, minimum: f64) -> Field {
    Field {
        key,
        schema: json!({ "type": kind, "title": title, "minimum": minimum }),
        required: false,
    }
}

/// A reference to a record of `layer`.
fn reference(key: &'static str, title: &str, layer: Layer) -> Field {
    Field {
        key,
        schema: json!({ "type": "string", "format": "uuid", "title": title, "x-layer": layer.table() }),
        required: false,
    }
}

fn object(key: &'static str, title: &str, fields: Vec<Field>) -> Field {
    let (schema, _) = schema_of(title, fields);
    Field {
        key,
        schema,
        required: false,
    }
}

/// Title, properties, `required` and `x-order` of fields.
fn schema_of(title: &str, fields: Vec<Field>) -> (Value, Vec<&'static str>) {
    let order: Vec<&'static str> = fields.iter().map(|f| f.key).collect();
    let required: Vec<&'static str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|f| (f.key.to_string(), f.schema))
        .collect();
    (
        json!({
            "type": "object",
            "title": title,
            "properties": properties,
            "required": required,
            "x-order": order,
        }),
        order,
    )
}

/// The naming fields every named layer has: the status of the name and the texts the
/// gazetteer prints.
fn naming() -> Field {
    use crate::names::naming::NameStatus as S;
    object(
        "naming",
        "命名信息",
        vec![
            required(choice(
                "status",
                "名称状态",
                &[
                    S::Proposed,
                    S::Checked,
                    S::Approved,
                    S::Published,
                    S::Rejected,
                ],
                S::label,
            )),
            text("meaning", "含义"),
            text("history", "历史沿革"),
            text("description", "地理实体描述"),
            date("named_on", "命名时间"),
        ],
    )
}

fn mongolian() -> Field {
    with(
        text("name_mn", "蒙古文名称"),
        json!({ "x-script": "mongolian" }),
    )
}

/// The form of a layer drawn on the map, or `None` for layers with their own pages.
pub fn schema(layer: Layer) -> Option<Value> {
    use crate::addresses::{PlateKind, StreetClass};
    use crate::boundaries::UnitLevel;
    use crate::cemetery::{GraveKind, Occupancy, PlotStatus, Remains, Treatment};
    use crate::names::PlaceCategory;
    use crate::signs::{Condition, Mounting, SignKind};
    let fields = match layer {
        Layer::Street => vec![
            required(with(text("name", "标准名称"), json!({ "minLength": 1 }))),
            mongolian(),
            required(choice(
                "class",
                "等级",
                &[
                    StreetClass::Arterial,
                    StreetClass::Secondary,
                    StreetClass::Branch,
                    StreetClass::Lane,
                ],
                StreetClass::label,
            )),
            naming(),
        ],
        Layer::Place => vec![
            required(with(text("name", "标准名称"), json!({ "minLength": 1 }))),
            mongolian(),
            required(choice(
                "category",
                "类别",
                &PlaceCategory::ALL,
                PlaceCategory::label,
            )),
            naming(),
        ],
        Layer::DoorPlate => vec![
            required(reference("street", "街路巷", Layer::Street)),
            required(with(
                text("number", "门牌号"),
                json!({ "minLength": 1, "examples": ["12", "12附1", "C05", "G2—7"] }),
            )),
            choice(
                "kind",
                "门牌种类",
                &[
                    PlateKind::DoorLarge,
                    PlateKind::DoorSmall,
                    PlateKind::SideDoor,
                    PlateKind::BuildingLarge,
                    PlateKind::BuildingSmall,
                ],
                PlateKind::label,
            ),
        ],
        Layer::AdminUnit => vec![
            required(with(
                text("code", "区划代码"),
                json!({ "pattern": "^[0-9]{12}$" }),
            )),
            required(with(text("name", "标准名称"), json!({ "minLength": 1 }))),
            mongolian(),
            required(choice(
                "level",
                "级别",
                &[
                    UnitLevel::County,
                    UnitLevel::Township,
                    UnitLevel::TownshipLike,
                    UnitLevel::Community,
                    UnitLevel::Village,
                ],
                UnitLevel::label,
            )),
            with(
                text("parent", "上级区划代码"),
                json!({ "pattern": "^[0-9]{12}$" }),
            ),
            naming(),
        ],
        Layer::Plot => vec![
            required(reference("section", "墓区", Layer::CemeterySection)),
            required(with(
                reference("cemetery", "公墓", Layer::Cemetery),
                json!({ "x-fill": { "from": "section", "property": "cemetery" } }),
            )),
            required(with(
                text("number", "墓位号（区-排-号）"),
                json!({ "pattern": "^[^-]+-[1-9][0-9]*-[1-9][0-9]*$", "examples": ["A-3-12"] }),
            )),
            required(object(
                "kind",
                "墓位类型",
                vec![
                    required(choice(
                        "remains",
                        "安葬",
                        &[Remains::Ashes, Remains::Body],
                        |r| match r {
                            Remains::Ashes => "骨灰",
                            Remains::Body => "遗体",
                        },
                    )),
                    required(choice(
                        "occupancy",
                        "穴数",
                        &[Occupancy::Single, Occupancy::Double],
                        |o| match o {
                            Occupancy::Single => "单穴",
                            Occupancy::Double => "双穴",
                        },
                    )),
                ],
            )),
            required(choice(
                "status",
                "状态",
                &[
                    PlotStatus::Available,
                    PlotStatus::Reserved,
                    PlotStatus::Occupied,
                    PlotStatus::RelocatedIn,
                    PlotStatus::Expired,
                ],
                PlotStatus::label,
            )),
            required(date("laid_out", "建成日期")),
            with(text("holder", "使用权人"), json!({ "x-personal": true })),
            with(
                text("holder_phone", "使用权人电话"),
                json!({ "x-personal": true }),
            ),
        ],
        Layer::Sign => vec![
            required(with(
                text("code", "标志编号"),
                json!({ "minLength": 1, "examples": ["DX-001"] }),
            )),
            required(choice("kind", "种类", &SignKind::ALL, SignKind::label)),
            required(with(
                Field {
                    key: "names",
                    schema: json!({
                        "type": "array",
                        "title": "所标地名",
                        "items": { "type": "string", "format": "uuid", "x-layer": ["streets", "places", "door_plates"] },
                    }),
                    required: false,
                },
                json!({ "minItems": 1 }),
            )),
            required(object(
                "shows",
                "标志上的文字",
                vec![
                    required(with(text("zh", "汉字"), json!({ "minLength": 1 }))),
                    with(text("mn", "蒙古文"), json!({ "x-script": "mongolian" })),
                    text("pinyin", "罗马字母拼写"),
                    text("number", "门（楼）号"),
                ],
            )),
            required(choice(
                "mounting",
                "安装方式",
                &Mounting::ALL,
                Mounting::label,
            )),
            required(number("width_mm", "宽（毫米）", "integer", 1.0)),
            required(number("height_mm", "高（毫米）", "integer", 1.0)),
            Field {
                key: "vertical",
                schema: json!({ "type": "boolean", "title": "竖式" }),
                required: false,
            },
            with(
                number("facing", "朝向（度，自北顺时针）", "number", 0.0),
                json!({ "maximum": 360 }),
            ),
            text("material", "材质"),
            text("installer", "安装单位"),
            date("installed", "安装日期"),
            choice(
                "condition",
                "状况",
                &[
                    Condition::Good,
                    Condition::Damaged,
                    Condition::Dirty,
                    Condition::Faded,
                    Condition::Missing,
                ],
                Condition::label,
            ),
        ],
        Layer::Grave => vec![
            required(with(text("number", "台账编号"), json!({ "minLength": 1 }))),
            required(choice(
                "kind",
                "坟墓类型",
                &GraveKind::ALL,
                GraveKind::label,
            )),
            required(date("surveyed", "调查日期")),
            number("area_m2", "占地面积（平方米）", "number", 0.0),
            with(text("buried", "安葬者"), json!({ "x-personal": true })),
            with(text("owner", "坟主"), json!({ "x-personal": true })),
            with(
                text("owner_phone", "坟主电话"),
                json!({ "x-personal": true }),
            ),
            choice("treatment", "处置方式", &Treatment::ALL, Treatment::label),
            text("notes", "备注"),
        ],
        _ => return None,
    };
    let (mut schema, _) = schema_of(layer.label(), fields);
    let geometry = match layer.geometry_kind() {
        GeometryKind::Point => "Point",
        GeometryKind::MultiLineString => "LineString",
        GeometryKind::MultiPolygon => "Polygon",
        GeometryKind::Any => "Any",
    };
    let object = schema.as_object_mut().expect("an object");
    object.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    object.insert(
        "$id".into(),
        json!(format!("/api/layers/{}/schema", layer.table())),
    );
    object.insert("x-geometry".into(), json!(geometry));
    // What a feature drawn new begins as: a proposed name (approval is a later step, with its
    // document), an available plot.
    let create = match layer {
        Layer::Street | Layer::Place | Layer::AdminUnit => {
            json!({ "naming": { "status": "proposed" } })
        }
        _ => json!({}),
    };
    object.insert("x-create".into(), create);
    Some(schema)
}
