//! `/api/v2/clients/{client_id}/credentials`: the public keys a client signs assertions with.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use zeroth_core::credentials;

use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/clients/{client_id}/credentials",
            get(list).post(create),
        )
        .route(
            "/api/v2/clients/{client_id}/credentials/{credential_id}",
            get(get_one).patch(update).delete(delete),
        )
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(client_id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        credentials::list(state.store(), &caller.granted, &client_id).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(client_id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let cred = credentials::create(state.store(), &caller.granted, &client_id, body).await?;
    Ok((StatusCode::CREATED, Json(Value::Object(cred))).into_response())
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((client_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let cred = credentials::get(state.store(), &caller.granted, &client_id, &id).await?;
    Ok(Json(Value::Object(cred)))
}

/// 200, as Auth0 answers (its OpenAPI document says 201).
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((client_id, id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let cred = credentials::update(state.store(), &caller.granted, &client_id, &id, body).await?;
    Ok(Json(Value::Object(cred)))
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path((client_id, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    credentials::delete(state.store(), &caller.granted, &client_id, &id).await?;
    Ok(crate::response::no_content())
}
