//! Signing keys: list with their state and fingerprint, rotate, and revoke after confirmation.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use serde::Deserialize;
use serde_json::Value;
use zeroth_core::signing_keys;

use super::csrf::Posted;
use super::full_access;
use super::layout::{self, csrf, flash, frame, respond, text_at};
use super::session::AdminSession;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/keys", get(list))
        .route("/keys/rotate", post(rotate))
        .route("/keys/{kid}/revoke", get(confirm_revoke).post(revoke))
}

#[derive(Deserialize)]
pub struct Params {
    rotated: Option<String>,
    revoked: Option<String>,
}

fn state_of(k: &Value) -> &'static str {
    let is = |f: &str| k[f] == Value::Bool(true);
    if is("revoked") {
        "revoked"
    } else if is("current") {
        "current"
    } else if is("next") {
        "next"
    } else {
        "previous"
    }
}

async fn list(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Query(p): Query<Params>,
) -> Response {
    let keys = match signing_keys::list(state.store(), &full_access()).await {
        Ok(Value::Array(k)) => k,
        Ok(_) => Vec::new(),
        Err(e) => return layout::core_error(&e),
    };
    let body = html! {
        h1 { "Signing Keys" }
        (flash(p.rotated.is_some(), "Key rotated: the next key now signs tokens."))
        (flash(p.revoked.is_some(), "Key revoked: it is no longer published."))
        p { "Tokens are signed with the current key. The next key is already published so that relying parties know it before it signs; previous keys stay published until revoked." }
        form.card method="post" action="/admin/keys/rotate" {
            (csrf(&s))
            p { "Rotating makes the next key current and the current key previous; tokens signed with it stay valid until you revoke it." }
            button.primary type="submit" #rotate-key { "Rotate Signing Key" }
        }
        table #keys {
            thead { tr { th { "Key ID" } th { "State" } th { "Fingerprint" } th { "Current since" } th {} } }
            tbody {
                @for k in &keys {
                    @let st = state_of(k);
                    tr data-kid=(text_at(k, "kid")) data-state=(st) {
                        td.mono { (text_at(k, "kid")) }
                        td { span.badge class=[(st == "revoked").then_some("revoked")] { (st) } }
                        td.mono { (text_at(k, "fingerprint")) }
                        td { (text_at(k, "current_since")) }
                        td {
                            @if st == "previous" {
                                a href=(format!("/admin/keys/{}/revoke", crate::admin::apps::urlencode(&text_at(k, "kid")))) { "Revoke" }
                            }
                        }
                    }
                }
            }
        }
    };
    respond(
        StatusCode::OK,
        frame("Signing Keys", Some(&s), "keys", body),
    )
}

/// Keys changed: this node signs and shows clients the new set now, others follow the watch.
async fn reload(state: &AppState) {
    crate::mgmt::keys::reload(state).await;
}

async fn rotate(State(state): State<AppState>, posted: Posted) -> Response {
    let _ = posted.session;
    match signing_keys::rotate(state.store(), &full_access(), &state.tenant().domain).await {
        Ok(_) => {
            reload(&state).await;
            Redirect::to("/admin/keys?rotated=1").into_response()
        }
        Err(e) => layout::core_error(&e),
    }
}

async fn confirm_revoke(AdminSession(s): AdminSession, Path(kid): Path<String>) -> Response {
    let body = html! {
        p { a href="/admin/keys" { "← Signing Keys" } }
        h1 { "Revoke signing key" }
        form.card method="post" action=(format!("/admin/keys/{}/revoke", crate::admin::apps::urlencode(&kid))) {
            (csrf(&s))
            p { "Key " code { (kid) } " will no longer be published in the JWKS: tokens it signed stop verifying at once. This cannot be undone." }
            button.danger type="submit" #confirm-revoke { "Revoke" }
        }
    };
    respond(
        StatusCode::OK,
        frame("Revoke signing key", Some(&s), "keys", body),
    )
}

async fn revoke(
    State(state): State<AppState>,
    Path(kid): Path<String>,
    posted: Posted,
) -> Response {
    let _ = posted.session;
    match signing_keys::revoke(state.store(), &full_access(), &kid).await {
        Ok(_) => {
            reload(&state).await;
            Redirect::to("/admin/keys?revoked=1").into_response()
        }
        Err(e) => layout::core_error(&e),
    }
}
