//! Writes through the JSON API: create a record, replace it, retire it, or commit several
//! writes as one changeset. Every write checks the caller's role against the layer of the
//! record as it is stored (not as the request claims), names the version it changes
//! (`If-Match`: missing → 428, stale → 412, and nothing changes), and refuses fields it does
//! not know (nobody sets `version`, `author` or `recorded_at` through a body).

use super::auth::{Caller, require_write};
use super::extract::ApiPath as Path;
use super::openapi::ErrorBody;
use super::{ApiError, AppState, api};
use crate::model::{Body, Changeset, Layer, Write};
use crate::record::{ApprovalDocument, RecordId};
use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// A JSON body whose errors name the field at fault (`feature.properties.class`).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let v = v.split(';').next().unwrap_or("").trim();
                v == "application/json" || v == "application/geo+json"
            });
        if !is_json {
            return Err(ApiError::Invalid {
                field: "Content-Type".into(),
                message: "请求内容应为 JSON（Content-Type: application/json）".into(),
            });
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::TooLarge(format!("请求内容过大或无法读取：{e}")))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(ApiJson)
            .map_err(|e| ApiError::Invalid {
                field: e.path().to_string(),
                message: format!("请求内容无效（{}）：{}", e.path(), e.inner()),
            })
    }
}

/// A feature as a client sends it: GeoJSON, with the layer's own attributes as properties.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureInput {
    /// Feature
    #[serde(rename = "type")]
    #[schema(pattern = "^Feature$")]
    kind: String,
    /// Optional; when given it must be the record's id.
    #[serde(default)]
    #[schema(value_type = Option<uuid::Uuid>)]
    id: Option<RecordId>,
    #[schema(schema_with = super::openapi::geometry)]
    geometry: geojson::Geometry,
    /// 该图层自身的属性（不含 version、author 等由系统记录的字段）
    properties: Map<String, Value>,
    /// What a GET adds for people to read ([`super::api::described`]): a feature read and
    /// sent back as it came is accepted, and these are never written.
    /// 记录的标题（一条记录及其历史的读取结果才有；写入时忽略）
    #[serde(default, rename = "title")]
    _title: Option<Value>,
    /// 图层的中文名称（同上）
    #[serde(default, rename = "layer_label")]
    _layer_label: Option<Value>,
    /// 供人阅读的属性：[名称, 值]，代码已换成中文（同上）
    #[serde(default, rename = "attributes")]
    _attributes: Option<Value>,
}

impl FeatureInput {
    pub(super) fn id(&self) -> Option<RecordId> {
        self.id
    }

    /// The same feature carrying `id` (for a new record whose id the caller must learn).
    pub(super) fn with_id(mut self, id: RecordId) -> Self {
        self.id = Some(id);
        self
    }
}

/// One record written with its reason.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureWrite {
    reason: String,
    #[serde(default)]
    document: Option<ApprovalDocument>,
    /// When the change takes effect in the world (default: today).
    #[serde(default)]
    valid_from: Option<NaiveDate>,
    feature: FeatureInput,
}

/// A retirement with its reason.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireWrite {
    reason: String,
    #[serde(default)]
    document: Option<ApprovalDocument>,
    #[serde(default)]
    valid_from: Option<NaiveDate>,
}

/// One write of a multi-write changeset.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum ChangeInput {
    Create {
        layer: String,
        #[serde(default)]
        valid_from: Option<NaiveDate>,
        feature: FeatureInput,
    },
    Update {
        #[schema(value_type = uuid::Uuid)]
        id: RecordId,
        /// The version this write changes (the record's ETag).
        if_match: Option<u32>,
        #[serde(default)]
        valid_from: Option<NaiveDate>,
        feature: FeatureInput,
    },
    Retire {
        #[schema(value_type = uuid::Uuid)]
        id: RecordId,
        if_match: Option<u32>,
        #[serde(default)]
        valid_from: Option<NaiveDate>,
    },
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesetInput {
    reason: String,
    #[serde(default)]
    document: Option<ApprovalDocument>,
    writes: Vec<ChangeInput>,
}

