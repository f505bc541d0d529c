//! The dashboard's stylesheet, embedded in the binary (no CDN, no build step).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

const CSS: &str = include_str!("assets/admin.css");

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/admin.css", get(css))
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}
