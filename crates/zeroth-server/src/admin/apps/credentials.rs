//! The Credentials tab: authentication method, and the client secret behind Reveal and Rotate.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use zeroth_core::clients::service;
use zeroth_core::dashboard::Session;

use super::edit::{render, View};
use super::sections::Section;
use super::{full_access, load, urlencode};
use crate::admin::csrf::Posted;
use crate::admin::layout::{self, csrf, form_errors, text_at};
use crate::state::AppState;

pub fn tab(s: &Session, doc: &serde_json::Value, view: &View<'_>) -> Markup {
    let id = text_at(doc, "client_id");
    let base = format!("/admin/apps/{}", urlencode(&id));
    html! {
        form.card method="post" action=(format!("{base}/save/credentials")) data-section="credentials" {
            (csrf(s))
            (form_errors(&view.problems, Section::Credentials.fields()))
            (Section::Credentials.render(doc, &view.problems))
            button.primary type="submit" { "Save Changes" }
        }
        section.card #secret {
            h2 { "Client Secret" }
            @match &view.revealed {
                Some(secret) => { p { code #client-secret { (secret) } } }
                None => {
                    p { code #client-secret-hidden { "••••••••••••••••••••••••" } }
                    // A POST, so the secret is never in a URL, a history entry or a cache.
                    form.inline method="post" action=(format!("{base}/secret/reveal")) {
                        (csrf(s))
                        button type="submit" #reveal { "Reveal" }
                    }
                }
            }
            " "
            form.inline method="post" action=(format!("{base}/secret/rotate")) {
                (csrf(s))
                button.danger type="submit" #rotate { "Rotate" }
            }
            p.hint { "Rotating makes the current secret stop working at once." }
        }
    }
}

pub async fn reveal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let client = match load(&state, &id).await {
        Ok(c) => c,
        Err(e) => return layout::core_error(&e),
    };
    let mut view = View::tab("credentials");
    view.revealed = Some(text_at(&client, "client_secret"));
    render(&state, &posted.session, &client, view, StatusCode::OK).await
}

pub async fn rotate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let ctx = state.clients_ctx();
    let client = match service::rotate_secret(&ctx, &full_access(), &id).await {
        Ok(c) => serde_json::Value::Object(c),
        Err(e) => return layout::core_error(&e),
    };
    let mut view = View::tab("credentials");
    view.revealed = Some(text_at(&client, "client_secret"));
    view.notice = Some("Secret rotated. The old secret no longer works.");
    render(&state, &posted.session, &client, view, StatusCode::OK).await
}
