//! RFC 6749 error responses `{error, error_description}` as Auth0 words them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn missing(param: &str) -> Self {
        Self::invalid_request(format!("Missing required parameter: {param}"))
    }

    pub fn unsupported_grant_type(grant: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("Unsupported grant type: {grant}"),
        )
    }

    /// Unknown client or wrong secret. Auth0 answers these with `access_denied`
    /// (not RFC 6749's `invalid_client`) and says no more; SDK users match on it.
    pub fn bad_credentials() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized")
    }

    /// Client authentication that cannot even be read (a garbled Basic header).
    pub fn invalid_client() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", "Unauthorized")
    }

    pub fn unauthorized_client(grant: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "unauthorized_client",
            format!("Grant type '{grant}' not allowed for the client."),
        )
    }

    pub fn access_denied(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "access_denied", description)
    }

    pub fn not_authorized_for(audience: &str) -> Self {
        Self::access_denied(format!(
            "Client is not authorized to access \"{audience}\". You need to create a \
             \"client-grant\" associated to this API. See: \
             https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
        ))
    }

    /// Details go to the log only.
    pub fn server_error(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "token endpoint failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "An internal server error occurred",
        )
    }
}

impl From<zeroth_core::store::StoreError> for OAuthError {
    fn from(e: zeroth_core::store::StoreError) -> Self {
        OAuthError::server_error(e)
    }
}

/// `Cache-Control: no-store` and `Pragma: no-cache`, required on token responses.
pub fn no_store(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        let mut res = (self.status, axum::Json(body)).into_response();
        no_store(&mut res);
        res
    }
}
