//! Extractors whose refusals are JSON errors like every other (axum's own answer in plain
//! text, which an API client cannot parse and the OpenAPI document does not describe).

use super::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Query parameters; a bad one is a 400 naming it. A parameter given empty (`from=`, as a form
/// sends a field left blank) is taken as not given.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let given: Vec<&str> = query
            .split('&')
            .filter(|pair| pair.split_once('=').is_some_and(|(_, v)| !v.is_empty()))
            .collect();
        let given = given.join("&");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(&given));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| ApiError::Invalid {
                field: e.path().to_string(),
                message: format!("查询参数无效（{}）：{}", e.path(), e.inner()),
            })
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// Path parameters; a bad one is a 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| ApiError::BadRequest(format!("路径参数无效：{}", e.body_text())))
    }
}

/// The body's length as the request declares it (`Content-Length`), to refuse a body over a
/// limit before reading any of it.
pub fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads a body of at most `max` bytes, for a handler that first checked who is asking: a
/// larger one (declared, or found while reading) is a JSON 413 that says the limit.
pub async fn read_body(
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
    max: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::TooLarge(format!(
            "请求内容超过该接口的上限 {} KiB（{:.1} MiB）",
            max / 1024,
            max as f64 / (1024.0 * 1024.0)
        ))
    };
    if declared_length(headers).is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, max).await.map_err(|e| {
        let e = e.into_inner();
        if e.downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            too_large()
        } else {
            ApiError::BadRequest(format!("请求内容无法读取：{e}"))
        }
    })
}

/// A request body of at most `MAX` bytes: a larger one is a JSON 413 that says the limit, not
/// axum's plain-text one, which the upload page could not read and left waiting.
pub struct ApiBytes<const MAX: usize>(pub Bytes);

impl<const MAX: usize, S: Send + Sync> FromRequest<S> for ApiBytes<MAX> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        read_body(&parts.headers, body, MAX).await.map(ApiBytes)
    }
}

/// Refuses a query longer than the configured limit (`server.limits.query_chars`): a name
/// is a few characters, and the search's cost grows with the query's length.
pub(super) fn query_length(
    registry: &super::AppState,
    field: &str,
    text: &str,
) -> Result<(), ApiError> {
    let limit = registry.config().server.limits.query_chars;
    let n = text.chars().count();
    if n > limit {
        return Err(ApiError::Invalid {
            field: field.into(),
            message: format!("{field} 过长：{n} 个字符，上限 {limit} 个"),
        });
    }
    Ok(())
}

/// Properties a GET adds to a record's own attributes (its layer tag, its bookkeeping, and for
/// names their romanization and position): never written by a client.
pub const READ_ONLY: &[&str] = &[
    "layer",
    "version",
    "valid_from",
    "valid_to",
    "recorded_at",
    "retired",
    "changeset",
    "romanization",
    "position",
];
