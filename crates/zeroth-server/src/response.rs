//! Response shapes shared by every resource.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// 204 with the JSON content type Auth0 sends even on empty bodies.
pub fn no_content() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}
