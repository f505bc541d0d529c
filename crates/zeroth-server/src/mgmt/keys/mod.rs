//! `/api/v2/keys/signing`: list, read, rotate and revoke the tenant's signing keys.

mod watch;

pub use watch::watch_signing_keys;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::Value;
use zeroth_core::signing_keys;

use crate::auth::Caller;
use crate::body::read_limited;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v2/keys/signing", get(list))
        .route("/api/v2/keys/signing/rotate", post(rotate))
        .route("/api/v2/keys/signing/{kid}", get(get_one))
        .route("/api/v2/keys/signing/{kid}/revoke", put(revoke))
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(
        signing_keys::list(state.store(), &caller.granted).await?,
    ))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(kid): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        signing_keys::get(state.store(), &caller.granted, &kid).await?,
    ))
}

/// SDKs send `null` or nothing here; any body is ignored.
async fn rotate(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult<Response> {
    let _ = read_limited(body).await;
    let key = signing_keys::rotate(state.store(), &caller.granted, &state.tenant().domain).await?;
    reload(&state).await;
    Ok((StatusCode::CREATED, Json(key)).into_response())
}

async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(kid): Path<String>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    let _ = read_limited(body).await;
    let key = signing_keys::revoke(state.store(), &caller.granted, &kid).await?;
    reload(&state).await;
    Ok(Json(key))
}

/// Makes this node sign, verify and show clients with the stored keys at once; other
/// nodes follow through [`watch_signing_keys`].
pub async fn reload(state: &AppState) {
    match state.store().list_signing_keys().await {
        Ok(rows) => {
            if let Err(e) = state.auth.keys.reload(state.store()).await {
                tracing::error!(error = %e, "could not reload the signing keys");
            }
            state.set_signing_keys(&rows);
        }
        Err(e) => tracing::error!(error = %e, "could not read the signing keys"),
    }
}
