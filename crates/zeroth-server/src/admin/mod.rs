//! The admin dashboard under `/admin`: server-rendered pages over the same core services as the API.

mod apis;
mod apps;
mod assets;
mod csrf;
mod form;
mod headers;
mod keys;
mod layout;
mod login;
mod problems;
mod session;

use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{middleware, Router};
use zeroth_core::scopes::{Granted, MANAGEMENT_SCOPES};

use crate::ratelimit::Rate;
use crate::state::AppState;

/// Ten sign-in attempts at once per IP, then one every six seconds. Always on, even
/// with the API's rate limits switched off: it guards the password, not throughput.
pub const LOGIN_ATTEMPTS: Rate = Rate {
    per_second: 1.0 / 6.0,
    burst: 10.0,
};

/// Everything under `/admin`, with its own HTML 404 and security headers, so the
/// Management API's JSON fallback never answers a dashboard URL.
pub fn router() -> Router<AppState> {
    let inner = Router::new()
        .route("/", get(home))
        .merge(login::router())
        .merge(assets::router())
        .merge(apps::router())
        .merge(apis::router())
        .merge(keys::router())
        .fallback(layout::not_found);
    // The nested "/" answers `/admin`; the trailing-slash spelling is routed explicitly.
    Router::new()
        .route("/admin/", get(home))
        .nest("/admin", inner)
        .layer(middleware::from_fn(headers::security_headers))
}

async fn home() -> Response {
    Redirect::to("/admin/apps").into_response()
}

/// The dashboard's user may do anything the Management API allows: it runs the core
/// operations with every management scope, so the same rules apply as for the admin client.
pub(crate) fn full_access() -> Granted {
    let all: Vec<&str> = MANAGEMENT_SCOPES.iter().map(|(s, _)| *s).collect();
    Granted::from_claim(&all.join(" "))
}
