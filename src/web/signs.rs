//! Street signs on the web: the register page (counts, the map coloured by condition, the
//! signs with findings, open work orders), a page per sign (its face drawn from the registry,
//! findings, inspections, work orders and the inspection form made for a phone in the field),
//! the artwork as SVG/PNG/PDF, photo uploads, and the JSON API for inspections and work orders.

use super::api::parse_id;
use super::auth::{Caller, require_write};
use super::edit::{ApiJson, if_match, today};
use super::extract::{ApiPath as Path, ApiQuery};
use super::openapi::{Binary, ErrorBody};
use super::{ApiError, AppState, pages};
use crate::model::{Layer, RecordVersion, Variant};
use crate::record::{RecordId, View};
use crate::registry::signs::{OrderChange, summary};
use crate::signs::SignReport;
use crate::signs::{Condition, Inspection, Sign, WorkKind, WorkOrder, yuan};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tera::Context;

/// The largest photo upload (the photo check has its own, smaller limit).
pub const MAX_PHOTO_UPLOAD: usize = crate::io::photo::MAX_BYTES + 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    unit: Option<String>,
    kind: Option<String>,
    condition: Option<String>,
    /// Only signs with findings.
    #[serde(default)]
    findings: Option<String>,
    /// Go straight to the sign with this number (as an inspector types it in the field).
    #[serde(default)]
    code: Option<String>,
}

/// The current sign with this number or id, and where it stands.
fn find_sign(
    current: &crate::model::CurrentState,
    key: &str,
) -> Result<(RecordVersion, Sign), ApiError> {
    crate::registry::signs::find(current, key)
        .map(|(v, s)| (v.clone(), s.clone()))
        .ok_or_else(|| ApiError::NotFound(format!("没有标志“{key}”")))
}
/// Work orders (id, version, order, sign code) of the sign `sign`, or of every sign.
fn orders(current: &crate::model::CurrentState, sign: Option<RecordId>) -> Vec<Value> {
    let mut out: Vec<Value> = current
        .versions::<WorkOrder>()
        .filter(|(_, o)| sign.is_none_or(|s| s == o.sign))
        .map(|(v, o)| {
            let code = current
                .version::<Sign>(&o.sign)
                .map(|(_, s)| s.code.clone());
            order_json(v.id, v.version, o, code.unwrap_or_default())
        })
        .collect();
    out.sort_by(|a, b| {
        (b["open"].as_bool(), a["sign_code"].as_str())
            .cmp(&(a["open"].as_bool(), b["sign_code"].as_str()))
    });
    out
}

fn order_json(id: RecordId, version: u32, o: &WorkOrder, code: String) -> Value {
    json!({
        "id": id,
        "version": version,
        "sign": o.sign,
        "sign_code": code,
        "kind": o.kind,
        "kind_label": o.kind.label(),
        "status": o.status,
        "status_label": o.status.label(),
        "open": o.status.is_open(),
        "reason": o.reason,
        "reason_text": o.reason_text(),
        "opened": o.opened,
        "assignee": o.assignee,
        "cost_fen": o.cost_fen,
        "cost": o.cost_fen.map(yuan),
        "done": o.done,
        "done_photo": o.done_photo,
    })
}

fn matches(r: &SignReport, q: &ListQuery) -> bool {
    q.kind
        .as_deref()
        .is_none_or(|k| k.is_empty() || r.kind.as_str() == k)
        && q.condition
            .as_deref()
            .is_none_or(|c| c.is_empty() || r.condition.as_str() == c)
        && (q.findings.as_deref().is_none_or(|f| f.is_empty()) || !r.findings.is_empty())
}

