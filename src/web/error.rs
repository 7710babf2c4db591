//! API errors and the HTTP status each becomes. Internals never leak: a store failure is
//! logged and answered with a generic message.

use crate::model::ChangesetError;
use crate::names::naming::WorkflowError;
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
    /// A request body that does not fit its schema: the field at fault and what is wrong.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Not logged in (or an unknown token).
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// An update without `If-Match`.
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests from one address (429).
    #[error("{0}")]
    TooMany(String),
    /// Our fault (a template, say): logged, answered with a generic message.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// A map that cannot be drawn answers as the registry's invalid requests do.
impl From<crate::publish::atlas::MapError> for ApiError {
    fn from(e: crate::publish::atlas::MapError) -> ApiError {
        ApiError::Registry(e.into())
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) | ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Registry(e) if e.is_stale() => StatusCode::PRECONDITION_FAILED,
            ApiError::Registry(RegistryError::Changeset(ChangesetError::NotFound(_))) => {
                StatusCode::NOT_FOUND
            }
            ApiError::Registry(RegistryError::NotNamed(_)) => StatusCode::NOT_FOUND,
            ApiError::Registry(RegistryError::Revert(_) | RegistryError::Frozen(_)) => {
                StatusCode::CONFLICT
            }
            ApiError::Registry(
                RegistryError::Changeset(_)
                | RegistryError::Workflow { .. }
                | RegistryError::Reading(_)
                | RegistryError::Campaign { .. }
                | RegistryError::Renumbering(_)
                | RegistryError::DuplicateNumber { .. }
                | RegistryError::Invalid(_)
                | RegistryError::Cemetery(_)
                | RegistryError::Boundary(_)
                | RegistryError::Geometry { .. }
                | RegistryError::Store(StoreError::AlreadyExists(_)),
            ) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Registry(RegistryError::TooLarge(_)) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Registry(RegistryError::Store(_)) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Registry(RegistryError::Config(_)) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl ApiError {
    /// A stable code for scripts, beside the Chinese message.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Invalid { .. } => "invalid_body",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::PreconditionRequired(_) => "if_match_required",
            ApiError::TooLarge(_) => "too_large",
            ApiError::TooMany(_) => "too_many_requests",
            ApiError::Internal(_) => "internal",
            ApiError::Registry(e) if e.is_stale() => "stale_version",
            ApiError::Registry(RegistryError::Geometry { .. }) => "invalid_geometry",
            ApiError::Registry(RegistryError::Store(StoreError::AlreadyExists(_))) => {
                "already_exists"
            }
            ApiError::Registry(RegistryError::Changeset(ChangesetError::NotFound(_))) => {
                "not_found"
            }
            ApiError::Registry(RegistryError::Changeset(_)) => "changeset_refused",
            ApiError::Registry(RegistryError::Store(_)) => "store_unavailable",
            ApiError::Registry(RegistryError::Revert(_)) => "revert_refused",
            ApiError::Registry(RegistryError::Frozen(_)) => "disputed_area_frozen",
            ApiError::Registry(RegistryError::DuplicateNumber { .. }) => "duplicate_number",
            ApiError::Registry(RegistryError::TooLarge(_)) => "too_large",
            ApiError::Registry(RegistryError::Workflow { .. }) => "naming_workflow",
            ApiError::Registry(RegistryError::Cemetery(r)) => r.code(),
            ApiError::Registry(RegistryError::Boundary(r)) => r.code(),
            ApiError::Registry(_) => "refused",
        }
    }

    /// The request field at fault, where one is.
    fn field(&self) -> Option<String> {
        match self {
            ApiError::Invalid { field, .. } => Some(field.clone()),
            ApiError::Registry(RegistryError::Geometry { .. }) => Some("feature.geometry".into()),
            ApiError::Registry(RegistryError::Workflow { error, .. }) => Some(
                match error {
                    WorkflowError::NoDocument(_) | WorkflowError::OtherDocument(_) => "document",
                    _ => "feature.properties.naming.status",
                }
                .into(),
            ),
            ApiError::PreconditionRequired(_) => Some("If-Match".into()),
            ApiError::Registry(RegistryError::DuplicateNumber { .. }) => {
                Some("feature.properties.number".into())
            }
            ApiError::Registry(e) if e.is_stale() => Some("If-Match".into()),
            _ => None,
        }
    }
}

/// An error as every operation answers it: what [`ApiError`] serializes to, and the `Error`
/// schema of the API document.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// 供脚本判断的代码，如 stale_version
    code: &'static str,
    /// 中文说明
    error: String,
    /// 出错的字段
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// 出错的位置
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    location: Option<serde_json::Value>,
    /// 与之冲突的记录（如已有此门牌号的门牌）
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Uuid)]
    conflict: Option<crate::record::RecordId>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if matches!(
            &self,
            ApiError::Registry(RegistryError::Store(StoreError::DiskFull { .. }))
        ) {
            tracing::error!(error = %self, "disk full");
            "服务器磁盘已满：本次变更未写入，登记簿保持原样；请联系管理员释放空间后重试".to_string()
        } else if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %self, "store failure");
            "数据库暂时不可用，请稍后重试".to_string()
        } else if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "internal error");
            "服务器内部错误，已记录".to_string()
        } else {
            self.to_string()
        };
        let location = match &self {
            ApiError::Registry(RegistryError::Geometry { invalid, .. }) => invalid
                .at
                .map(|at| json!({ "type": "Point", "coordinates": [at.x, at.y] })),
            _ => None,
        };
        let conflict = match &self {
            ApiError::Registry(RegistryError::DuplicateNumber { other, .. }) => Some(*other),
            _ => None,
        };
        let body = ErrorBody {
            code: self.code(),
            error: message,
            field: self.field(),
            location,
            conflict,
        };
        (status, Json(body)).into_response()
    }
}
