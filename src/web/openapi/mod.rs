//! The JSON API's OpenAPI 3.1 document (`/api/openapi.json`): each operation is declared beside
//! its handler (`#[utoipa::path]`) with the types it reads and answers; this module gathers
//! them (`Derived`) and adds what no handler says (the catalogue's tables, the errors every
//! operation or write may answer, the GeoJSON shapes). The helpers here also serve OGC API –
//! Features' 3.0 document (`web::ogc::openapi`). Tests call every operation and check the
//! answers against the document; schemathesis fuzzes both.

use axum::Json;
use serde_json::{Value, json};
use utoipa::OpenApi;

/// The request bodies, derived from the types the handlers deserialize (their fields, which
/// are required, the values of their codes, `additionalProperties: false` where the handler
/// refuses fields it does not know), with what they reference.
#[derive(OpenApi)]
#[openapi(
    paths(
        super::api::layers,
        super::boundaries::check_api,
        super::gazetteer::build,
        super::gazetteer::job,
        super::signs::check,
        super::signs::report,
        super::signs::upload,
        super::signs::inspect,
        super::signs::list_orders,
        super::signs::open_order,
        super::signs::from_findings,
        super::signs::change_order,
        super::cemetery::stats_api,
        serve,
        super::campaigns::create,
        super::campaigns::pin,
        super::campaigns::approve,
        super::campaigns::apply,
        super::files::import,
        super::files::export,
        super::edit::create,
        super::edit::replace,
        super::edit::retire,
        super::edit::check_changeset,
        super::edit::changeset,
        super::history::list,
        super::history::revert,
        super::api::layer_features,
        super::api::layer_schema,
        super::table::rows,
        super::table::street_plate_list,
        super::api::record,
        super::api::history,
        super::api::unit_at,
        super::api::search,
        super::api::reverse,
        super::api::check_name,
        super::api::suggest_number,
        super::boundaries::observe,
        super::boundaries::file_dispute,
        super::boundaries::dispute_step,
        super::boundaries::dispute_map,
    ),
    components(schemas(
        ErrorBody,
        crate::names::rules::NameKind,
        crate::cemetery::stats::By,
        crate::signs::SignKind,
        crate::signs::Condition,
        crate::io::Format,
        crate::io::Encoding,
        super::edit::FeatureWrite,
        super::edit::RetireWrite,
        super::edit::ChangesetInput,
        super::history::RevertInput,
        super::campaigns::NewCampaign,
        super::campaigns::Pins,
        super::campaigns::Approval,
        super::campaigns::Empty,
        super::signs::InspectionInput,
        super::signs::OrderInput,
        super::signs::FromFindingsInput,
        crate::registry::signs::OrderChange,
        super::boundaries::ObservationInput,
        super::boundaries::DisputeInput,
        super::boundaries::StepInput,
    ))
)]
struct Derived;

pub(super) use super::error::ErrorBody;

/// A file's bytes (a PDF, a photo).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub(super) struct Binary(Vec<u8>);