/// `GET /signs`: the register; `?code=DX-010` goes to that sign.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    if let Some(code) = q.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let found = find_sign(&registry.current(), code).ok();
        return match found {
            Some((_, sign)) => {
                Ok(axum::response::Redirect::to(&format!("/signs/{}", sign.code)).into_response())
            }
            None => Err(ApiError::NotFound(format!("没有编号为“{code}”的标志"))),
        };
    }
    let reports = registry.check_signs(q.unit.as_deref().filter(|u| !u.is_empty()));
    let current = registry.current();
    let s = summary(&current, &reports);
    let shown: Vec<&SignReport> = reports.iter().filter(|r| matches(r, &q)).collect();
    let internal = caller.access.can_read_layer(Layer::WorkOrder);
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("summary", &s);
    context.insert("open_cost", &yuan(s.open_cost_fen));
    context.insert("done_cost", &yuan(s.done_cost_fen));
    context.insert("signs", &shown);
    context.insert(
        "kinds",
        &crate::signs::SignKind::ALL.map(|k| (k.as_str(), k.label())),
    );
    context.insert(
        "conditions",
        &Condition::ALL.map(|c| {
            let n = s.by_condition.get(c.label()).copied().unwrap_or(0);
            (c.as_str(), c.label(), c.colour(), n)
        }),
    );
    context.insert("q_kind", &q.kind.clone().unwrap_or_default());
    context.insert("q_condition", &q.condition.clone().unwrap_or_default());
    context.insert("q_findings", &q.findings.is_some());
    context.insert("maplibre", super::assets::MAPLIBRE);
    let points: Vec<Value> = shown
        .iter()
        .map(|r| {
            json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                   "properties": {"code": r.code, "colour": r.condition.colour(),
                                  "findings": r.findings.len()}})
        })
        .collect();
    context.insert(
        "points",
        &json!({"type": "FeatureCollection", "features": points}).to_string(),
    );
    if internal {
        let open: Vec<Value> = orders(&current, None)
            .into_iter()
            .filter(|o| o["open"] == json!(true))
            .collect();
        context.insert("orders", &open);
    }
    context.insert("can_orders", &caller.access.can_write(Layer::WorkOrder));
    context.insert("script", &super::assets::script("signs"));
    caller.insert_into(&mut context);
    drop(current);
    Ok(pages::render("signs.html", &context)?.into_response())
}

