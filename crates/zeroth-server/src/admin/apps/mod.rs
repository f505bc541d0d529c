//! Applications (clients): list, create, edit by section, credentials, API grants, delete.

mod create;
mod credentials;
mod delete;
mod edit;
mod grants;
mod list;
mod patch;
mod sections;

pub use grants::{all_apis, grants_where};

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use zeroth_core::clients::service;

use super::full_access;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/apps", get(list::page).post(create::submit))
        .route("/apps/new", get(create::page))
        .route("/apps/{id}", get(edit::page))
        .route("/apps/{id}/save/{section}", post(edit::save))
        .route("/apps/{id}/secret/reveal", post(credentials::reveal))
        .route("/apps/{id}/secret/rotate", post(credentials::rotate))
        .route("/apps/{id}/grants", post(grants::authorize))
        .route("/apps/{id}/grants/{grant}", post(grants::update))
        .route("/apps/{id}/grants/{grant}/revoke", post(grants::revoke))
        .route("/apps/{id}/delete", get(delete::page).post(delete::submit))
}

/// The client as the Management API shows it to the admin (secret included).
pub async fn load(state: &AppState, id: &str) -> Result<Value, zeroth_core::Error> {
    let ctx = state.clients_ctx();
    service::get(&ctx, &full_access(), id, None, true)
        .await
        .map(Value::Object)
}

/// Where an application's page (one tab) lives.
pub fn app_url(id: &str, tab: &str) -> String {
    format!("/admin/apps/{}?tab={tab}", urlencode(id))
}

/// Percent-encodes everything but unreserved characters (ids are alphanumeric anyway;
/// this keeps a hostile id from shaping a URL).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
