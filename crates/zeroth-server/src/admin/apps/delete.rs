//! Deleting an application, confirmed by typing its name.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde_json::Value;
use zeroth_core::clients::service;
use zeroth_core::dashboard::Session;

use super::{app_url, full_access, load, urlencode};
use crate::admin::csrf::Posted;
use crate::admin::layout::{self, csrf, form_errors, frame, respond, text_at, text_field};
use crate::admin::problems::Problems;
use crate::admin::session::AdminSession;
use crate::state::AppState;

fn confirm_page(s: &Session, client: &Value, typed: &str, problems: &Problems) -> maud::Markup {
    let id = text_at(client, "client_id");
    let name = text_at(client, "name");
    let body = html! {
        p { a href=(app_url(&id, "settings")) { "← " (name) } }
        h1 { "Delete application" }
        form.card method="post" action=(format!("/admin/apps/{}/delete", urlencode(&id))) {
            (csrf(s))
            (form_errors(problems, &["confirm_name"]))
            p { "This removes " strong { (name) } " and its API grants. Its credentials stop working at once. This cannot be undone." }
            (text_field("Type the application's name to confirm", "confirm_name", typed, "", problems))
            button.danger type="submit" { "Delete" }
        }
    };
    frame("Delete application", Some(s), "apps", body)
}

pub async fn page(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Path(id): Path<String>,
) -> Response {
    match load(&state, &id).await {
        Ok(c) => respond(StatusCode::OK, confirm_page(&s, &c, "", &Problems::none())),
        Err(e) => layout::core_error(&e),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let client = match load(&state, &id).await {
        Ok(c) => c,
        Err(e) => return layout::core_error(&e),
    };
    let typed = posted.form.get("confirm_name");
    if typed != text_at(&client, "name") {
        let p = Problems::one(
            "confirm_name",
            "The name does not match; nothing was deleted.",
        );
        return respond(
            StatusCode::BAD_REQUEST,
            confirm_page(&posted.session, &client, typed, &p),
        );
    }
    let ctx = state.clients_ctx();
    match service::delete(&ctx, &full_access(), &id).await {
        Ok(()) => Redirect::to("/admin/apps?deleted=1").into_response(),
        Err(e) => layout::core_error(&e),
    }
}