/// Today as the server counts dates (its local time zone, as the command line does): the date
/// from which a change made now takes effect.
pub(super) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The body and geometry of a feature for `layer`; `field` prefixes error paths.
pub(super) fn parse_feature(
    layer: Layer,
    feature: FeatureInput,
    field: &str,
) -> Result<(Body, geo::Geometry<f64>), ApiError> {
    if feature.kind != "Feature" {
        return Err(ApiError::Invalid {
            field: format!("{field}.type"),
            message: format!("type 应为“Feature”，而不是“{}”", feature.kind),
        });
    }
    let geometry: geo::Geometry<f64> =
        feature
            .geometry
            .try_into()
            .map_err(|e: geojson::Error| ApiError::Invalid {
                field: format!("{field}.geometry"),
                message: format!("几何无法读取：{e}"),
            })?;
    let mut properties = feature.properties;
    // The layer as GET shows it may come back; any other layer is a mistake.
    if let Some(tag) = properties.remove("layer")
        && tag != json!(layer)
    {
        return Err(ApiError::Invalid {
            field: format!("{field}.properties.layer"),
            message: format!("属性 layer 为 {tag}，而记录属于“{}”图层", layer.label()),
        });
    }
    properties
        .entry("source")
        .or_insert_with(|| json!("survey"));
    let body = Body::from_properties(layer, properties).map_err(|e| ApiError::Invalid {
        field: format!("{field}.properties.{}", e.path),
        message: format!("属性无效（{}）：{}", e.path, e.message),
    })?;
    Ok((body, geometry))
}

/// The record's version named by `If-Match: "N"`.
pub(super) fn if_match(headers: &HeaderMap) -> Result<u32, ApiError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or_else(|| {
            ApiError::PreconditionRequired(
                "修改记录须在 If-Match 中给出所依据的版本（记录的 ETag）".into(),
            )
        })?
        .to_str()
        .unwrap_or("");
    value
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| ApiError::Invalid {
            field: "If-Match".into(),
            message: format!("If-Match“{value}”无效：应为记录的 ETag，如 \"3\""),
        })
}

/// The current layer of `id`, checking that the caller may see it (an id the caller may not
/// see is answered as if it did not exist).
pub(super) fn stored_layer(
    registry: &AppState,
    caller: &Caller,
    id: RecordId,
) -> Result<(Layer, Body), ApiError> {
    let current = registry.current();
    current
        .get(&id)
        .filter(|v| caller.access.can_read(&v.body))
        .map(|v| (v.layer(), v.body.clone()))
        .ok_or_else(|| ApiError::NotFound(format!("没有现行记录 {id}")))
}

pub(super) async fn commit_one(
    registry: &AppState,
    author: String,
    reason: String,
    document: Option<ApprovalDocument>,
    write: Write,
) -> Result<Response, ApiError> {
    let mut changeset = Changeset::new(author, reason);
    changeset.document = document;
    let id = write.id();
    changeset.push(write);
    let changeset_id = registry.commit(changeset).await?;
    let current = registry.current();
    match current.get(&id) {
        Some(v) => {
            let mut body = api::feature(v);
            body["changeset"] = json!(changeset_id);
            Ok((
                [
                    (header::ETAG, format!("\"{}\"", v.version)),
                    (header::LOCATION, format!("/api/records/{id}")),
                ],
                Json(body),
            )
                .into_response())
        }
        None => Ok(Json(Retired {
            id,
            retired: true,
            changeset: changeset_id,
        })
        .into_response()),
    }
}

