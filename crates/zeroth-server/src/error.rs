//! Auth0's Management API error envelope `{statusCode, error, message, errorCode}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use zeroth_core::Error;

/// A domain error on its way out as Auth0's envelope. Handlers return it with `?`.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<zeroth_core::store::StoreError> for ApiError {
    fn from(e: zeroth_core::store::StoreError) -> Self {
        ApiError(e.into())
    }
}

/// The envelope for any status, with or without an `errorCode`.
pub fn envelope(status: StatusCode, message: &str, code: Option<&str>) -> Response {
    let mut body = json!({
        "statusCode": status.as_u16(),
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
    });
    if let (Some(code), Some(obj)) = (code, body.as_object_mut()) {
        obj.insert("errorCode".into(), json!(code));
    }
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Error::Internal(detail) = &self.0 {
            // The detail may name tables or files; callers get the generic text only.
            tracing::error!(error = %detail, "internal error");
            return envelope(status, "An internal server error occurred", None);
        }
        let mut res = envelope(status, &self.0.to_string(), self.0.code());
        if let Error::Unauthorized(msg) = &self.0 {
            let value = format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                msg.replace('"', "'")
            );
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(http::header::WWW_AUTHENTICATE, v);
            }
        }
        res
    }
}

/// Unknown routes and methods answer as Auth0's framework does: a bare 404 envelope.
pub async fn not_found() -> Response {
    envelope(StatusCode::NOT_FOUND, "Not Found", None)
}

pub type ApiResult<T> = Result<T, ApiError>;
