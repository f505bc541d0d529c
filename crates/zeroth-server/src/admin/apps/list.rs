//! The applications list, with search by name.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde_json::Value;
use zeroth_core::clients::service::{self, ListQuery};
use zeroth_core::store::{ClientFilter, PageReq};

use super::{app_url, full_access};
use crate::admin::layout::{self, flash, frame, respond, text_at};
use crate::admin::session::AdminSession;
use crate::state::AppState;

/// Most applications one page shows; a search scans every page for matches.
const SHOWN: usize = 100;

#[derive(Deserialize)]
pub struct ListParams {
    q: Option<String>,
    deleted: Option<String>,
}

async fn find(state: &AppState, search: &str) -> Result<Vec<Value>, zeroth_core::Error> {
    let ctx = state.clients_ctx();
    let needle = search.trim().to_lowercase();
    let mut found = Vec::new();
    let mut from = None;
    loop {
        let q = ListQuery {
            filter: ClientFilter::default(),
            page: PageReq::Checkpoint {
                from: from.take(),
                take: 100,
            },
            include_totals: false,
            fields: None,
            include_fields: true,
        };
        let page = service::list(&ctx, &full_access(), &q).await?;
        for c in page["clients"].as_array().into_iter().flatten() {
            // The tenant's global client is internal; Auth0's dashboard hides it too.
            let global = c["global"] == Value::Bool(true);
            let matches = text_at(c, "name").to_lowercase().contains(&needle);
            if !global && matches && found.len() < SHOWN {
                found.push(c.clone());
            }
        }
        match page["next"].as_str() {
            Some(next) if found.len() < SHOWN => from = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(found)
}

pub async fn page(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Query(p): Query<ListParams>,
) -> Response {
    let search = p.q.unwrap_or_default();
    let apps = match find(&state, &search).await {
        Ok(a) => a,
        Err(e) => return layout::core_error(&e),
    };
    let body = html! {
        div.row {
            h1 { "Applications" }
            a.btn.primary href="/admin/apps/new" { "Create Application" }
        }
        (flash(p.deleted.is_some(), "Application deleted."))
        form.row method="get" action="/admin/apps" role="search" {
            input type="text" name="q" value=(search) placeholder="Search by application name"
                aria-label="Search by application name";
            button type="submit" { "Search" }
        }
        @if apps.is_empty() {
            p { "No applications match." }
        } @else {
            table #apps {
                thead { tr { th { "Name" } th { "Type" } th { "Client ID" } } }
                tbody {
                    @for a in &apps {
                        tr {
                            td { a href=(app_url(&text_at(a, "client_id"), "settings")) { (text_at(a, "name")) } }
                            td { (text_at(a, "app_type")) }
                            td.mono { (text_at(a, "client_id")) }
                        }
                    }
                }
            }
            @if apps.len() >= SHOWN { p.hint { "Showing the first " (SHOWN) "; search to narrow down." } }
        }
    };
    respond(
        StatusCode::OK,
        frame("Applications", Some(&s), "apps", body),
    )
}