/// `prefix.rest`, or `rest` alone for a single write.
fn at(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// The version named by `If-Match`, if the header is there (a malformed one is a 400).
pub(super) fn if_match_header(headers: &HeaderMap) -> Result<Option<u32>, ApiError> {
    match headers.get(header::IF_MATCH) {
        Some(_) => if_match(headers).map(Some),
        None => Ok(None),
    }
}

/// One write checked against the caller and the registry: the layer (named for a new record,
/// as stored for an existing one), the caller's role on it, the version it names, the body
/// (its naming workflow and other rules are the registry's, at commit). Returns the author (the caller) and the write.
pub(super) async fn checked_write(
    registry: &AppState,
    caller: &Caller,
    change: ChangeInput,
    field: &str,
    target: &str,
) -> Result<(String, Write), ApiError> {
    let version = |if_match: Option<u32>| {
        if_match.ok_or_else(|| {
            let at = if field.is_empty() {
                String::new()
            } else {
                format!("{field}：")
            };
            ApiError::PreconditionRequired(format!(
                "{at}修改或注销记录须给出所依据的版本（If-Match，或写入中的 if_match）"
            ))
        })
    };
    Ok(match change {
        ChangeInput::Create {
            layer,
            valid_from,
            feature,
        } => {
            let l = Layer::from_table(&layer)
                .filter(|l| caller.access.can_read_layer(*l))
                .ok_or_else(|| ApiError::Invalid {
                    field: at(field, "layer"),
                    message: format!("没有图层“{layer}”"),
                })?;
            let author = require_write(registry, caller, l, target).await?;
            let id = feature.id.unwrap_or_default();
            let (body, geometry) = parse_feature(l, feature, &at(field, "feature"))?;
            let write = Write::Create {
                id,
                valid_from: valid_from.unwrap_or_else(today),
                body,
                geometry,
            };
            (author, write)
        }
        ChangeInput::Update {
            id,
            if_match,
            valid_from,
            feature,
        } => {
            let (l, _) = stored_layer(registry, caller, id)?;
            let author = require_write(registry, caller, l, target).await?;
            let base_version = version(if_match)?;
            if feature.id.is_some_and(|f| f != id) {
                return Err(ApiError::Invalid {
                    field: at(field, "feature.id"),
                    message: "要素的 id 与所修改的记录 id 不一致".into(),
                });
            }
            let (body, geometry) = parse_feature(l, feature, &at(field, "feature"))?;
            let write = Write::Update {
                id,
                base_version,
                valid_from: valid_from.unwrap_or_else(today),
                body,
                geometry,
            };
            (author, write)
        }
        ChangeInput::Retire {
            id,
            if_match,
            valid_from,
        } => {
            let (l, _) = stored_layer(registry, caller, id)?;
            let author = require_write(registry, caller, l, target).await?;
            let write = Write::Retire {
                id,
                base_version: version(if_match)?,
                valid_from: valid_from.unwrap_or_else(today),
            };
            (author, write)
        }
    })
}

/// What a retirement answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Retired {
    #[schema(value_type = uuid::Uuid)]
    id: RecordId,
    retired: bool,
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
}

/// What a changeset of several writes answers: each record's new version, or that it retired.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Committed {
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
    #[schema(value_type = Vec<Object>)]
    records: Vec<Value>,
}

/// What a check before saving answers when saving would be accepted.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Checked {
    ok: bool,
    writes: usize,
}

/// `POST /api/layers/{layer}/items`: a new record.
#[utoipa::path(
    post,
    path = "/api/layers/{table}/items",
    summary = "新建一条记录",
    security(("token" = [])),
    params(("table" = String, Path, description = "图层（内部图层仅对工作人员可见，个人信息图层仅对殡葬管理人员可见；无权查看时答 404）")),
    request_body = FeatureWrite,
    responses(
        (status = 201, description = "已新建（ETag 为版本）", body = ref("#/components/schemas/Feature")),
    )
)]
pub async fn create(
    State(registry): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    ApiJson(input): ApiJson<FeatureWrite>,
) -> Result<Response, ApiError> {
    if Layer::from_table(&table)
        .filter(|l| caller.access.can_read_layer(*l))
        .is_none()
    {
        return Err(ApiError::NotFound(format!("没有图层“{table}”")));
    }
    let change = ChangeInput::Create {
        layer: table.clone(),
        valid_from: input.valid_from,
        feature: input.feature,
    };
    let target = format!("/api/layers/{table}/items");
    let (author, write) = checked_write(&registry, &caller, change, "", &target).await?;
    let response = commit_one(&registry, author, input.reason, input.document, write).await?;
    Ok((StatusCode::CREATED, response).into_response())
}

/// `PUT /api/records/{id}`: the next version of a record (If-Match required).
#[utoipa::path(
    put,
    path = "/api/records/{id}",
    summary = "记录的下一版本",
    security(("token" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("If-Match" = String, Header, description = "所依据的版本，如 \"3\""),
    ),
    request_body = FeatureWrite,
    responses(
        (status = 200, description = "已修改", body = ref("#/components/schemas/Feature")),
        (status = 412, description = "版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "缺少 If-Match", body = ErrorBody),
    )
)]
pub async fn replace(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<FeatureWrite>,
) -> Result<Response, ApiError> {
    let id = api::parse_id(&id)?;
    let change = ChangeInput::Update {
        id,
        if_match: if_match_header(&headers)?,
        valid_from: input.valid_from,
        feature: input.feature,
    };
    let target = format!("/api/records/{id}");
    let (author, write) = checked_write(&registry, &caller, change, "", &target).await?;
    commit_one(&registry, author, input.reason, input.document, write).await
}

