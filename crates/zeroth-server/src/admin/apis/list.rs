//! The APIs list and the create form (name, identifier, signing algorithm).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::{json, Value};
use zeroth_core::dashboard::Session;
use zeroth_core::resource_servers::service;

use super::{api_url, full_access};
use crate::admin::apps::all_apis;
use crate::admin::csrf::Posted;
use crate::admin::layout::{
    self, csrf, flash, form_errors, frame, respond, select_field, text_at, text_field,
};
use crate::admin::problems::Problems;
use crate::admin::session::AdminSession;
use crate::state::AppState;

const ALGS: &[&str] = &["RS256", "PS256", "HS256"];
const FIELDS: &[&str] = &["name", "identifier", "signing_alg"];

#[derive(Deserialize)]
pub struct ListParams {
    deleted: Option<String>,
}

fn list_page(
    s: &Session,
    apis: &[Value],
    typed: &Value,
    problems: &Problems,
    deleted: bool,
) -> Markup {
    let alg = match text_at(typed, "signing_alg") {
        a if a.is_empty() => "RS256".to_string(),
        a => a,
    };
    let body = html! {
        h1 { "APIs" }
        (flash(deleted, "API deleted."))
        table #apis {
            thead { tr { th { "Name" } th { "Identifier" } th { "Signing" } } }
            tbody {
                @for a in apis {
                    tr {
                        td {
                            a href=(api_url(&text_at(a, "id"))) { (text_at(a, "name")) }
                            @if a["is_system"] == Value::Bool(true) { " " span.badge { "System API" } }
                        }
                        td.mono { (text_at(a, "identifier")) }
                        td { (text_at(a, "signing_alg")) }
                    }
                }
            }
        }
        h2 { "Create API" }
        form.card method="post" action="/admin/apis" {
            (csrf(s))
            (form_errors(problems, FIELDS))
            (text_field("Name", "name", &text_at(typed, "name"), "", problems))
            (text_field("Identifier", "identifier", &text_at(typed, "identifier"),
                "The audience of its tokens, such as https://api.example.com. It cannot be changed later.", problems))
            (select_field("Signing Algorithm", "signing_alg", ALGS, &alg, problems))
            button.primary type="submit" { "Create" }
        }
    };
    frame("APIs", Some(s), "apis", body)
}

pub async fn page(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Query(p): Query<ListParams>,
) -> Response {
    match all_apis(&state).await {
        Ok(apis) => respond(
            StatusCode::OK,
            list_page(
                &s,
                &apis,
                &Value::Null,
                &Problems::none(),
                p.deleted.is_some(),
            ),
        ),
        Err(e) => layout::core_error(&e),
    }
}

pub async fn create(State(state): State<AppState>, posted: Posted) -> Response {
    let body = json!({
        "name": posted.form.get("name").trim(),
        "identifier": posted.form.get("identifier").trim(),
        "signing_alg": posted.form.get("signing_alg"),
    });
    match service::create(state.store(), &full_access(), body.clone()).await {
        Ok(api) => Redirect::to(&api_url(&text_at(&api, "id"))).into_response(),
        Err(e) if matches!(e.status(), 400 | 409) => match all_apis(&state).await {
            Ok(apis) => {
                let page = list_page(
                    &posted.session,
                    &apis,
                    &body,
                    &Problems::from_error(&e),
                    false,
                );
                respond(StatusCode::BAD_REQUEST, page)
            }
            Err(e) => layout::core_error(&e),
        },
        Err(e) => layout::core_error(&e),
    }
}
