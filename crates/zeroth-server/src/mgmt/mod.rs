//! The Management API (`/api/v2`): one router per resource.

pub mod client_grants;
pub mod clients;
pub mod credentials;
pub mod keys;
pub mod logs;
pub mod resource_servers;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(clients::router())
        .merge(credentials::router())
        .merge(keys::router())
        .merge(logs::router())
        .merge(resource_servers::router())
        .merge(client_grants::router())
        .merge(crate::openapi::router())
}
