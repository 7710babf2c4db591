//! The gazetteer page (`/gazetteer`): earlier editions to download, and for editors a form
//! that builds a new edition in the background with its progress shown
//! (`POST /api/gazetteer/editions`, `GET /api/gazetteer/jobs/{id}`). Every edition is kept
//! (`/gazetteer/editions/{id}.pdf`) with the changeset it was built from.

use super::auth::Caller;
use super::openapi::ErrorBody;
use super::{ApiError, AppState, pages};
use crate::registry::gazetteer::{Editorial, Selection};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use tera::Context;

/// Builds in progress and their state, by job id (kept for the life of the process).
static JOBS: LazyLock<Mutex<HashMap<String, Value>>> = LazyLock::new(Default::default);

fn set_job(id: &str, v: Value) {
    JOBS.lock().expect("jobs lock").insert(id.to_string(), v);
}

/// `GET /gazetteer`.
pub async fn page(
    State(registry): State<AppState>,
    caller: Caller,
) -> Result<Html<String>, ApiError> {
    let editions = registry
        .store()
        .editions()
        .await
        .map_err(|e| ApiError::Registry(e.into()))?;
    let rows: Vec<Value> = editions
        .iter()
        .map(|e| {
            let options: Value = serde_json::from_str(&e.options).unwrap_or(Value::Null);
            json!({
                "id": e.id, "built_at": super::pages::local_time(e.built_at),
                "built_by": e.built_by, "changeset": e.changeset, "entries": e.entries,
                "as_of": options["as_of"], "unit": options["unit"], "paper": options["paper"],
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("city", &registry.config().jurisdiction.name);
    context.insert("editions", &rows);
    context.insert("can_publish", &caller.access.can_publish());
    context.insert("script", &super::assets::script("gazetteer"));
    caller.insert_into(&mut context);
    pages::render("gazetteer.html", &context)
}

/// Where a build stands, as the page polls it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct JobState {
    state: String,
    label: String,
    entries: Option<usize>,
    /// Approved names the rules object to: listed in the appendix, or left out.
    nonstandard: Option<usize>,
    edition: Option<String>,
    href: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildRequest {
    pub unit: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    pub as_of: Option<chrono::NaiveDate>,
    pub paper: Option<String>,
}

/// `POST /api/gazetteer/editions`: starts a build; answers the job to follow.
/// What starting a build answers: the job to follow.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Started {
    job: String,
    href: String,
}

#[utoipa::path(
    post,
    path = "/api/gazetteer/editions",
    summary = "编纂一版地名志（PDF）：在后台汇集经批准的标准地名并排版，答复可查询进度的任务（仅出版编辑与系统管理员）",
    security(("token" = [])),
    request_body = BuildRequest,
    responses(
        (status = 202, description = "已开始编纂", body = Started),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权编纂地名志", body = ErrorBody),
    )
)]
pub async fn build(
    State(registry): State<AppState>,
    caller: Caller,
    super::edit::ApiJson(request): super::edit::ApiJson<BuildRequest>,
) -> Result<Response, ApiError> {
    let Some(who) = caller.access.name().map(str::to_string) else {
        return Err(ApiError::Unauthorized("请先登录".into()));
    };
    if !caller.access.can_publish() {
        return Err(ApiError::Forbidden(
            "只有出版编辑和系统管理员可以编纂地名志".into(),
        ));
    }
    let paper: crate::gazetteer::Paper = request
        .paper
        .as_deref()
        .unwrap_or("16k")
        .parse()
        .map_err(|e: String| ApiError::Invalid {
            field: "paper".into(),
            message: e,
        })?;
    let options = json!({
        "unit": request.unit, "categories": request.categories, "as_of": request.as_of,
        "paper": request.paper.clone().unwrap_or_else(|| "16k".into()),
    });
    let job = uuid::Uuid::new_v4().simple().to_string();
    set_job(&job, json!({"state": "gathering", "label": "正在汇集地名"}));
    let id = job.clone();
    tokio::spawn(async move {
        let selection = Selection {
            unit: request.unit,
            categories: request.categories,
            as_of: request.as_of,
        };
        let config = registry.config();
        let editorial = Editorial::of(&config.gazetteer, chrono::Local::now().date_naive());
        let book = match registry.gazetteer(&selection, &editorial).await {
            Ok(b) if b.entries().count() > 0 => b,
            Ok(_) => {
                set_job(
                    &id,
                    json!({"state": "failed", "label": "所选范围内没有经批准的标准地名"}),
                );
                return;
            }
            Err(e) => {
                set_job(&id, json!({"state": "failed", "label": e.to_string()}));
                return;
            }
        };
        let entries = book.entries().count();
        let nonstandard = book.nonstandard;
        set_job(
            &id,
            json!({"state": "typesetting", "label": format!("正在排版 {entries} 条"), "entries": entries}),
        );
        let changeset = book.changeset.clone();
        let pdf =
            match tokio::task::spawn_blocking(move || crate::publish::gazetteer::pdf(&book, paper))
                .await
            {
                Ok(Ok(pdf)) => pdf,
                Ok(Err(e)) => {
                    set_job(&id, json!({"state": "failed", "label": e.to_string()}));
                    return;
                }
                Err(e) => {
                    set_job(&id, json!({"state": "failed", "label": e.to_string()}));
                    return;
                }
            };
        set_job(&id, json!({"state": "saving", "label": "正在保存"}));
        match registry
            .store()
            .add_edition(
                &id,
                &who,
                changeset.as_deref(),
                entries,
                &options.to_string(),
                &pdf,
            )
            .await
        {
            Ok(e) => set_job(
                &id,
                json!({"state": "done", "label": "完成", "edition": e.id, "href": format!("/gazetteer/editions/{}.pdf", e.id), "entries": entries, "nonstandard": nonstandard, "bytes": pdf.len()}),
            ),
            Err(e) => set_job(&id, json!({"state": "failed", "label": e.to_string()})),
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(Started {
            href: format!("/api/gazetteer/jobs/{job}"),
            job,
        }),
    )
        .into_response())
}

/// `GET /api/gazetteer/jobs/{id}`.
#[utoipa::path(
    get,
    path = "/api/gazetteer/jobs/{id}",
    summary = "地名志编纂任务的进度：gathering、typesetting、saving、done（附版次与下载地址）或 failed（附原因）",
    params(("id" = String, Path, description = "任务 id")),
    responses(
        (status = 200, description = "进度", body = JobState),
        (status = 404, description = "没有该任务", body = ErrorBody),
    )
)]
pub async fn job(Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    JOBS.lock()
        .expect("jobs lock")
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("没有编纂任务“{id}”")))
}

/// `GET /gazetteer/editions/{id}.pdf`: a kept edition (the gazetteer is a public book).
pub async fn edition(
    State(registry): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let id = file.strip_suffix(".pdf").unwrap_or(&file);
    let e = registry
        .store()
        .edition(id)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .ok_or_else(|| ApiError::NotFound(format!("没有地名志版本“{id}”")))?;
    let (_, bytes) = registry
        .store()
        .attachment(&e.sha256)
        .await
        .map_err(|e| ApiError::Registry(e.into()))?
        .ok_or_else(|| ApiError::NotFound("版本文件缺失".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"gazetteer-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
