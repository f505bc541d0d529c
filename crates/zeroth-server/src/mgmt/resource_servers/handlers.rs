//! The handlers: query parsing and status codes around the core operations.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use zeroth_core::resource_servers::service;
use zeroth_core::store::PageReq;

use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiResult;
use crate::query::Query;
use crate::state::AppState;

/// Auth0 answers unpaginated list calls with at most this many items.
const DEFAULT_PER_PAGE: i64 = 50;

/// Splits the repeatable `identifiers` parameter (`?identifiers=a&identifiers=b`) from
/// the rest, which `Query` reads one value per name.
fn split_identifiers(raw: Option<&str>) -> (Option<Vec<String>>, String) {
    let pairs: Vec<(String, String)> = raw
        .map(|r| serde_urlencoded::from_str(r).unwrap_or_default())
        .unwrap_or_default();
    let (ids, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == "identifiers");
    let ids: Vec<String> = ids.into_iter().map(|(_, v)| v).collect();
    let rest = serde_urlencoded::to_string(rest).unwrap_or_default();
    ((!ids.is_empty()).then_some(ids), rest)
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let (identifiers, rest) = split_identifiers(raw.as_deref());
    let mut q = Query::parse(Some(&rest));
    if identifiers
        .as_ref()
        .is_some_and(|l| l.iter().any(String::is_empty))
    {
        q.reject("identifiers", "String is too short (0 chars), minimum 1");
    }
    let page = q.int("page", 0, i64::from(u32::MAX));
    let per_page = q.int("per_page", 1, 100);
    let include_totals = q.bool("include_totals").unwrap_or(false);
    let _ = q.bool("include_fields");
    q.finish()?;
    let query = service::ListQuery {
        page: PageReq::Offset {
            page: page.unwrap_or(0) as u64,
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE) as u64,
        },
        include_totals,
        identifiers,
    };
    Ok(Json(
        service::list(state.store(), &caller.granted, &query).await?,
    ))
}

pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut q = Query::parse(raw.as_deref());
    let _ = q.bool("include_fields");
    q.finish()?;
    Ok(Json(
        service::get(state.store(), &caller.granted, &id).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let api = service::create(state.store(), &caller.granted, body).await?;
    Ok((StatusCode::CREATED, Json(api)).into_response())
}

/// 200 like Auth0 in practice (its OpenAPI document says 201).
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        service::update(state.store(), &caller.granted, &id, body).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    service::delete(state.store(), &caller.granted, &id).await?;
    Ok(crate::response::no_content())
}
