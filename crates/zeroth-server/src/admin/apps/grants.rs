//! The APIs tab of an application: its client grants, authorize an API with scopes, revoke.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde_json::{json, Value};
use zeroth_core::client_grants::service as grants;
use zeroth_core::dashboard::Session;
use zeroth_core::resource_servers::service as apis;
use zeroth_core::store::{ClientGrantFilter, PageReq};

use super::edit::{render, View};
use super::{app_url, full_access, load, urlencode};
use crate::admin::csrf::Posted;
use crate::admin::layout::{self, csrf, form_errors, text_at};
use crate::admin::problems::Problems;
use crate::state::AppState;

const FIRST_PAGE: PageReq = PageReq::Offset {
    page: 0,
    per_page: 100,
};

/// Every API of the tenant (the dashboard shows at most the first hundred).
pub async fn all_apis(state: &AppState) -> Result<Vec<Value>, zeroth_core::Error> {
    let q = apis::ListQuery {
        page: FIRST_PAGE,
        include_totals: false,
        identifiers: None,
    };
    let list = apis::list(state.store(), &full_access(), &q).await?;
    Ok(list.as_array().cloned().unwrap_or_default())
}

/// Grants filtered by client or by audience.
pub async fn grants_where(
    state: &AppState,
    filter: ClientGrantFilter,
) -> Result<Vec<Value>, zeroth_core::Error> {
    let q = grants::ListQuery {
        filter,
        page: FIRST_PAGE,
        include_totals: false,
    };
    let list = grants::list(state.store(), &full_access(), &q).await?;
    Ok(list.as_array().cloned().unwrap_or_default())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn scope_boxes(api: &Value, checked: &[String]) -> Markup {
    let scopes: Vec<String> = api["scopes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["value"].as_str().map(str::to_string))
        .collect();
    html! {
        @if scopes.is_empty() {
            p.hint { "This API defines no permissions." }
        } @else {
            details open[scopes.len() <= 12] {
                summary { (scopes.len()) " permissions" }
                div.scopes {
                    @for sc in &scopes {
                        label { input type="checkbox" name="scope" value=(sc) checked[checked.contains(sc)]; " " (sc) }
                    }
                }
            }
        }
    }
}

pub async fn tab(
    state: &AppState,
    s: &Session,
    id: &str,
    problems: &Problems,
) -> Result<Markup, zeroth_core::Error> {
    let apis = all_apis(state).await?;
    let filter = ClientGrantFilter {
        client_id: Some(id.to_string()),
        ..Default::default()
    };
    let mine = grants_where(state, filter).await?;
    let base = format!("/admin/apps/{}/grants", urlencode(id));
    Ok(html! {
        (form_errors(problems, &[]))
        @for api in &apis {
            @let audience = text_at(api, "identifier");
            @let grant = mine.iter().find(|g| g["audience"].as_str() == Some(audience.as_str()));
            section.card.api data-audience=(audience) {
                h2 { (text_at(api, "name")) " " code { (audience) } }
                @match grant {
                    Some(g) => {
                        @let gid = text_at(g, "id");
                        p { span.badge { "Authorized" } }
                        form method="post" action=(format!("{base}/{}", urlencode(&gid))) {
                            (csrf(s))
                            (scope_boxes(api, &strings(&g["scope"])))
                            button.primary type="submit" { "Update" }
                        }
                        form method="post" action=(format!("{base}/{}/revoke", urlencode(&gid))) {
                            (csrf(s))
                            button.danger type="submit" { "Revoke" }
                        }
                    }
                    None => {
                        form method="post" action=(base) {
                            (csrf(s))
                            input type="hidden" name="audience" value=(audience);
                            (scope_boxes(api, &[]))
                            button.primary type="submit" { "Authorize" }
                        }
                    }
                }
            }
        }
    })
}

/// The result of a grant change: back to the tab, or the tab with the core's message.
async fn after(
    state: &AppState,
    posted: &Posted,
    id: &str,
    result: Result<Value, zeroth_core::Error>,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("{}&saved=1", app_url(id, "apis"))).into_response(),
        Err(e) if matches!(e.status(), 400 | 404 | 409) => match load(state, id).await {
            Ok(client) => {
                let mut view = View::tab("apis");
                view.problems = Problems::from_error(&e);
                render(
                    state,
                    &posted.session,
                    &client,
                    view,
                    StatusCode::BAD_REQUEST,
                )
                .await
            }
            Err(e) => layout::core_error(&e),
        },
        Err(e) => layout::core_error(&e),
    }
}

pub async fn authorize(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let body = json!({
        "client_id": id,
        "audience": posted.form.get("audience"),
        "scope": posted.form.all("scope"),
    });
    let result = grants::create(state.store(), &full_access(), body).await;
    after(&state, &posted, &id, result).await
}

pub async fn update(
    State(state): State<AppState>,
    Path((id, grant)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let body = json!({ "scope": posted.form.all("scope") });
    let result = grants::update(state.store(), &full_access(), &grant, body).await;
    after(&state, &posted, &id, result).await
}

pub async fn revoke(
    State(state): State<AppState>,
    Path((id, grant)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let result = grants::delete(state.store(), &full_access(), &grant)
        .await
        .map(|()| Value::Null);
    after(&state, &posted, &id, result).await
}
