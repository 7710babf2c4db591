//! The OpenAPI descriptions: 3.1 of the JSON API (`/api/openapi.json`) and 3.0 of OGC API –
//! Features (`/ogc/api`, its service-desc). Tests call every operation of the first and check
//! the answers against it; schemathesis fuzzes both.

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
        super::api::layer_features,
        super::api::layer_schema,
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
        super::api::NameKindParam,
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

/// An error, as every operation answers it ([`super::ApiError`]).
#[derive(utoipa::ToSchema)]
#[schema(as = Error)]
#[allow(dead_code)]
pub(super) struct ErrorBody {
    /// 供脚本判断的代码，如 stale_version
    code: String,
    /// 中文说明
    error: String,
    /// 出错的字段
    field: Option<String>,
    /// 出错的位置
    #[schema(value_type = Option<Object>)]
    location: Option<Value>,
}

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
    for operation in paths
        .values_mut()
        .flat_map(|p| p.as_object_mut())
        .flat_map(|p| p.values_mut())
    {
        let responses = operation["responses"].take();
        operation["responses"] = common(responses);
        // utoipa tags an operation with its handler's module path: not for the API's readers.
        if let Some(operation) = operation.as_object_mut() {
            operation.remove("tags");
        }
    }
    (paths, object(&mut api["components"]["schemas"]))
}

/// A required JSON request body of the schema `name` (one of [`Bodies`]).
pub(super) fn body(name: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } } })
}

