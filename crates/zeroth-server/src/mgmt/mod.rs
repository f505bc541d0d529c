//! The Management API (`/api/v2`): one router per resource.

pub mod clients;
pub mod logs;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(clients::router()).merge(logs::router())
}
