//! The router: every resource, Auth0's 404 for the rest, request ids and panic safety.

use std::any::Any;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tracing::Instrument;

use crate::error::{envelope, not_found};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(crate::mgmt::router())
        .merge(crate::oauth::router())
        .merge(crate::well_known::router())
        .merge(crate::health::router())
        .merge(crate::admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.observer.clone(),
            crate::observe::middleware,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(
            state.limiter.clone(),
            crate::ratelimit::middleware,
        ))
        .layer(middleware::from_fn(json_charset))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// Tags each request with an id (Auth0's `x-auth0-requestid`) that logs carry too.
///
/// The span holds only the id: the fmt subscriber formats a span's fields into text when
/// the span is made, on every request, while lines inside it are rare. The access line
/// names the method and path itself.
async fn request_id(req: Request, next: Next) -> Response {
    let bytes = zeroth_core::ids::request_id();
    let id = std::str::from_utf8(&bytes).unwrap_or_default();
    let span = tracing::info_span!("request", id);
    let mut res = next.run(req).instrument(span).await;
    if let Ok(v) = HeaderValue::from_bytes(&bytes) {
        res.headers_mut().insert("x-auth0-requestid", v);
    }
    res
}

/// Auth0 labels every JSON answer (OAuth and discovery included) with its charset; axum's
/// `Json` says only `application/json`.
async fn json_charset(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if headers.get(header::CONTENT_TYPE) == Some(&HeaderValue::from_static("application/json")) {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    res
}

/// A bug must not take the connection down or leak a backtrace: answer Auth0's 500.
fn panic_response(_err: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    envelope(
        StatusCode::INTERNAL_SERVER_ERROR,
        "An internal server error occurred",
        None,
    )
}
