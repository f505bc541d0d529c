//! Liveness and readiness probes for orchestrators and load balancers.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
}

/// The process answers: nothing else is checked.
async fn live() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when the database answers and a signing key is loaded.
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let started = std::time::Instant::now();
    let database = state.store().ping().await.is_ok();
    state.observer.metrics.observe_db(started.elapsed());
    let keys = !state.auth.keys.ring().current_kid().is_empty();
    let status = if database && keys {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |ok: bool| if ok { "ok" } else { "failing" };
    (
        status,
        Json(json!({
            "status": word(database && keys),
            "checks": {"database": word(database), "signing_keys": word(keys)},
        })),
    )
}