/// `GET /signs/{code}`: one sign.
pub async fn sign_page(
    State(registry): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> Result<Html<String>, ApiError> {
    let current = registry.current();
    let (v, sign) = find_sign(&current, &key)?;
    let want = sign
        .names
        .first()
        .and_then(|r| crate::registry::signs::expected(&current, registry.word_lists(), *r));
    let findings = crate::signs::check(&sign, want.as_ref());
    let internal = caller.access.can_read_layer(Layer::SignInspection);
    let mut inspections: Vec<Value> = if internal {
        current
            .each::<Inspection>()
            .map(|i| i.body)
            .filter(|x| x.sign == v.id)
            .map(|x| {
                json!({
                    "date": x.date, "inspector": x.inspector, "condition": x.condition.label(),
                    "notes": x.notes, "photos": x.photos,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    inspections.sort_by(|a, b| b["date"].as_str().cmp(&a["date"].as_str()));
    let named: Vec<Value> = sign
        .names
        .iter()
        .map(|r| {
            json!({"id": r, "title": current.get(r).map(|x| x.body.title()).unwrap_or_else(|| "（已注销）".into())})
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("id", &v.id);
    context.insert("version", &v.version);
    context.insert("sign", &sign);
    context.insert("kind", sign.kind.label());
    context.insert("mounting", sign.mounting.label());
    context.insert("condition", sign.condition.label());
    context.insert(
        "conditions",
        &Condition::ALL.map(|c| (c.as_str(), c.label())),
    );
    context.insert(
        "work_kinds",
        &[
            WorkKind::Repair,
            WorkKind::Clean,
            WorkKind::Replace,
            WorkKind::Install,
        ]
        .map(|k| (k.as_str(), k.label())),
    );
    context.insert("named", &named);
    context.insert(
        "expected",
        &want.map(|e| json!({"zh": e.zh, "mn": e.mn, "pinyin": e.pinyin, "number": e.number})),
    );
    context.insert("findings", &findings);
    context.insert("inspections", &inspections);
    context.insert("internal", &internal);
    if internal {
        context.insert("orders", &orders(&current, Some(v.id)));
    }
    let (lon, lat) = match v.geometry {
        geo::Geometry::Point(p) => (p.x(), p.y()),
        _ => (0.0, 0.0),
    };
    context.insert("lon", &format!("{lon:.6}"));
    context.insert("lat", &format!("{lat:.6}"));
    context.insert(
        "svg",
        &crate::publish::signs::svg(&crate::signs::artwork::face(&sign)),
    );
    context.insert(
        "can_inspect",
        &caller.access.can_write(Layer::SignInspection),
    );
    context.insert("can_orders", &caller.access.can_write(Layer::WorkOrder));
    context.insert("script", &super::assets::script("sign"));
    caller.insert_into(&mut context);
    drop(current);
    pages::render("sign.html", &context)
}

/// `GET /signs/{code}/artwork.svg|png|pdf`: the face for the sign maker.
pub async fn artwork(
    State(registry): State<AppState>,
    Path((key, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (_, sign) = find_sign(&registry.current(), &key)?;
    let face = crate::signs::artwork::face(&sign);
    let name = format!("{}.{}", sign.code, file.rsplit('.').next().unwrap_or(""));
    let disposition = format!("inline; filename=\"{}\"", name.replace('"', ""));
    let (media, bytes) = match file.as_str() {
        "artwork.svg" => (
            "image/svg+xml",
            crate::publish::signs::svg(&face).into_bytes(),
        ),
        "artwork.png" => (
            "image/png",
            tokio::task::spawn_blocking(move || crate::publish::signs::png(&face, 1600))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        ),
        "artwork.pdf" => (
            "application/pdf",
            tokio::task::spawn_blocking(move || crate::publish::signs::pdf(&face))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        ),
        other => {
            return Err(ApiError::NotFound(format!(
                "没有“{other}”：可用 artwork.svg、artwork.png、artwork.pdf"
            )));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/signs/check?unit=…`: the conformance report.
#[utoipa::path(
    get,
    path = "/api/signs/check",
    summary = "地名标志核查：每块标志所示文字与版式对照核准名称与 GB 17733，每项问题注明规则",
    params(
        ("unit" = Option<String>, Query, description = "区划代码：只列其中的标志"),
        ("kind" = Option<crate::signs::SignKind>, Query, description = "标志种类"),
        ("condition" = Option<crate::signs::Condition>, Query, description = "状况"),
        ("findings" = Option<String>, Query, description = "非空时只列有问题的标志"),
    ),
    responses((status = 200, description = "每块标志及其问题", body = Vec<SignReport>))
)]
pub async fn check(
    State(registry): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Json<Vec<SignReport>> {
    let reports = registry.check_signs(q.unit.as_deref().filter(|u| !u.is_empty()));
    Json(reports.iter().filter(|r| matches(r, &q)).cloned().collect())
}

/// `GET /api/signs/report`: counts; work orders and costs only for the sign office.
#[utoipa::path(
    get,
    path = "/api/signs/report",
    summary = "地名标志统计：按状况、种类、单位；灯箱式街路牌；工单与费用（仅限登录的工作人员）",
    responses((status = 200, description = "统计", body = crate::signs::SignSummary))
)]
pub async fn report(State(registry): State<AppState>, caller: Caller) -> Json<Value> {
    let reports = registry.check_signs(None);
    let s = summary(&registry.current(), &reports);
    let mut v = serde_json::to_value(&s).unwrap_or(Value::Null);
    if !caller.access.can_read_layer(Layer::WorkOrder)
        && let Value::Object(m) = &mut v
    {
        m.retain(|k, _| !k.contains("order") && !k.contains("cost"));
    }
    Json(v)
}

/// What an upload answers: the photo's hash, by which records cite it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    sha256: String,
    media_type: String,
}

/// What an inspection answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Inspected {
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
}

/// What opening a work order answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Opened {
    #[schema(value_type = uuid::Uuid)]
    id: RecordId,
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
}

/// How many work orders the findings opened.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OpenedFromFindings {
    opened: usize,
}

/// A work order as changed.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OrderChanged {
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
    #[schema(value_type = Object)]
    order: Value,
}

/// `POST /api/attachments`: a photo as the request body; answers its hash.
#[utoipa::path(
    post,
    path = "/api/attachments",
    summary = "上传照片（JPEG、PNG 或 WebP，不超过 12 MB、5000 万像素；须能完整解码）",
    security(("token" = [])),
    request_body(content = Binary, content_type = "image/*"),
    responses(
        (status = 201, description = "已保存照片", body = Uploaded),
    )
)]
pub async fn upload(
    State(registry): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    // Whoever keeps records with photos: the sign office, the boundary office (marker
    // observations), the burial office (graves outside cemeteries).
    let layer = Layer::with_photos()
        .find(|l| caller.access.can_write(*l))
        .unwrap_or(Layer::SignInspection);
    let author = require_write(&registry, &caller, layer, "/api/attachments").await?;
    // Read only now that the caller may upload.
    let body = super::extract::read_body(&headers, body, MAX_PHOTO_UPLOAD).await?;
    if body.len() > crate::io::photo::MAX_BYTES {
        return Err(ApiError::TooLarge(
            crate::io::photo::PhotoError::TooLarge(body.len()).to_string(),
        ));
    }
    let checked = body.clone();
    let media = tokio::task::spawn_blocking(move || crate::io::photo::check(&checked))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Invalid {
            field: "body".into(),
            message: e.to_string(),
        })?;
    let sha = registry
        .store()
        .put_attachment(media, &body, &author)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            sha256: sha,
            media_type: media.to_string(),
        }),
    )
        .into_response())
}

/// `GET /attachments/{sha}`: a stored photo, for the sign office.
pub async fn attachment(
    State(registry): State<AppState>,
    caller: Caller,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    let valid = sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    // A photo is seen by those who may read a record that holds it (a grave's photos by
    // the burial office only); one no record holds yet, by those who may upload photos.
    let allowed = valid && {
        let current = registry.current();
        let mut holders = Layer::with_photos()
            .flat_map(|l| current.layer(l))
            .filter(|v| v.body.photos().contains(&sha.as_str()))
            .peekable();
        match holders.peek() {
            Some(_) => holders.any(|v| caller.access.can_read(&v.body)),
            None => Layer::with_photos().any(|l| caller.access.can_write(l)),
        }
    };
    if !allowed {
        return Err(ApiError::NotFound(format!("没有附件“{sha}”")));
    }
    let (media, bytes) = registry
        .store()
        .attachment(&sha)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .ok_or_else(|| ApiError::NotFound(format!("没有附件“{sha}”")))?;
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".into(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    condition: Condition,
    #[serde(default)]
    notes: String,
    /// 先经 /api/attachments 上传所得的 sha256
    #[serde(default)]
    #[schema(inline, value_type = Vec<super::openapi::Sha256>)]
    photos: Vec<String>,
    date: Option<chrono::NaiveDate>,
}

/// `POST /api/signs/{id}/inspections` with `If-Match` (the sign's version).
#[utoipa::path(
    post,
    path = "/api/signs/{id}/inspections",
    summary = "登记一次标志巡查（状况、照片、说明）；状况不佳时同时开具工单",
    security(("token" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("If-Match" = String, Header, description = "标志的版本，如 \"3\""),
    ),
    request_body = InspectionInput,
    responses(
        (status = 201, description = "已登记巡查（标志状况与所需工单在同一变更集中）", body = Inspected),
        (status = 412, description = "标志版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "缺少 If-Match", body = ErrorBody),
    )
)]
pub async fn inspect(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InspectionInput>,
) -> Result<Response, ApiError> {
    let author = require_write(
        &registry,
        &caller,
        Layer::SignInspection,
        &format!("/api/signs/{id}/inspections"),
    )
    .await?;
    let id = parse_id(&id)?;
    let version = if_match(&headers)?;
    if !caller.access.can_write(Sign::LAYER) {
        return Err(ApiError::Forbidden("无权修改标志状况".into()));
    }
    for p in &input.photos {
        let known = registry
            .store()
            .has_attachment(p)
            .await
            .map_err(|e| ApiError::Registry(e.into()))?;
        if !known {
            return Err(ApiError::Invalid {
                field: "photos".into(),
                message: format!("照片 {p} 不存在：请先通过 /api/attachments 上传"),
            });
        }
    }
    let changeset = registry
        .inspect_sign(
            &author,
            id,
            version,
            Inspection {
                sign: id,
                date: input.date.unwrap_or_else(today),
                inspector: author.clone(),
                condition: input.condition,
                notes: input.notes,
                photos: input.photos,
                source: crate::record::Source::Survey,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Inspected { changeset })).into_response())
}

/// `GET /api/work-orders`.
#[utoipa::path(
    get,
    path = "/api/work-orders",
    summary = "标志维修工单（仅限登录的工作人员）",
    security(("token" = [])),
    responses(
        (status = 200, description = "工单", body = Vec<Object>),
        (status = 401, description = "未登录", body = ErrorBody),
    )
)]
pub async fn list_orders(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Value>>, ApiError> {
    if !caller.access.can_read_layer(Layer::WorkOrder) {
        return Err(ApiError::Unauthorized("请先登录".into()));
    }
    Ok(Json(orders(&registry.current(), None)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// 标志编号或记录 id
    sign: String,
    kind: WorkKind,
    reason: String,
    /// 预算（分）
    #[schema(minimum = 0)]
    cost_fen: Option<i64>,
}

/// `POST /api/work-orders`: a work order by hand.
#[utoipa::path(
    post,
    path = "/api/work-orders",
    summary = "为一块标志开具维修工单",
    security(("token" = [])),
    request_body = OrderInput,
    responses(
        (status = 201, description = "已开具工单", body = Opened),
    )
)]
pub async fn open_order(
    State(registry): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OrderInput>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::WorkOrder, "/api/work-orders").await?;
    if input.reason.trim().is_empty() {
        return Err(ApiError::Invalid {
            field: "reason".into(),
            message: "请写明开具工单的原因".into(),
        });
    }
    if input.cost_fen.is_some_and(|c| c < 0) {
        return Err(ApiError::Invalid {
            field: "cost_fen".into(),
            message: "费用不能为负数".into(),
        });
    }
    let (sign, _) = find_sign(&registry.current(), &input.sign)?;
    let sign = sign.id;
    let (id, changeset) = registry
        .open_work_order(
            &author,
            sign,
            input.kind,
            input.reason.trim(),
            input.cost_fen,
            today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Opened { id, changeset })).into_response())
}

#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromFindingsInput {
    unit: Option<String>,
}

/// `POST /api/work-orders/from-findings`.
#[utoipa::path(
    post,
    path = "/api/work-orders/from-findings",
    summary = "依据标志核查结果，为尚无相应工单的问题标志开具工单",
    security(("token" = [])),
    request_body = FromFindingsInput,
    responses(
        (status = 200, description = "已开具的工单数", body = OpenedFromFindings),
    )
)]
pub async fn from_findings(
    State(registry): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FromFindingsInput>,
) -> Result<Json<OpenedFromFindings>, ApiError> {
    let author = require_write(
        &registry,
        &caller,
        Layer::WorkOrder,
        "/api/work-orders/from-findings",
    )
    .await?;
    let n = registry
        .orders_from_findings(&author, input.unit.as_deref(), today())
        .await?;
    Ok(Json(OpenedFromFindings { opened: n }))
}

/// `PATCH /api/work-orders/{id}` with `If-Match`: assign, price, finish with a photo, cancel.
#[utoipa::path(
    patch,
    path = "/api/work-orders/{id}",
    summary = "修改工单：派工（须写施工单位）、定价、完工（须附照片，标志随之恢复完好）、撤销",
    security(("token" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("If-Match" = String, Header, description = "工单的版本"),
    ),
    request_body = OrderChange,
    responses(
        (status = 200, description = "已修改工单", body = OrderChanged),
        (status = 412, description = "工单版本已过期，未做任何修改", body = ErrorBody),
        (status = 428, description = "缺少 If-Match", body = ErrorBody),
    )
)]
pub async fn change_order(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<OrderChange>,
) -> Result<Json<OrderChanged>, ApiError> {
    let author = require_write(
        &registry,
        &caller,
        Layer::WorkOrder,
        &format!("/api/work-orders/{id}"),
    )
    .await?;
    let id = parse_id(&id)?;
    let version = if_match(&headers)?;
    let changeset = registry
        .change_work_order(&author, id, version, change, today())
        .await?;
    let current = registry.current();
    let (v, o) = current
        .version::<WorkOrder>(&id)
        .ok_or_else(|| ApiError::NotFound(format!("没有工单 {id}")))?;
    Ok(Json(OrderChanged {
        changeset,
        order: order_json(v.id, v.version, o, String::new()),
    }))
}
