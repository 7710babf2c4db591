//! Renumbering campaigns over HTTP, for the numbering tool: create a draft for streets, pin
//! numbers (the rest re-flows), approve with the document, apply as one changeset. Each step
//! checks the caller's role on the campaign layer and is a changeset of its own.

use super::auth::{Caller, require_write};
use super::edit::{ApiJson, today};
use super::extract::ApiPath;
use super::{ApiError, AppState};
use crate::addresses::DoorNumber;
use crate::model::Layer;
use crate::record::{ApprovalDocument, RecordId};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// The author of a step of campaign `id`: an officer who may write campaigns.
async fn officer(registry: &AppState, caller: &Caller, id: RecordId) -> Result<String, ApiError> {
    require_write(
        registry,
        caller,
        Layer::Campaign,
        &format!("/api/campaigns/{id}"),
    )
    .await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    name: String,
    #[schema(value_type = Vec<uuid::Uuid>)]
    streets: Vec<RecordId>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    #[schema(value_type = uuid::Uuid)]
    plate: RecordId,
    number: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pins {
    pins: Vec<Pin>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    document: ApprovalDocument,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

fn answer(status: StatusCode, id: RecordId, registry: &AppState) -> Response {
    let current = registry.current();
    let body = current
        .get(&id)
        .map(super::api::feature)
        .unwrap_or_else(|| json!({ "id": id }));
    (status, Json(body)).into_response()
}

#[utoipa::path(
    post,
    path = "/api/campaigns",
    summary = "门牌整编：为街路巷建立草案（编号引擎的方案）",
    security(("token" = [])),
    request_body = NewCampaign,
    responses(
        (status = 201, description = "已建立草案", body = ref("#/components/schemas/Feature")),
    )
)]
pub async fn create(
    State(registry): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewCampaign>,
) -> Result<Response, ApiError> {
    let author = require_write(&registry, &caller, Layer::Campaign, "/api/campaigns").await?;
    if input.name.trim().is_empty() {
        return Err(ApiError::Invalid {
            field: "name".into(),
            message: "整编工作须有名称".into(),
        });
    }
    {
        let current = registry.current();
        for (i, s) in input.streets.iter().enumerate() {
            if current.get(s).is_none_or(|v| v.layer() != Layer::Street) {
                return Err(ApiError::Invalid {
                    field: format!("streets[{i}]"),
                    message: format!("{s} 不是现行的街路巷"),
                });
            }
        }
    }
    let id = registry
        .create_campaign(input.name.trim(), input.streets, &author, today())
        .await?;
    Ok(answer(StatusCode::CREATED, id, &registry))
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/pins",
    summary = "门牌整编：固定若干号码，其余重排（进入已审核）",
    security(("token" = [])),
    params(("id" = uuid::Uuid, Path, description = "记录 id")),
    request_body = Pins,
    responses(
        (status = 200, description = "已固定", body = ref("#/components/schemas/Feature")),
    )
)]
pub async fn pin(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<RecordId>,
    ApiJson(input): ApiJson<Pins>,
) -> Result<Response, ApiError> {
    let author = officer(&registry, &caller, id).await?;
    let pins: Vec<(RecordId, DoorNumber)> = input
        .pins
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.number
                .parse::<DoorNumber>()
                .map(|n| (p.plate, n))
                .map_err(|e| ApiError::Invalid {
                    field: format!("pins[{i}].number"),
                    message: e.to_string(),
                })
        })
        .collect::<Result<_, _>>()?;
    registry.pin_campaign(id, &pins, &author, today()).await?;
    Ok(answer(StatusCode::OK, id, &registry))
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/approve",
    summary = "门牌整编：以批准文件批准",
    security(("token" = [])),
    params(("id" = uuid::Uuid, Path, description = "记录 id")),
    request_body = Approval,
    responses(
        (status = 200, description = "已批准", body = ref("#/components/schemas/Feature")),
    )
)]
pub async fn approve(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<RecordId>,
    ApiJson(input): ApiJson<Approval>,
) -> Result<Response, ApiError> {
    let author = officer(&registry, &caller, id).await?;
    registry
        .approve_campaign(id, input.document, &author, today())
        .await?;
    Ok(answer(StatusCode::OK, id, &registry))
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/apply",
    summary = "门牌整编：把批准的新号码与整编状态写入登记簿（一个变更集）",
    security(("token" = [])),
    params(("id" = uuid::Uuid, Path, description = "记录 id")),
    request_body = Empty,
    responses(
        (status = 200, description = "已写入", body = ref("#/components/schemas/Feature")),
    )
)]
pub async fn apply(
    State(registry): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<RecordId>,
    ApiJson(_): ApiJson<Empty>,
) -> Result<Response, ApiError> {
    let author = officer(&registry, &caller, id).await?;
    // Door plates are written too.
    require_write(
        &registry,
        &caller,
        Layer::DoorPlate,
        &format!("/api/campaigns/{id}"),
    )
    .await?;
    registry.apply_campaign(id, &author, today()).await?;
    Ok(answer(StatusCode::OK, id, &registry))
}
