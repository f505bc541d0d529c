//! `/api/v2/logs`: the tenant's log events, newest first, searchable by type and client.

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use zeroth_core::logs::parse_q;
use zeroth_core::store::{LogFilter, LogPage};
use zeroth_core::Error;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::query::Query;
use crate::state::AppState;

const READ: &[&str] = &["read:logs", "read:logs_users"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v2/logs", get(list))
        .route("/api/v2/logs/{id}", get(get_one))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    caller.granted.require_any(READ)?;
    let mut q = Query::parse(raw.as_deref());
    let page = q.int("page", 0, i64::from(u32::MAX));
    let per_page = q.int("per_page", 0, 100);
    let include_totals = q.bool("include_totals").unwrap_or(false);
    let from = q.string("from");
    let take = q.int("take", 1, 100);
    let sort = q.string("sort");
    let search = q.string("q");
    // Accepted as Auth0 does; every field of an event is returned.
    let _ = (
        q.string("fields"),
        q.bool("include_fields"),
        q.string("search_engine"),
    );
    let newest_first = match sort.as_deref() {
        None | Some("date:-1") => true,
        Some("date:1") => false,
        Some(other) => {
            q.reject(
                "sort",
                format!("String does not match pattern ^date:(1|-1)$: {other}"),
            );
            true
        }
    };
    q.finish()?;
    let filter = match search.as_deref() {
        Some(text) if !text.trim().is_empty() => parse_q(text)?,
        _ => LogFilter::default(),
    };
    let checkpoint = from.is_some() || take.is_some();
    let page_req = if checkpoint {
        LogPage::After {
            from,
            take: take.unwrap_or(50) as u64,
        }
    } else {
        LogPage::Offset {
            page: page.unwrap_or(0) as u64,
            per_page: per_page.unwrap_or(50) as u64,
            newest_first,
        }
    };
    let out = state
        .store()
        .list_logs(&filter, &page_req, include_totals && !checkpoint)
        .await?;
    let logs: Vec<Value> = out
        .items
        .into_iter()
        .map(|r| Value::Object(r.doc))
        .collect();
    Ok(Json(match page_req {
        LogPage::Offset { page, per_page, .. } if include_totals => json!({
            "start": page * per_page,
            "limit": per_page,
            "length": logs.len(),
            "total": out.total.unwrap_or(0),
            "logs": logs,
        }),
        _ => Value::Array(logs),
    }))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.granted.require_any(READ)?;
    let row = state
        .store()
        .get_log(&id)
        .await?
        .ok_or_else(|| Error::NotFound {
            code: "inexistent_log",
            message: "The log does not exist".into(),
        })?;
    Ok(Json(Value::Object(row.doc)))
}
