//! APIs (resource servers): list and create, settings, permissions (scopes), grants, delete.

mod edit;
mod list;

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use zeroth_core::resource_servers::service;

use super::full_access;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/apis", get(list::page).post(list::create))
        .route("/apis/{id}", get(edit::page))
        .route("/apis/{id}/settings", post(edit::save_settings))
        .route("/apis/{id}/scopes", post(edit::add_scope))
        .route("/apis/{id}/scopes/remove", post(edit::remove_scope))
        .route("/apis/{id}/delete", post(edit::delete))
}

async fn load(state: &AppState, id: &str) -> Result<Value, zeroth_core::Error> {
    service::get(state.store(), &full_access(), id).await
}

fn api_url(id: &str) -> String {
    format!("/admin/apis/{}", super::apps::urlencode(id))
}
