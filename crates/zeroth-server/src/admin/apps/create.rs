//! Creating an application: a name and one of the four application types.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde_json::json;
use zeroth_core::clients::service;
use zeroth_core::dashboard::Session;

use super::{app_url, full_access};
use crate::admin::csrf::Posted;
use crate::admin::layout::{self, csrf, field_errors, form_errors, frame, respond, text_field};
use crate::admin::problems::Problems;
use crate::admin::session::AdminSession;
use crate::state::AppState;

/// The types Auth0's dashboard offers, with its labels.
const TYPES: &[(&str, &str)] = &[
    ("native", "Native"),
    ("spa", "Single Page Web Applications"),
    ("regular_web", "Regular Web Applications"),
    ("non_interactive", "Machine to Machine Applications"),
];

fn create_form(s: &Session, name: &str, app_type: &str, problems: &Problems) -> Markup {
    let body = html! {
        h1 { "Create application" }
        form.card method="post" action="/admin/apps" {
            (csrf(s))
            (form_errors(problems, &["name", "app_type"]))
            (text_field("Name", "name", name, "You can change it later.", problems))
            fieldset.field {
                legend { "Application type" }
                @for (value, label) in TYPES {
                    label {
                        input type="radio" name="app_type" value=(value) checked[*value == app_type];
                        " " (label)
                    }
                    br;
                }
                (field_errors(problems, "app_type"))
            }
            button.primary type="submit" { "Create" }
        }
    };
    frame("Create application", Some(s), "apps", body)
}

pub async fn page(AdminSession(s): AdminSession) -> Response {
    let form = create_form(&s, "", "regular_web", &Problems::none());
    respond(StatusCode::OK, form)
}

pub async fn submit(State(state): State<AppState>, posted: Posted) -> Response {
    let name = posted.form.get("name").trim().to_string();
    let app_type = posted.form.get("app_type").to_string();
    let mut body = json!({ "name": name });
    if !app_type.is_empty() {
        body["app_type"] = json!(app_type);
    }
    let ctx = state.clients_ctx();
    match service::create(&ctx, &full_access(), body).await {
        Ok(client) => {
            let id = client
                .get("client_id")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            Redirect::to(&app_url(id, "settings")).into_response()
        }
        Err(e) if e.status() == 400 => {
            let form = create_form(&posted.session, &name, &app_type, &Problems::from_error(&e));
            respond(StatusCode::BAD_REQUEST, form)
        }
        Err(e) => layout::core_error(&e),
    }
}
