//! The boundary officers' page (`/boundaries`): the units, lines and markers on a map with the
//! check's findings; what falls due (joint inspections, 平安边界 renewals); the markers with both
//! coordinate forms and their last observation; open disputes and their frozen areas (for
//! officers); and the same as JSON at `/api/boundaries/check`.

use super::auth::Caller;
use super::openapi::ErrorBody;
use super::{ApiError, AppState, pages};
use crate::boundaries::AdminUnit;
use crate::boundaries::dispute::Dispute;
use crate::boundaries::line::{Agreement, BoundaryLine};
use crate::boundaries::marker::Marker;
use crate::model::Layer;
use crate::record::View;
use crate::spatial::geojson::from_geo;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use serde_json::{Value, json};
use tera::Context;

/// The registry's boundary check, as it keeps it between changes of units and markers.
fn check(
    registry: &AppState,
) -> Result<std::sync::Arc<crate::boundaries::check::Report>, ApiError> {
    registry
        .boundary_check()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `GET /api/boundaries/check`: the findings as GeoJSON.
#[utoipa::path(
    get,
    path = "/api/boundaries/check",
    summary = "行政区域界线核查：重叠、缝隙、未接边、界桩偏离与到期事项，每项问题为一个要素（GeoJSON）",
    responses((status = 200, description = "问题要素集合（GeoJSON FeatureCollection，每项问题的 properties 有 kind、label、message）", body = Object))
)]
pub async fn check_api(State(registry): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(check(&registry)?.geojson()))
}

/// `GET /boundaries`.
/// What the page shows besides the registry: the last step's outcome, a line to inspect.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageQuery {
    done: String,
    refused: String,
    line: String,
}

pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
    axum::extract::Query(done): axum::extract::Query<PageQuery>,
) -> Result<Html<String>, ApiError> {
    let report = check(&registry)?;
    let today = chrono::Local::now().date_naive();
    let state = registry.current();
    let internal = caller.access.can_read_layer(Layer::Dispute);
    let feature = |v: &crate::model::RecordVersion, props: Value| json!({"type": "Feature", "geometry": from_geo(&v.geometry), "properties": props});
    let units: Vec<Value> = state
        .versions::<AdminUnit>()
        .map(|(v, u)| feature(v, json!({"name": u.name, "level": u.level.as_str()})))
        .collect();
    let lines: Vec<Value> = state
        .versions::<BoundaryLine>()
        .map(|(v, l)| {
            feature(
                v,
                json!({"agreed": l.legal == crate::boundaries::line::LegalStatus::Agreed,
                       "name": format!("{}—{}", l.left_name, l.right_name)}),
            )
        })
        .collect();
    let observations: Vec<(
        crate::record::RecordId,
        crate::boundaries::marker::Observation,
    )> = if internal {
        state
            .each::<crate::boundaries::marker::Observation>()
            .map(|o| (o.body.marker, o.body.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let mut markers: Vec<Value> = Vec::new();
    let mut marker_points: Vec<Value> = Vec::new();
    for (v, m) in state.versions::<Marker>() {
        let geo::Geometry::Point(p) = &v.geometry else {
            continue;
        };
        let (x, y) = crate::spatial::crs::gauss_kruger(p.x(), p.y())
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let last = observations
            .iter()
            .filter(|(id, _)| *id == v.id)
            .map(|(_, o)| o)
            .max_by_key(|o| o.date);
        let alert = last.is_some_and(|o| o.alert);
        markers.push(json!({
            "number": m.number, "kind": m.kind.label(), "units": m.units.join("、"),
            "lon": format!("{:.8}", p.x()), "lat": format!("{:.8}", p.y()),
            "x": format!("{x:.3}"), "y": format!("{y:.3}"),
            "last": last.map(|o| format!("{} {}，偏离 {:.2} 米", o.date, o.state.label(), o.offset_m)),
            "alert": alert,
        }));
        marker_points.push(feature(v, json!({"number": m.number, "alert": alert})));
    }
    markers.sort_by(|a, b| a["number"].as_str().cmp(&b["number"].as_str()));
    let disputes: Vec<Value> = if internal {
        state
            .versions::<Dispute>()
            .map(|(v, d)| json!({
                    "id": v.id, "title": d.title, "status": d.status.label(), "open": d.status.is_open(),
                    "version": v.version,
                    // Where it may go on this page (a decision is made with its new boundaries).
                    "next": d.status.successors().iter()
                        .filter(|s| **s != crate::boundaries::dispute::DisputeStatus::Decided)
                        .map(|s| json!({"value": s.as_str(), "label": s.label()}))
                        .collect::<Vec<_>>(),
                    "parties": d.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(" / "),
                    "may_decide": d.status.successors().contains(&crate::boundaries::dispute::DisputeStatus::Decided),
                    "party_list": d.parties.iter().map(|p| json!({"code": p.code, "name": p.name})).collect::<Vec<_>>(),
                    "area": format!("{:.0}", d.area_m2),
                    "mu": format!("{:.2}", crate::boundaries::dispute::mu(d.area_m2)),
                    "feature": feature(v, json!({"title": d.title, "open": d.status.is_open()})),
            }))
            .collect()
    } else {
        Vec::new()
    };
    // Each party's claim of each open dispute, numbered by its place among the parties.
    let claims: Vec<Value> = if internal {
        state
            .each::<Dispute>()
            .map(|d| d.body)
            .filter(|d| d.status.is_open())
            .flat_map(|d| {
                d.parties.iter().enumerate().map(|(i, p)| {
                    json!({"type": "Feature", "geometry": p.claim,
                           "properties": {"dispute": d.title, "party": p.name, "index": i}})
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    // The units a dispute may be filed between, for the filing form.
    let mut unit_options: Vec<Value> = state
        .each::<AdminUnit>()
        .map(|u| json!({"code": u.body.code.short(), "name": u.body.name}))
        .collect();
    unit_options.sort_by(|a, b| a["code"].as_str().cmp(&b["code"].as_str()));
    let due: Vec<Value> =
        crate::registry::boundaries::due(&state, today, today + chrono::Days::new(90))
            .into_iter()
            .map(|d| {
                // A line's inspection is recorded on this page; anything else on its record.
                let line = state.version::<BoundaryLine>(&d.record).is_some();
                let agreement = state.version::<Agreement>(&d.record).is_some();
                json!({"date": d.date, "what": d.what, "overdue": d.overdue,
                       "record": d.record.to_string(), "line": line, "agreement": agreement})
            })
            .collect();
    // The lines an inspection may be recorded on, and the latest inspections.
    let mut line_options: Vec<Value> = state
        .versions::<BoundaryLine>()
        .map(|(v, l)| {
            json!({"id": v.id.to_string(), "name": format!("{}—{}", l.left_name, l.right_name),
                             "last": l.last_inspected})
        })
        .collect();
    line_options.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let mut inspections: Vec<Value> = if internal {
        state
            .versions::<crate::boundaries::line::LineInspection>()
            .map(|(_, i)| {
                let line = state
                    .version::<BoundaryLine>(&i.line)
                    .map(|(_, l)| format!("{}—{}", l.left_name, l.right_name))
                    .unwrap_or_default();
                json!({"date": i.date, "line": line, "inspectors": i.inspectors.join("、"),
                       "findings": i.findings.iter().map(|f| format!("{}：{}", f.at, f.finding)).collect::<Vec<_>>()})
            })
            .collect()
    } else {
        Vec::new()
    };
    inspections.sort_by(|a, b| b["date"].as_str().cmp(&a["date"].as_str()));
    inspections.truncate(20);
    let collection =
        |features: Vec<Value>| json!({"type": "FeatureCollection", "features": features});
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("maplibre", super::assets::MAPLIBRE);
    context.insert("script", &super::assets::script("boundaries"));
    context.insert(
        "data",
        &json!({
            "units": collection(units),
            "lines": collection(lines),
            "markers": collection(marker_points),
            "disputes": collection(disputes.iter().map(|d| d["feature"].clone()).collect()),
            "claims": collection(claims),
            "findings": report.geojson(),
        })
        .to_string(),
    );
    context.insert("findings", &report.findings);
    context.insert("markers", &markers);
    context.insert("disputes", &disputes);
    context.insert("due", &due);
    context.insert("internal", &internal);
    context.insert(
        "can_observe",
        &caller.access.can_write(Layer::MarkerObservation),
    );
    context.insert("can_step", &caller.access.can_write(Layer::Dispute));
    context.insert(
        "can_inspect",
        &caller.access.can_write(Layer::LineInspection),
    );
    context.insert("line_options", &line_options);
    context.insert("inspections", &inspections);
    context.insert("today", &today);
    context.insert("done", &done.done);
    context.insert("refused", &done.refused);
    context.insert("line", &done.line);
    context.insert("unit_options", &unit_options);
    caller.insert_into(&mut context);
    drop(state);
    pages::render("boundaries.html", &context)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationInput {
    /// Where the marker was found (CGCS2000); none for a missing marker.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub state: crate::boundaries::marker::MarkerState,
    #[serde(default)]
    pub notes: String,
    /// 先经 /api/attachments 上传所得的 sha256
    #[serde(default)]
    #[schema(inline, value_type = Vec<super::openapi::Sha256>)]
    pub photos: Vec<String>,
    pub date: Option<chrono::NaiveDate>,
}

/// What an observation answers: how far from its registered place the marker was found.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Observed {
    offset_m: f64,
    alert: bool,
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
}

/// `POST /api/markers/{number}/observations`: a field observation of a marker. It never
/// moves the marker; farther than the tolerance (or damaged, or missing) it is an alert.
#[utoipa::path(
    post,
    path = "/api/markers/{number}/observations",
    summary = "登记一次界桩实地观测（不改变界桩登记位置；偏离超过容差、损坏或丢失时报警）",
    security(("token" = [])),
    params(("number" = String, Path, description = "界桩编号，如 JZ-004")),
    request_body = ObservationInput,
    responses(
        (status = 201, description = "已登记", body = Observed),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权登记界桩观测", body = ErrorBody),
        (status = 422, description = "界桩不存在或观测无效", body = ErrorBody),
    )
)]
pub async fn observe(
    State(registry): State<AppState>,
    caller: Caller,
    super::extract::ApiPath(number): super::extract::ApiPath<String>,
    super::edit::ApiJson(input): super::edit::ApiJson<ObservationInput>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let author = super::auth::require_write(
        &registry,
        &caller,
        Layer::MarkerObservation,
        &format!("/api/markers/{number}/observations"),
    )
    .await?;
    let at = match (input.lon, input.lat) {
        (Some(x), Some(y)) => Some(geo::Point::new(x, y)),
        (None, None) => None,
        _ => {
            return Err(ApiError::Invalid {
                field: "lon".into(),
                message: "经度与纬度须同时给出".into(),
            });
        }
    };
    let visit = crate::boundaries::marker::Visit {
        at,
        state: input.state,
        notes: input.notes,
        photos: input.photos,
        date: input.date.unwrap_or_else(super::edit::today),
    };
    let (offset_m, alert, changeset) = registry.observe_marker(&author, &number, visit).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Observed {
            offset_m,
            alert,
            changeset,
        }),
    )
        .into_response())
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// 区划代码
    pub code: String,
    /// Its claim (CGCS2000 GeoJSON): the area it holds to be its own, or between two parties
    /// the line it holds to be the boundary; drawn on the map or read from a file by the page.
    #[schema(schema_with = super::openapi::geometry)]
    pub claim: geojson::Geometry,
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    pub title: String,
    #[schema(min_items = 2)]
    pub parties: Vec<PartyInput>,
    #[serde(default)]
    pub evidence: Vec<crate::boundaries::dispute::Evidence>,
    /// The day it was filed (today if none).
    pub filed: Option<chrono::NaiveDate>,
}

/// What filing a dispute answers: the disputed area, frozen.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Filed {
    #[schema(value_type = String)]
    id: crate::record::RecordId,
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
    area_m2: f64,
    mu: f64,
    /// 争议区域内的地名、门牌等
    #[schema(value_type = Object)]
    contents: crate::boundaries::dispute::Contents,
}

/// `POST /api/disputes`: files a boundary dispute from the parties' claims. Each claim must be
/// a valid geometry inside the jurisdiction, each party a unit of the registry, each piece of
/// evidence brought by a party; the claims must overlap (the disputed area, which is frozen).
#[utoipa::path(
    post,
    path = "/api/disputes",
    summary = "受理边界争议：各当事单位的主张范围（面）或主张界线（两方时可为线），在地图上绘制或由文件读入；争议区域由主张计算并冻结",
    security(("token" = [])),
    request_body = DisputeInput,
    responses(
        (status = 201, description = "已受理", body = Filed),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权办理边界争议", body = ErrorBody),
        (status = 422, description = "当事单位、主张或证据有误，或各方主张没有重叠", body = ErrorBody),
    )
)]
pub async fn file_dispute(
    State(registry): State<AppState>,
    caller: Caller,
    super::edit::ApiJson(input): super::edit::ApiJson<DisputeInput>,
) -> Result<axum::response::Response, ApiError> {
    use crate::boundaries::dispute::{DisputeError, Party, mu};
    use axum::response::IntoResponse;
    let author =
        super::auth::require_write(&registry, &caller, Layer::Dispute, "/api/disputes").await?;
    let invalid = |field: String, message: String| ApiError::Invalid { field, message };
    let title = input.title.trim();
    if title.is_empty() {
        return Err(invalid("title".into(), "争议须有名称".into()));
    }
    if input.parties.len() < 2 {
        return Err(invalid("parties".into(), DisputeError::Parties.to_string()));
    }
    let extent = registry.config().jurisdiction.extent;
    let mut parties = Vec::new();
    {
        let state = registry.current();
        for (i, p) in input.parties.iter().enumerate() {
            // The code as the registry shortens it (152501200) or in full (152501200000).
            let (code, name) = state
                .each::<AdminUnit>()
                .map(|u| u.body)
                .find(|u| u.code.short() == p.code.trim() || u.code.to_string() == p.code.trim())
                .map(|u| (u.code.short(), u.name.clone()))
                .ok_or_else(|| {
                    invalid(
                        format!("parties[{i}].code"),
                        format!("登记簿中没有区划代码为“{}”的单位", p.code),
                    )
                })?;
            if parties.iter().any(|q: &Party| q.code == code) {
                return Err(invalid(
                    format!("parties[{i}].code"),
                    format!("{name}出现了两次"),
                ));
            }
            let claim = crate::spatial::geojson::to_geo(&p.claim)
                .and_then(|g| crate::spatial::validate(&g, &extent).map(|()| g))
                .map_err(|e| {
                    invalid(format!("parties[{i}].claim"), format!("{name}的主张：{e}"))
                })?;
            parties.push(Party {
                code,
                name,
                claim: from_geo(&claim),
            });
        }
    }
    let mut evidence = input.evidence;
    for (i, e) in evidence.iter_mut().enumerate() {
        // Brought by a party, named by the code as the page or the client gave it.
        let by = input
            .parties
            .iter()
            .zip(&parties)
            .find(|(given, p)| given.code.trim() == e.party.trim() || p.code == e.party.trim());
        let Some((_, party)) = by else {
            return Err(invalid(
                format!("evidence[{i}].party"),
                format!("证据“{}”不是由当事单位提交的", e.title),
            ));
        };
        e.party = party.code.clone();
    }
    let filed = input.filed.unwrap_or_else(super::edit::today);
    let (id, changeset) = registry
        .file_dispute(&author, title, parties, evidence, filed)
        .await?;
    let (area_m2, contents) = match registry.current().one::<Dispute>(&id) {
        Some(d) => (d.body.area_m2, d.body.contents.clone()),
        None => return Err(ApiError::Internal(format!("争议 {id} 未能读回"))),
    };
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Filed {
            id,
            changeset,
            area_m2,
            mu: mu(area_m2),
            contents,
        }),
    )
        .into_response())
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub status: crate::boundaries::dispute::DisputeStatus,
    /// The day of the step (today if none).
    pub date: Option<chrono::NaiveDate>,
    /// Submitting to the common superior, mediating and withdrawing after a submission are
    /// done under a document.
    pub document: Option<crate::record::ApprovalDocument>,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/disputes/{id}/steps`: the dispute moves on (consultation, submitted to the common
/// superior, mediation, withdrawn), on the version named by `If-Match`. A decision gives the
/// units their new boundaries and is made with `diming boundaries dispute decide`.
#[utoipa::path(
    post,
    path = "/api/disputes/{id}/steps",
    summary = "边界争议进入下一步：双方协商、报请共同上级（须文书）、上级调解（须文书）、撤回；依据 If-Match 所示版本（裁决须同时给出新界线，用命令行办理）",
    security(("token" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("If-Match" = String, Header, description = "争议记录的版本，如 \"2\""),
    ),
    request_body = StepInput,
    responses(
        (status = 201, description = "已登记", body = Stepped),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权办理边界争议", body = ErrorBody),
        (status = 404, description = "没有这条记录", body = ErrorBody),
        (status = 412, description = "争议已被他人推进（版本已过期），未做任何修改", body = ErrorBody),
        (status = 422, description = "不能进入该步骤（顺序、文书或日期不符）", body = ErrorBody),
        (status = 428, description = "缺少 If-Match", body = ErrorBody),
    )
)]
pub async fn dispute_step(
    State(registry): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    super::extract::ApiPath(id): super::extract::ApiPath<crate::record::RecordId>,
    super::edit::ApiJson(input): super::edit::ApiJson<StepInput>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let author = super::auth::require_write(
        &registry,
        &caller,
        Layer::Dispute,
        &format!("/api/disputes/{id}/steps"),
    )
    .await?;
    let version = super::edit::if_match(&headers)?;
    let step = crate::boundaries::dispute::Step {
        status: input.status,
        date: input.date.unwrap_or_else(super::edit::today),
        document: input.document,
        note: input.note,
    };
    let changeset = registry.dispute_step(&author, id, version, step).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Stepped {
            changeset,
            status: input.status,
        }),
    )
        .into_response())
}

/// What a step answers: where the dispute stands now.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Stepped {
    #[schema(value_type = String)]
    changeset: crate::record::ChangesetId,
    status: crate::boundaries::dispute::DisputeStatus,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapQuery {
    pub layout: Option<String>,
}

/// `GET /api/disputes/{id}/map.pdf?layout=A4-landscape`: the dispute map for the mediation
/// meeting, drawn by the print renderer.
#[utoipa::path(
    get,
    path = "/api/disputes/{id}/map.pdf",
    summary = "争议区域图（调解会用）：各方主张、争议区域、界桩、街路巷与区划，按比例尺（仅限工作人员）",
    params(
        ("id" = uuid::Uuid, Path, description = "记录 id"),
        ("layout" = Option<String>, Query, description = "版式，如 A4-landscape（默认）、A3-landscape"),
    ),
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf", body = super::openapi::Binary),
        (status = 404, description = "没有这条争议", body = ErrorBody),
        (status = 422, description = "不是边界争议", body = ErrorBody),
    )
)]
pub async fn dispute_map(
    State(registry): State<AppState>,
    caller: Caller,
    super::extract::ApiPath(id): super::extract::ApiPath<crate::record::RecordId>,
    axum::extract::Query(q): axum::extract::Query<MapQuery>,
) -> Result<axum::response::Response, ApiError> {
    use crate::publish::map::{self, Layout, Style, labels::Measure};
    use axum::response::IntoResponse;
    let is_dispute = registry.current().one::<Dispute>(&id).is_some();
    if !caller.access.can_read_layer(Layer::Dispute) || !is_dispute {
        return Err(ApiError::NotFound(format!("没有争议 {id}")));
    }
    let layout = Layout::named(q.layout.as_deref().unwrap_or("A4-landscape")).map_err(|e| {
        ApiError::Invalid {
            field: "layout".into(),
            message: e.to_string(),
        }
    })?;
    let (plan, data) = {
        let state = registry.current();
        let city = &registry.config().jurisdiction.name;
        crate::publish::atlas::Atlas::new(&state, city).dispute_map(
            id,
            layout,
            super::edit::today(),
        )?
    };
    let measure = Measure::shared().map_err(|e| ApiError::Internal(e.to_string()))?;
    let drawn = map::render(&plan, Style::named("dispute-map"), &data, measure);
    let pdf = tokio::task::spawn_blocking(move || map::pdf(&drawn))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "inline; filename=\"dispute-map.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// The joint inspection form as typed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InspectionForm {
    line: String,
    date: String,
    /// Names of the inspectors of both sides, separated by commas.
    inspectors: String,
    /// One finding a line: `where：what` (a marker's number or a stretch, then the finding).
    findings: String,
    csrf: String,
}

fn refused(message: &str, anchor: &str) -> axum::response::Response {
    super::form::refused(&format!("/boundaries#{anchor}"), message)
}

/// `POST /boundaries/inspections`: a joint inspection of a line, with its findings per
/// marker or stretch, recorded through the registry's `inspect_line`.
pub async fn inspect(
    State(registry): State<AppState>,
    caller: Caller,
    axum::Form(f): axum::Form<InspectionForm>,
) -> Result<axum::response::Response, ApiError> {
    let author = super::auth::require_write(
        &registry,
        &caller,
        Layer::LineInspection,
        "/boundaries/inspections",
    )
    .await?;
    let _ = &f.csrf;
    let Ok(line_id) = f.line.parse::<crate::record::RecordId>() else {
        return Ok(refused("请选择界线", "inspect"));
    };
    let Some((a, b)) = registry
        .current()
        .version::<BoundaryLine>(&line_id)
        .map(|(_, l)| (l.left.clone(), l.right.clone()))
    else {
        return Ok(refused("没有这条界线", "inspect"));
    };
    let date = match f.date.trim() {
        "" => super::edit::today(),
        d => match d.parse() {
            Ok(d) => d,
            Err(_) => return Ok(refused(&format!("日期“{d}”无效"), "inspect")),
        },
    };
    let inspectors: Vec<String> = f
        .inspectors
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if inspectors.len() < 2 {
        return Ok(refused(
            "联合检查须有双方的检查人员（至少两人，用逗号隔开）",
            "inspect",
        ));
    }
    let findings: Vec<crate::boundaries::line::InspectionFinding> = f
        .findings
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (at, finding) = l.split_once(['：', ':']).unwrap_or(("全线", l));
            crate::boundaries::line::InspectionFinding {
                at: at.trim().to_string(),
                finding: finding.trim().to_string(),
            }
        })
        .collect();
    let inspection = crate::boundaries::line::LineInspection {
        line: line_id,
        date,
        inspectors,
        findings,
        photos: Vec::new(),
        source: crate::record::Source::Survey,
    };
    match registry.inspect_line(&author, &a, &b, inspection).await {
        Ok(_) => Ok(super::form::done("/boundaries#inspections", "inspected")),
        Err(e) if e.is_refusal() => Ok(refused(&e.to_string(), "inspect")),
        Err(e) => Err(e.into()),
    }
}

/// The decision form as typed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecideForm {
    version: u32,
    /// The party the disputed area is awarded to.
    winner: String,
    issuer: String,
    number: String,
    date: String,
    csrf: String,
}

/// `POST /boundaries/disputes/{id}/decide`: the decision with its document; the disputed area
/// goes to the party named, the other parties' units lose it.
pub async fn decide(
    State(registry): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Form(f): axum::Form<DecideForm>,
) -> Result<axum::response::Response, ApiError> {
    let target = format!("/boundaries/disputes/{id}/decide");
    let author = super::auth::require_write(&registry, &caller, Layer::Dispute, &target).await?;
    let _ = &f.csrf;
    let id: crate::record::RecordId = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("记录号“{id}”无效")))?;
    let (Some(issuer), Some(number), Ok(date)) = (
        Some(f.issuer.trim()).filter(|s| !s.is_empty()),
        Some(f.number.trim()).filter(|s| !s.is_empty()),
        f.date.trim().parse::<chrono::NaiveDate>(),
    ) else {
        return Ok(refused(
            "裁决须附裁决文件：请填写发文机关、文号和日期",
            "disputes-section",
        ));
    };
    let document = crate::record::ApprovalDocument {
        issuer: issuer.to_string(),
        number: number.to_string(),
        date,
    };
    match registry
        .award_disputed_area(&author, id, f.version, f.winner.trim(), document, date)
        .await
    {
        Ok(_) => Ok(super::form::done("/boundaries#disputes-section", "decided")),
        Err(e) if e.is_refusal() => Ok(refused(&e.to_string(), "disputes-section")),
        Err(e) => Err(e.into()),
    }
}
