//! Reading clients: list (offset or checkpoint pages, filters, fields) and get one.

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zeroth_core::clients::schema::APP_TYPES;
use zeroth_core::clients::{fields, service};
use zeroth_core::store::{ClientFilter, PageReq};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::query::Query;
use crate::state::AppState;

/// Auth0 answers unpaginated list calls with at most this many items.
const DEFAULT_PER_PAGE: i64 = 50;

/// `fields` and `include_fields`, shared by list and get.
fn field_selection(q: &mut Query) -> (Option<Vec<String>>, bool) {
    let include = q.bool("include_fields").unwrap_or(true);
    let selection = q.string("fields").map(|raw| {
        // Each bad item is its own problem, reported with the query's other problems.
        let (list, problems) = fields::check_fields(&raw);
        for p in problems {
            q.reject(&p.path, p.message);
        }
        list
    });
    (selection, include)
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let mut q = Query::parse(raw.as_deref());
    let (fields, include_fields) = field_selection(&mut q);
    let page = q.int("page", 0, i64::from(u32::MAX));
    let per_page = q.int("per_page", 0, 100);
    let include_totals = q.bool("include_totals").unwrap_or(false);
    // An empty `from` (some clients send `from=` for the first page) starts at the beginning.
    let from = q.string("from").filter(|f| !f.is_empty());
    let take = q.int("take", 1, 100);
    let is_global = q.bool("is_global");
    let is_first_party = q.bool("is_first_party");
    let app_types = q
        .string("app_type")
        .map(|raw| raw.split(',').map(str::to_string).collect::<Vec<_>>());
    if let Some(bad) = app_types
        .as_ref()
        .and_then(|t| t.iter().find(|t| !APP_TYPES.contains(&t.as_str())))
    {
        q.reject("app_type", format!("No enum match for: \"{bad}\""));
    }
    // Accepted for compatibility; Zeroth has no CIMD clients or organization grants to match.
    let _ = q.string("external_client_id");
    let _ = q.string("q");
    q.finish()?;
    let page_req = if from.is_some() || take.is_some() {
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
        filter: ClientFilter {
            is_global,
            is_first_party,
            app_types,
        },
        page: page_req,
        include_totals,
        fields,
        include_fields,
    };
    let ctx = state.clients_ctx();
    Ok(json_bytes(
        service::list_json(&ctx, &caller.granted, &query).await?,
    ))
}

pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let mut q = Query::parse(raw.as_deref());
    let (fields, include_fields) = field_selection(&mut q);
    q.finish()?;
    let ctx = state.clients_ctx();
    let client = service::get_json(
        &ctx,
        &caller.granted,
        &id,
        fields.as_deref(),
        include_fields,
    )
    .await?;
    Ok(json_bytes(client))
}

/// A body the service already serialised.
fn json_bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
