//! Changing clients: create, PATCH, delete and rotate-secret.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use zeroth_core::clients::service;

use crate::auth::Caller;
use crate::body::{read_limited, JsonBody};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let ctx = state.clients_ctx();
    let client = service::create(&ctx, &caller.granted, body).await?;
    Ok((StatusCode::CREATED, Json(Value::Object(client))).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let ctx = state.clients_ctx();
    Ok(Json(Value::Object(
        service::update(&ctx, &caller.granted, &id, body).await?,
    )))
}

pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let ctx = state.clients_ctx();
    service::delete(&ctx, &caller.granted, &id).await?;
    Ok(crate::response::no_content())
}

/// Any body is ignored: SDKs send `null` or `{"id": …}` here.
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    let _ = read_limited(body).await;
    let ctx = state.clients_ctx();
    Ok(Json(Value::Object(
        service::rotate_secret(&ctx, &caller.granted, &id).await?,
    )))
}