/// A photo's SHA-256, as `POST /api/attachments` answers it.
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^[0-9a-f]{64}$")]
pub(super) struct Sha256(#[allow(dead_code)] String);

/// What is derived from the handlers and their types: the operations declared beside their
/// handlers (`#[utoipa::path]`), each with the errors every operation may answer, and the
/// schemas of request bodies and answers, by name. A description is the doc comment when that
/// is written in Chinese for the API's readers; the English ones are for engineers.
fn derived() -> (
    serde_json::Map<String, Value>,
    serde_json::Map<String, Value>,
) {
    fn chinese_descriptions_only(value: &mut Value) {
        match value {
            Value::Object(map) => {
                let english = map
                    .get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
                if english {
                    map.remove("description");
                }
                map.values_mut().for_each(chinese_descriptions_only);
            }
            Value::Array(items) => items.iter_mut().for_each(chinese_descriptions_only),
            _ => {}
        }
    }
    let mut api = serde_json::to_value(Derived::openapi()).unwrap_or_default();
    chinese_descriptions_only(&mut api);
    let object = |v: &mut Value| match v.take() {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let mut paths = object(&mut api["paths"]);
    for (method, operation) in paths
        .values_mut()
        .flat_map(|p| p.as_object_mut())
        .flat_map(|p| p.iter_mut())
    {
        let mut responses = operation["responses"].take();
        if method != "get" {
            responses = write_errors(responses);
        }
        operation["responses"] = common(responses);
        // A layer's table is one of the catalogue's, known at run time.
        let parameters = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut);
        for parameter in parameters.into_iter().flatten() {
            if parameter["name"] == "table" && parameter["in"] == "path" {
                *parameter = table_param();
            }
        }
        // utoipa tags an operation with its handler's module path: not for the API's readers.
        if let Some(operation) = operation.as_object_mut() {
            operation.remove("tags");
        }
    }
    (paths, object(&mut api["components"]["schemas"]))
}

pub(super) fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub(super) fn param(
    name: &str,
    location: &str,
    required: bool,
    schema: Value,
    description: &str,
) -> Value {
    json!({ "name": name, "in": location, "required": required, "schema": schema, "description": description })
}

/// A GeoJSON geometry, for a request body's field (`#[schema(schema_with = geometry)]`).
pub(super) fn geometry() -> utoipa::openapi::Ref {
    utoipa::openapi::Ref::from_schema_name("Geometry")
}

/// Errors every write may answer, where its operation does not say them in its own words.
fn write_errors(mut responses: Value) -> Value {
    let map = responses.as_object_mut().expect("responses are an object");
    for (status, description) in [
        ("401", "未登录，或接口令牌无效"),
        ("403", "角色无权修改该图层，或缺少 CSRF 令牌（会话方式）"),
        ("404", "没有该记录或图层"),
        ("413", "请求内容过大"),
        ("422", "变更被拒绝：几何无效、批准文件缺失、记录已存在等"),
    ] {
        map.entry(status)
            .or_insert_with(|| error_response(description));
    }
    responses
}

/// Errors every operation may answer.
pub(super) fn common(mut responses: Value) -> Value {
    let map = responses.as_object_mut().expect("responses are an object");
    map.entry("400")
        .or_insert_with(|| error_response("请求参数或内容无效（field 指出出错的字段）"));
    map.entry("503")
        .or_insert_with(|| error_response("数据库暂时不可用"));
    map.entry("500")
        .or_insert_with(|| error_response("服务器内部错误"));
    responses
}

/// Every layer's table, from the catalogue; who may read which is said beside it.
fn table_param() -> Value {
    let tables: Vec<&str> = crate::model::CATALOGUE.iter().map(|s| s.table).collect();
    param(
        "table",
        "path",
        true,
        json!({ "type": "string", "enum": tables }),
        "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）",
    )
}

/// The document.
pub fn document() -> Value {
    let mut doc = frame();
    let (paths, schemas) = derived();
    if let Some(hand) = doc["components"]["schemas"].as_object_mut() {
        hand.extend(schemas);
    }
    if let Some(hand) = doc["paths"].as_object_mut() {
        // A path's operations may be declared in several places (GET beside the reading
        // handler, PUT and DELETE beside the writing one): merged by method.
        for (path, operations) in paths {
            match (hand.get_mut(&path), operations) {
                (Some(Value::Object(item)), Value::Object(more)) => item.extend(more),
                (_, operations) => {
                    hand.insert(path, operations);
                }
            }
        }
    }
    doc
}

/// What is not derived from a handler: the document's head, its security scheme, and the
/// GeoJSON shapes the records travel in (built from each layer's own type at run time).
fn frame() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "diming 地名管理信息系统接口",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "地名、街路巷、门牌与行政区域的登记簿。读取对公众开放（仅限公开数据）；写入须登录（会话 + X-CSRF-Token）或接口令牌（Authorization: Bearer，由 diming user token 签发）。修改与注销须在 If-Match 中给出记录的版本（ETag）：缺少为 428，过期为 412，且不做任何修改。错误一律为 JSON：code、error（中文说明）、field（出错的字段）。"
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "diming user token 签发的接口令牌" }
            },
            "schemas": {
                "Geometry": {
                    "type": "object",
                    "required": ["type"],
                    "properties": { "type": { "type": "string" } }
                },
                "Feature": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": { "const": "Feature" },
                        "id": { "type": "string", "format": "uuid" },
                        "geometry": { "$ref": "#/components/schemas/Geometry" },
                        "title": { "type": "string", "description": "记录的标题（一条记录及其历史的读取结果才有；写入时忽略）" },
                        "layer_label": { "type": "string", "description": "图层的中文名称（同上）" },
                        "attributes": {
                            "type": "array", "description": "供人阅读的属性：[名称, 值]，代码已换成中文（同上）",
                            "items": { "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2 }
                        },
                        "properties": {
                            "type": "object",
                            "required": ["version", "valid_from", "recorded_at"],
                            "properties": {
                                "version": { "type": "integer", "minimum": 1 },
                                "valid_from": { "type": "string", "format": "date" },
                                "recorded_at": { "type": "string" }
                            }
                        }
                    }
                },
                "FeatureCollection": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": { "const": "FeatureCollection" },
                        "features": { "type": "array", "items": { "$ref": "#/components/schemas/Feature" } }
                    }
                },
                "LayerForm": {
                    "type": "object", "required": ["title", "properties", "required", "x-order", "x-geometry"],
                    "properties": { "title": { "type": "string" }, "properties": { "type": "object" }, "required": { "type": "array", "items": { "type": "string" } },
                        "x-order": { "type": "array", "items": { "type": "string" } }, "x-geometry": { "type": "string", "enum": ["Point", "LineString", "Polygon", "Any"] } }
                }
            }
        },
        "paths": {}
    })
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    summary = "本文档",
    responses((status = 200, description = "OpenAPI 文档", body = Object))
)]
pub async fn serve() -> Json<Value> {
    // Derived from the code alone: built once.
    static DOCUMENT: std::sync::LazyLock<Value> = std::sync::LazyLock::new(document);
    Json(DOCUMENT.clone())
}

#[cfg(test)]
mod tests;