/// `DELETE /api/records/{id}`: retires a record (If-Match required). Nothing is deleted: the
/// retirement is a version, and the history keeps every earlier one.
#[utoipa::path(
    delete,
    path = "/api/records/{id}",
    summary = "注销记录（注销也是一个版本）",
    security(("token" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("If-Match" = String, Header, description = "所依据的版本"),
    ),
    request_body = RetireWrite,
    responses(
        (status = 200, description = "已注销", body = Retired),
        (status = 412, description = "版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "缺少 If-Match", body = ErrorBody),
    )
)]
pub async fn retire(
    State(registry): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<RetireWrite>,
) -> Result<Response, ApiError> {
    let id = api::parse_id(&id)?;
    let change = ChangeInput::Retire {
        id,
        if_match: if_match_header(&headers)?,
        valid_from: input.valid_from,
    };
    let target = format!("/api/records/{id}");
    let (author, write) = checked_write(&registry, &caller, change, "", &target).await?;
    commit_one(&registry, author, input.reason, input.document, write).await
}

/// The writes of `input` as the caller's changeset, each checked (role, version, body,
/// approval document) as it would be written.
async fn caller_changeset(
    registry: &AppState,
    caller: &Caller,
    input: ChangesetInput,
    target: &str,
) -> Result<Changeset, ApiError> {
    let Some(author) = caller.access.name().map(str::to_string) else {
        return require_write(registry, caller, Layer::Street, target)
            .await
            .map(|_| unreachable!("the public writes nothing"));
    };
    let mut changeset = Changeset::new(author, input.reason);
    changeset.document = input.document.clone();
    for (i, change) in input.writes.into_iter().enumerate() {
        let field = format!("writes[{i}]");
        let (_, write) = checked_write(registry, caller, change, &field, target).await?;
        changeset.push(write);
    }
    Ok(changeset)
}

/// `POST /api/changesets/check`: what saving these writes would answer, with nothing written
/// (the editor's check before saving): 200 when it would be accepted, otherwise the same
/// error as saving (geometry with its location, stale version, doubled number, frozen area…).
#[utoipa::path(
    post,
    path = "/api/changesets/check",
    summary = "保存前检查：与 POST /api/changesets 相同的内容，按同样的规则（几何、版本、门牌号、冻结区域、殡葬规则…）检查，不写入任何内容",
    security(("token" = [])),
    request_body = ChangesetInput,
    responses(
        (status = 200, description = "检查通过：照此保存会被接受（未写入任何内容）", body = Checked),
        (status = 412, description = "某项写入的版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "某项修改缺少 if_match", body = ErrorBody),
    )
)]
pub async fn check_changeset(
    State(registry): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ChangesetInput>,
) -> Result<Response, ApiError> {
    let changeset = caller_changeset(&registry, &caller, input, "/api/changesets/check").await?;
    let writes = changeset.writes.len();
    // Validation and the rules are CPU work: off the async workers, so that a large
    // geometry within the limits does not hold up other requests.
    let previewing = registry.clone();
    tokio::task::spawn_blocking(move || previewing.preview(changeset))
        .await
        .map_err(|e| ApiError::Internal(format!("preview: {e}")))??;
    Ok(Json(Checked { ok: true, writes }).into_response())
}

/// `POST /api/changesets`: several writes, all or nothing.
#[utoipa::path(
    post,
    path = "/api/changesets",
    summary = "多项写入组成一个变更集：全部成功或全不写入",
    security(("token" = [])),
    request_body = ChangesetInput,
    responses(
        (status = 201, description = "已写入", body = Committed),
        (status = 412, description = "某项写入的版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "某项修改缺少 if_match", body = ErrorBody),
    )
)]
pub async fn changeset(
    State(registry): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ChangesetInput>,
) -> Result<Response, ApiError> {
    let changeset = caller_changeset(&registry, &caller, input, "/api/changesets").await?;
    let ids: Vec<RecordId> = changeset.writes.iter().map(Write::id).collect();
    let changeset_id = registry.commit(changeset).await?;
    let current = registry.current();
    let records: Vec<Value> = ids
        .iter()
        .map(|id| match current.get(id) {
            Some(v) => json!({ "id": id, "version": v.version }),
            None => json!({ "id": id, "retired": true }),
        })
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(Committed {
            changeset: changeset_id,
            records,
        }),
    )
        .into_response())
}
