//! Part 4 (Create, Replace, Update, Delete) for officers: each write is a changeset with the
//! caller as author, names the version it changes (`If-Match`: missing → 428, stale → 412)
//! and goes through the same checks as the JSON API. The bookkeeping a GET returned
//! (`version`, `valid_from`, …) may come back in the properties and is ignored: the version
//! comes from `If-Match` only. The reason may be given, percent-encoded, in `Diming-Reason`.

use super::super::auth::Caller;
use super::super::edit::{
    ChangeInput, FeatureInput, checked_write, commit_one, if_match_header, stored_layer,
};
use super::super::extract::{ApiBytes, ApiPath};
use super::super::{ApiError, AppState};
use super::layer_of;
use crate::record::RecordId;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

fn reason(headers: &HeaderMap, default: &str) -> String {
    headers
        .get("diming-reason")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn percent_decode(s: &str) -> String {
    form_urlencoded::parse(format!("r={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.split(';').next().unwrap_or("").trim();
            matches!(
                v,
                "application/json" | "application/geo+json" | "application/merge-patch+json"
            )
        });
    if !ok {
        return Err(ApiError::Invalid {
            field: "Content-Type".into(),
            message: "请求内容应为 GeoJSON（Content-Type: application/geo+json）".into(),
        });
    }
    serde_json::from_slice(body).map_err(|e| ApiError::Invalid {
        field: "body".into(),
        message: format!("请求内容不是有效的 JSON：{e}"),
    })
}

/// A client's feature as the JSON API's input, bookkeeping removed.
fn feature_input(mut v: Value) -> Result<FeatureInput, ApiError> {
    if let Some(obj) = v.as_object_mut() {
        obj.remove("links");
        obj.remove("bbox");
        if let Some(Value::Object(p)) = obj.get_mut("properties") {
            for k in super::super::extract::READ_ONLY {
                p.remove(*k);
            }
        }
    }
    serde_path_to_error::deserialize(v).map_err(|e| ApiError::Invalid {
        field: e.path().to_string(),
        message: format!("要素无效（{}）：{}", e.path(), e.inner()),
    })
}

fn located(mut r: Response, collection: &str, id: RecordId) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("/ogc/collections/{collection}/items/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The record `fid` of `collection` (refused as not found when it is in another one).
fn record_in(
    registry: &AppState,
    caller: &Caller,
    collection: &str,
    fid: &str,
) -> Result<RecordId, ApiError> {
    let layer = layer_of(caller, collection)?;
    let missing = || ApiError::NotFound(format!("集合“{collection}”中没有要素 {fid}"));
    let id: RecordId = fid.parse().map_err(|_| missing())?;
    match stored_layer(registry, caller, id)? {
        (stored, _) if stored == layer => Ok(id),
        _ => Err(missing()),
    }
}

/// Checks a write as the JSON API does and commits it with the header's reason.
async fn commit(
    registry: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    change: ChangeInput,
    target: &str,
    default_reason: &str,
) -> Result<Response, ApiError> {
    let (author, write) = checked_write(registry, caller, change, "", target).await?;
    commit_one(
        registry,
        author,
        reason(headers, default_reason),
        None,
        write,
    )
    .await
}

pub async fn create(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(collection): ApiPath<String>,
    ApiBytes(body): ApiBytes<{ crate::web::MAX_BODY }>,
) -> Result<Response, ApiError> {
    layer_of(&caller, &collection)?;
    let feature = feature_input(json_body(&headers, &body)?)?;
    let id = feature.id().unwrap_or_default();
    let feature = feature.with_id(id);
    let change = ChangeInput::Create {
        layer: collection.clone(),
        valid_from: None,
        feature,
    };
    let target = format!("/ogc/collections/{collection}/items");
    let r = commit(
        &registry,
        &caller,
        &headers,
        change,
        &target,
        "经 OGC API 新建",
    )
    .await?;
    let mut r = located(r, &collection, id);
    *r.status_mut() = StatusCode::CREATED;
    Ok(r)
}

async fn update(
    registry: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    collection: &str,
    fid: &str,
    input: impl FnOnce(&Value) -> Result<Value, ApiError>,
) -> Result<Response, ApiError> {
    let id = record_in(registry, caller, collection, fid)?;
    let current = {
        let state = registry.current();
        state
            .get(&id)
            .map(super::super::api::feature)
            .unwrap_or_default()
    };
    let change = ChangeInput::Update {
        id,
        if_match: if_match_header(headers)?,
        valid_from: None,
        feature: feature_input(input(&current)?)?,
    };
    let target = format!("/ogc/collections/{collection}/items/{fid}");
    let r = commit(
        registry,
        caller,
        headers,
        change,
        &target,
        "经 OGC API 修改",
    )
    .await?;
    Ok(located(r, collection, id))
}

pub async fn replace(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((collection, fid)): ApiPath<(String, String)>,
    ApiBytes(body): ApiBytes<{ crate::web::MAX_BODY }>,
) -> Result<Response, ApiError> {
    let value = json_body(&headers, &body);
    update(&registry, &caller, &headers, &collection, &fid, |_| value).await
}

/// RFC 7396 merge patch: `null` removes a property, objects merge, the rest replaces.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

pub async fn patch(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((collection, fid)): ApiPath<(String, String)>,
    ApiBytes(body): ApiBytes<{ crate::web::MAX_BODY }>,
) -> Result<Response, ApiError> {
    let patch = json_body(&headers, &body);
    update(&registry, &caller, &headers, &collection, &fid, |current| {
        let patch = patch?;
        let mut merged = current.clone();
        merge(&mut merged, &patch);
        Ok(merged)
    })
    .await
}

pub async fn delete(
    State(registry): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((collection, fid)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let id = record_in(&registry, &caller, &collection, &fid)?;
    let change = ChangeInput::Retire {
        id,
        if_match: if_match_header(&headers)?,
        valid_from: None,
    };
    let target = format!("/ogc/collections/{collection}/items/{fid}");
    commit(
        &registry,
        &caller,
        &headers,
        change,
        &target,
        "经 OGC API 注销",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