pub(super) fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub(super) fn json_response(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
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

/// The codes of a domain type's values, as they travel in JSON.
fn codes<T: serde::Serialize>(values: &[T]) -> Value {
    json!(values)
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

fn id_param() -> Value {
    param(
        "id",
        "path",
        true,
        json!({ "type": "string", "format": "uuid" }),
        "记录 id",
    )
}

fn write_responses(ok: &str, ok_status: &str) -> Value {
    let mut r = json!({
        "401": error_response("未登录，或接口令牌无效"),
        "403": error_response("角色无权修改该图层，或缺少 CSRF 令牌（会话方式）"),
        "404": error_response("没有该记录或图层"),
        "413": error_response("请求内容过大"),
        "422": error_response("变更被拒绝：几何无效、批准文件缺失、记录已存在等"),
    });
    r[ok_status] = json_response(ok, "Feature");
    common(r)
}

/// The document.
pub fn document() -> Value {
    let mut doc = paths();
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

/// The document with the paths of names, addresses, records, signs and cemeteries.
fn paths() -> Value {
    let bearer = json!([{ "token": [] }, {}]);
    let revert_responses = {
        let mut r = write_responses("已撤销", "201");
        r["201"] = json!({ "description": "已撤销", "content": { "application/json": { "schema": { "type": "object", "required": ["reverted", "changeset"] } } } });
        r["409"] = error_response("不能撤销：此后又有变更修改了这些记录，或变更集注销了记录");
        r
    };
    let put_responses = {
        let mut r = write_responses("已修改", "200");
        r["412"] = error_response("版本已过期，未做任何修改");
        r["428"] = error_response("缺少 If-Match");
        r
    };
    let delete_responses = {
        let mut r = write_responses("已注销", "200");
        r["200"] = json!({ "description": "已注销", "content": { "application/json": { "schema": { "type": "object", "required": ["id", "retired", "changeset"] } } } });
        r["412"] = error_response("版本已过期，未做任何修改");
        r["428"] = error_response("缺少 If-Match");
        r
    };
    let changeset_responses = {
        let mut r = write_responses("已写入", "201");
        r["201"] = json!({ "description": "已写入", "content": { "application/json": { "schema": { "type": "object", "required": ["changeset", "records"] } } } });
        r["412"] = error_response("某项写入的版本已过期，未做任何修改");
        r["428"] = error_response("某项修改缺少 if_match");
        r
    };
    let check_responses = {
        let mut r = changeset_responses.clone();
        r.as_object_mut().expect("responses").remove("201");
        r["200"] = json!({ "description": "检查通过：照此保存会被接受（未写入任何内容）", "content": { "application/json": { "schema": {
            "type": "object", "required": ["ok", "writes"],
            "properties": { "ok": { "type": "boolean" }, "writes": { "type": "integer" } } } } } });
        r
    };
    let import_responses = {
        let mut r = write_responses("导入报告", "200");
        r["200"] = json_response("导入报告（已写入或试运行）", "ImportReport");
        r["422"] = json_response("有要素被拒绝，整个文件都没有写入", "ImportReport");
        r
    };

    // Sign writes answer small objects of their own.
    let object_response = |ok: &str, status: &str, required: Value| {
        let mut r = write_responses(ok, status);
        r[status] = json!({ "description": ok, "content": { "application/json": { "schema": { "type": "object", "required": required } } } });
        r
    };
    let mut inspect_responses = object_response(
        "已登记巡查（标志状况与所需工单在同一变更集中）",
        "201",
        json!(["changeset"]),
    );
    inspect_responses["412"] = error_response("标志版本已过期，未做任何修改");
    inspect_responses["428"] = error_response("缺少 If-Match");
    let mut order_change_responses =
        object_response("已修改工单", "200", json!(["changeset", "order"]));
    order_change_responses["412"] = error_response("工单版本已过期，未做任何修改");
    order_change_responses["428"] = error_response("缺少 If-Match");
    let upload_responses = object_response("已保存照片", "201", json!(["sha256", "media_type"]));
    let open_order_responses = object_response("已开具工单", "201", json!(["id", "changeset"]));
    let from_findings_responses = object_response("已开具的工单数", "200", json!(["opened"]));
    let sign_filters = vec![
        param(
            "unit",
            "query",
            false,
            json!({ "type": "string" }),
            "区划代码：只列其中的标志",
        ),
        param(
            "kind",
            "query",
            false,
            json!({ "enum": codes(&crate::signs::SignKind::ALL) }),
            "标志种类",
        ),
        param(
            "condition",
            "query",
            false,
            json!({ "enum": codes(&crate::signs::Condition::ALL) }),
            "状况",
        ),
        param(
            "findings",
            "query",
            false,
            json!({ "type": "string" }),
            "非空时只列有问题的标志",
        ),
    ];

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
                },
                "ImportReport": {
                    "type": "object",
                    "required": ["read", "created", "updated", "unchanged", "refused"],
                    "properties": {
                        "read": { "type": "integer" },
                        "created": { "type": "integer" },
                        "updated": { "type": "integer" },
                        "unchanged": { "type": "integer" },
                        "refused": { "type": "array", "items": { "type": "object", "required": ["row", "reason"] } },
                        "changeset": { "type": ["string", "null"] }
                    }
                }
            }
        },
        "paths": {
            "/api/layers/{table}/items": {
                "post": {
                    "summary": "新建一条记录",
                    "security": [{ "token": [] }],
                    "parameters": [table_param()],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FeatureWrite" } } } },
                    "responses": write_responses("已新建（ETag 为版本）", "201")
                }
            },
            "/api/records/{id}": {
                "put": {
                    "summary": "记录的下一版本",
                    "security": [{ "token": [] }],
                    "parameters": [id_param(), param("If-Match", "header", true, json!({ "type": "string" }), "所依据的版本，如 \"3\"")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FeatureWrite" } } } },
                    "responses": put_responses
                },
                "delete": {
                    "summary": "注销记录（注销也是一个版本）",
                    "security": [{ "token": [] }],
                    "parameters": [id_param(), param("If-Match", "header", true, json!({ "type": "string" }), "所依据的版本")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RetireWrite" } } } },
                    "responses": delete_responses
                }
            },
            "/api/changesets": {
                "get": {
                    "summary": "变更集列表（仅工作人员）：可按作者、图层、日期、批准文件筛选，最新的在前",
                    "security": [{ "token": [] }],
                    "parameters": [
                        param("author", "query", false, json!({ "type": "string" }), "作者"),
                        param("layer", "query", false, json!({ "type": "string" }), "写入过的图层"),
                        param("from", "query", false, json!({ "type": "string", "format": "date" }), "登记日期起"),
                        param("to", "query", false, json!({ "type": "string", "format": "date" }), "登记日期止"),
                        param("document", "query", false, json!({ "type": "string" }), "批准文件的文号或发文机关（部分）"),
                        param("limit", "query", false, json!({ "type": "integer", "minimum": 1, "maximum": 500 }), "每页条数"),
                        param("offset", "query", false, json!({ "type": "integer", "minimum": 0 }), "跳过的条数"),
                    ],
                    "responses": common(json!({
                        "200": { "description": "变更集", "content": { "application/json": { "schema": { "type": "object", "required": ["numberMatched", "changesets"] } } } },
                        "401": error_response("未登录")
                    }))
                },
                "post": {
                    "summary": "多项写入组成一个变更集：全部成功或全不写入",
                    "security": [{ "token": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ChangesetInput" } } } },
                    "responses": changeset_responses
                }
            },
            "/api/changesets/check": {
                "post": {
                    "summary": "保存前检查：与 POST /api/changesets 相同的内容，按同样的规则（几何、版本、门牌号、冻结区域、殡葬规则…）检查，不写入任何内容",
                    "security": [{ "token": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ChangesetInput" } } } },
                    "responses": check_responses
                }
            },
            "/api/changesets/{id}/revert": {
                "post": {
                    "summary": "撤销变更集：新建一个变更集，新建的记录被注销，修改过的记录回到此前的版本",
                    "security": [{ "token": [] }],
                    "parameters": [param("id", "path", true, json!({ "type": "string", "format": "uuid" }), "变更集 id")],
                    "requestBody": body("RevertInput"),
                    "responses": revert_responses
                }
            },
            "/api/layers/{table}/import": {
                "post": {
                    "summary": "上传文件导入（GeoJSON、zip 压缩的 Shapefile、GeoPackage、KML、DXF、CSV）",
                    "security": [{ "token": [] }],
                    "parameters": [
                        table_param(),
                        param("filename", "query", true, json!({ "type": "string" }), "原文件名（只用其扩展名）"),
                        param("crs", "query", false, json!({ "type": "string" }), "文件的坐标系，如 EPSG:4546"),
                        param("encoding", "query", false, json!({ "enum": ["gbk", "utf-8"] }), "属性编码"),
                        param("map", "query", false, json!({ "type": "string" }), "字段对应：源=目标，逗号分隔"),
                        param("dry_run", "query", false, json!({ "type": "boolean" }), "只核对不写入"),
                        param("reason", "query", false, json!({ "type": "string" }), "变更原因"),
                    ],
                    "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                    "responses": import_responses
                }
            },
            "/api/layers/{table}/export": {
                "get": {
                    "summary": "把图层导出为文件",
                    "security": bearer,
                    "parameters": [
                        table_param(),
                        param("format", "query", true, json!({ "enum": ["geojson", "gpkg", "shp", "kml", "csv", "dxf"] }), "格式（shp 为 zip）"),
                        param("crs", "query", false, json!({ "type": "string" }), "输出坐标系，默认 EPSG:4490"),
                        param("as_of", "query", false, json!({ "type": "string", "format": "date" }), "某一日期的状态"),
                    ],
                    "responses": common(json!({
                        "200": { "description": "文件", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                        "404": error_response("没有该图层")
                    }))
                }
            },
            "/api/campaigns": {
                "post": {
                    "summary": "门牌整编：为街路巷建立草案（编号引擎的方案）",
                    "security": [{ "token": [] }],
                    "requestBody": body("NewCampaign"),
                    "responses": write_responses("已建立草案", "201")
                }
            },
            "/api/campaigns/{id}/pins": {
                "post": {
                    "summary": "门牌整编：固定若干号码，其余重排（进入已审核）",
                    "security": [{ "token": [] }],
                    "parameters": [id_param()],
                    "requestBody": body("Pins"),
                    "responses": write_responses("已固定", "200")
                }
            },
            "/api/campaigns/{id}/approve": {
                "post": {
                    "summary": "门牌整编：以批准文件批准",
                    "security": [{ "token": [] }],
                    "parameters": [id_param()],
                    "requestBody": body("Approval"),
                    "responses": write_responses("已批准", "200")
                }
            },
            "/api/campaigns/{id}/apply": {
                "post": {
                    "summary": "门牌整编：把批准的新号码与整编状态写入登记簿（一个变更集）",
                    "security": [{ "token": [] }],
                    "parameters": [id_param()],
                    "requestBody": body("Empty"),
                    "responses": write_responses("已写入", "200")
                }
            },
            "/api/signs/check": {
                "get": {
                    "summary": "地名标志核查：每块标志所示文字与版式对照核准名称与 GB 17733，每项问题注明规则",
                    "parameters": sign_filters,
                    "responses": common(json!({ "200": { "description": "每块标志及其问题", "content": { "application/json": { "schema": {
                        "type": "array", "items": { "type": "object", "required": ["id", "code", "kind", "condition", "findings"],
                        "properties": { "findings": { "type": "array", "items": { "type": "object", "required": ["rule", "message", "shown", "expected", "source"] } } } } } } } } }))
                }
            },
            "/api/signs/report": {
                "get": {
                    "summary": "地名标志统计：按状况、种类、单位；灯箱式街路牌；工单与费用（仅限登录的工作人员）",
                    "responses": common(json!({ "200": { "description": "统计", "content": { "application/json": { "schema": { "type": "object", "required": ["signs", "by_condition", "by_kind", "lightbox"] } } } } }))
                }
            },
            "/api/cemetery/stats": {
                "get": {
                    "summary": "火化统计：死亡、火化、土葬、其他，火化率（火化÷死亡）、火葬区火化率、火化与土葬之比（并非火化率）；可同时核对上报数字（仅限登录的工作人员）",
                    "parameters": [
                        param("from", "query", false, json!({ "type": "integer", "minimum": -32768, "maximum": 32767 }), "起始年份"),
                        param("to", "query", false, json!({ "type": "integer", "minimum": -32768, "maximum": 32767 }), "截止年份"),
                        param("by", "query", false, json!({ "enum": ["year", "unit"] }), "按年份或户籍地分组"),
                        param("reported", "query", false, json!({ "type": "string" }), "上报数字，如 2016-2020:51.8%;2020:44.4%")
                    ],
                    "responses": common(json!({ "200": { "description": "统计表（末行为合计）与核对结果", "content": { "application/json": { "schema": {
                        "type": "object", "required": ["from", "to", "rows", "reconciliation"],
                        "properties": {
                            "from": { "type": "integer" }, "to": { "type": "integer" },
                            "rows": { "type": "array", "items": { "type": "object", "required": ["group", "deaths", "cremations", "burials", "other", "balanced"] } },
                            "reconciliation": { "type": "array", "items": { "type": "object", "required": ["reported", "matches"] } }
                        }
                    } } } }, "401": error_response("未登录：殡葬统计仅限工作人员") }))
                }
            },
            "/api/signs/{id}/inspections": {
                "post": {
                    "summary": "登记一次标志巡查（状况、照片、说明）；状况不佳时同时开具工单",
                    "security": [{ "token": [] }],
                    "parameters": [id_param(), param("If-Match", "header", true, json!({ "type": "string" }), "标志的版本，如 \"3\"")],
                    "requestBody": body("InspectionInput"),
                    "responses": inspect_responses
                }
            },
            "/api/attachments": {
                "post": {
                    "summary": "上传照片（JPEG、PNG 或 WebP，不超过 12 MB、5000 万像素；须能完整解码）",
                    "security": [{ "token": [] }],
                    "requestBody": { "required": true, "content": { "image/*": { "schema": { "type": "string", "format": "binary" } } } },
                    "responses": upload_responses
                }
            },
            "/api/work-orders": {
                "get": {
                    "summary": "标志维修工单（仅限登录的工作人员）",
                    "security": [{ "token": [] }],
                    "responses": common(json!({
                        "200": { "description": "工单", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object", "required": ["id", "version", "sign", "kind", "status"] } } } } },
                        "401": error_response("未登录")
                    }))
                },
                "post": {
                    "summary": "为一块标志开具维修工单",
                    "security": [{ "token": [] }],
                    "requestBody": body("OrderInput"),
                    "responses": open_order_responses
                }
            },
            "/api/work-orders/from-findings": {
                "post": {
                    "summary": "依据标志核查结果，为尚无相应工单的问题标志开具工单",
                    "security": [{ "token": [] }],
                    "requestBody": body("FromFindingsInput"),
                    "responses": from_findings_responses
                }
            },
            "/api/work-orders/{id}": {
                "patch": {
                    "summary": "修改工单：派工（须写施工单位）、定价、完工（须附照片，标志随之恢复完好）、撤销",
                    "security": [{ "token": [] }],
                    "parameters": [id_param(), param("If-Match", "header", true, json!({ "type": "string" }), "工单的版本")],
                    "requestBody": body("OrderChange"),
                    "responses": order_change_responses
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "本文档",
                    "responses": { "200": { "description": "OpenAPI 文档", "content": { "application/json": { "schema": { "type": "object" } } } } }
                }
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests;
