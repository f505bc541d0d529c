//! The handlers: query parsing and status codes around the core operations.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use zeroth_core::client_grants::{schema, service};
use zeroth_core::store::{ClientGrantFilter, PageReq};

use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiResult;
use crate::query::Query;
use crate::state::AppState;

/// Auth0 answers unpaginated list calls with at most this many items.
const DEFAULT_PER_PAGE: i64 = 50;

/// A string parameter restricted to `allowed`, worded as tv4 words it.
fn one_of(q: &mut Query, name: &str, allowed: &[&str]) -> Option<String> {
    let v = q.string(name)?;
    if allowed.contains(&v.as_str()) {
        Some(v)
    } else {
        q.reject(name, format!("No enum match for: \"{v}\""));
        None
    }
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut q = Query::parse(raw.as_deref());
    let page = q.int("page", 0, i64::from(u32::MAX));
    let per_page = q.int("per_page", 1, 100);
    let include_totals = q.bool("include_totals").unwrap_or(false);
    // An empty `from` (some clients send `from=` for the first page) starts at the beginning.
    let from = q.string("from").filter(|f| !f.is_empty());
    let take = q.int("take", 1, 100);
    let audience = q.string("audience");
    let client_id = q.string("client_id");
    // Auth0's enum for this filter is `[true]`: only "true" is a filter.
    let allow_any_organization = match q.bool("allow_any_organization") {
        Some(false) => {
            q.reject("allow_any_organization", "No enum match for: false");
            None
        }
        other => other,
    };
    let subject_type = one_of(&mut q, "subject_type", schema::SUBJECT_TYPES);
    let default_for = one_of(&mut q, "default_for", schema::DEFAULT_FOR);
    q.finish()?;
    let page = if from.is_some() || take.is_some() {
        PageReq::Checkpoint {
            from,
            take: take.unwrap_or(DEFAULT_PER_PAGE) as u64,
        }
    } else {
        PageReq::Offset {
            page: page.unwrap_or(0) as u64,
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE) as u64,
        }
    };
    let query = service::ListQuery {
        filter: ClientGrantFilter {
            client_id,
            // Filtered in the query, so pages and totals count only default grants.
            without_client: default_for.is_some(),
            audience,
            allow_any_organization,
            subject_type,
        },
        page,
        include_totals,
    };
    Ok(Json(
        service::list(state.store(), &caller.granted, &query).await?,
    ))
}

pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        service::get(state.store(), &caller.granted, &id).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let grant = service::create(state.store(), &caller.granted, body).await?;
    Ok((StatusCode::CREATED, Json(grant)).into_response())
}

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
