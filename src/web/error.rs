//! API errors and the HTTP status each becomes. Internals never leak: a store failure is
//! logged and answered with a generic message.

use crate::record::ChangesetError;
use crate::registry::RegistryError;
use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Our fault (a template, say): logged, answered with a generic message.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Registry(e) if e.is_stale() => StatusCode::PRECONDITION_FAILED,
            ApiError::Registry(RegistryError::Changeset(ChangesetError::NotFound(_))) => {
                StatusCode::NOT_FOUND
            }
            ApiError::Registry(RegistryError::NotNamed(_)) => StatusCode::NOT_FOUND,
            ApiError::Registry(
                RegistryError::Changeset(_)
                | RegistryError::Workflow { .. }
                | RegistryError::Reading(_)
                | RegistryError::Campaign { .. }
                | RegistryError::Renumbering(_)
                | RegistryError::Geometry { .. }
                | RegistryError::Store(StoreError::AlreadyExists(_)),
            ) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Registry(RegistryError::Store(_)) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Registry(RegistryError::Config(_)) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %self, "store failure");
            "数据库暂时不可用，请稍后重试".to_string()
        } else if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "internal error");
            "服务器内部错误，已记录".to_string()
        } else {
            self.to_string()
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}
