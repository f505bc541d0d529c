//! One API: its settings, permissions (scopes) and grants; the system API is read-only.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::{json, Value};
use zeroth_core::dashboard::Session;
use zeroth_core::resource_servers::service;
use zeroth_core::store::ClientGrantFilter;

use super::{api_url, full_access, load};
use crate::admin::apps::{app_url, grants_where};
use crate::admin::csrf::Posted;
use crate::admin::layout::{
    self, bool_at, checkbox_field, csrf, flash, form_errors, frame, respond, select_field, text_at,
    text_field,
};
use crate::admin::problems::Problems;
use crate::admin::session::AdminSession;
use crate::state::AppState;

const ALGS: &[&str] = &["RS256", "PS256", "HS256"];
const SETTINGS: &[&str] = &[
    "name",
    "token_lifetime",
    "token_lifetime_for_web",
    "signing_alg",
    "allow_offline_access",
    "skip_consent_for_verifiable_first_party_clients",
];

#[derive(Deserialize)]
pub struct Params {
    saved: Option<String>,
}

fn scopes_of(api: &Value) -> Vec<Value> {
    api["scopes"].as_array().cloned().unwrap_or_default()
}

async fn render(
    state: &AppState,
    s: &Session,
    api: &Value,
    problems: &Problems,
    saved: bool,
    status: StatusCode,
) -> Response {
    let id = text_at(api, "id");
    let identifier = text_at(api, "identifier");
    let system = api["is_system"] == Value::Bool(true);
    let filter = ClientGrantFilter {
        audience: Some(identifier.clone()),
        ..Default::default()
    };
    let grants = match grants_where(state, filter).await {
        Ok(g) => g,
        Err(e) => return layout::core_error(&e),
    };
    let base = api_url(&id);
    let body = html! {
        p { a href="/admin/apis" { "← APIs" } }
        h1 { (text_at(api, "name")) @if system { " " span.badge { "System API" } } }
        p { "Identifier " code { (identifier) } }
        (flash(saved, "Changes saved."))
        (form_errors(problems, &[]))
        @if system {
            p.hint { "The Management API belongs to the tenant; it is shown read-only." }
            (settings_view(api))
        } @else {
            (settings_form(s, &base, api, problems))
        }
        h2 { "Permissions" }
        table #scopes {
            thead { tr { th { "Permission" } th { "Description" } @if !system { th {} } } }
            tbody {
                @for sc in scopes_of(api) {
                    tr {
                        td.mono { (text_at(&sc, "value")) }
                        td { (text_at(&sc, "description")) }
                        @if !system {
                            td {
                                form.inline method="post" action=(format!("{base}/scopes/remove")) {
                                    (csrf(s))
                                    input type="hidden" name="value" value=(text_at(&sc, "value"));
                                    button type="submit" { "Remove" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !system {
            form.card.row method="post" action=(format!("{base}/scopes")) {
                (csrf(s))
                (text_field("Permission", "value", "", "", problems))
                (text_field("Description", "description", "", "", problems))
                button.primary type="submit" { "Add" }
            }
        }
        h2 { "Applications with access" }
        @if grants.is_empty() { p { "No application is authorized." } }
        ul #grants {
            @for g in &grants {
                li {
                    a href=(app_url(&text_at(g, "client_id"), "apis")) { code { (text_at(g, "client_id")) } }
                    ": " (text_at(g, "scope").replace('\n', " "))
                }
            }
        }
        @if !system {
            h2 { "Danger zone" }
            form.card method="post" action=(format!("{base}/delete")) {
                (csrf(s))
                (text_field("Type the identifier to delete this API", "confirm", "", "", problems))
                button.danger type="submit" { "Delete API" }
            }
        }
    };
    respond(status, frame(&text_at(api, "name"), Some(s), "apis", body))
}

fn settings_view(api: &Value) -> Markup {
    html! {
        table {
            @for f in SETTINGS { tr { th { (f) } td { (text_at(api, f)) } } }
        }
    }
}

fn settings_form(s: &Session, base: &str, api: &Value, p: &Problems) -> Markup {
    html! {
        form.card method="post" action=(format!("{base}/settings")) {
            (csrf(s))
            (form_errors(p, SETTINGS))
            (text_field("Name", "name", &text_at(api, "name"), "", p))
            (text_field("Token Expiration (seconds)", "token_lifetime", &text_at(api, "token_lifetime"), "", p))
            (text_field("Token Expiration For Browser Flows (seconds)", "token_lifetime_for_web",
                &text_at(api, "token_lifetime_for_web"), "", p))
            (select_field("Signing Algorithm", "signing_alg", ALGS, &text_at(api, "signing_alg"), p))
            (checkbox_field("Allow Offline Access", "allow_offline_access", bool_at(api, "allow_offline_access"), p))
            (checkbox_field("Allow Skipping User Consent", "skip_consent_for_verifiable_first_party_clients",
                bool_at(api, "skip_consent_for_verifiable_first_party_clients"), p))
            button.primary type="submit" { "Save" }
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Response {
    match load(&state, &id).await {
        Ok(api) => {
            render(
                &state,
                &s,
                &api,
                &Problems::none(),
                q.saved.is_some(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => layout::core_error(&e),
    }
}

/// Runs one PATCH; a refusal re-renders the page with the core's messages.
async fn patch(state: &AppState, posted: &Posted, id: &str, body: Value) -> Response {
    match service::update(state.store(), &full_access(), id, body).await {
        Ok(_) => Redirect::to(&format!("{}?saved=1", api_url(id))).into_response(),
        Err(e) if matches!(e.status(), 400 | 403 | 409) => match load(state, id).await {
            Ok(api) => {
                render(
                    state,
                    &posted.session,
                    &api,
                    &Problems::from_error(&e),
                    false,
                    StatusCode::BAD_REQUEST,
                )
                .await
            }
            Err(e) => layout::core_error(&e),
        },
        Err(e) => layout::core_error(&e),
    }
}

pub async fn save_settings(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let f = &posted.form;
    let mut body = json!({
        "name": f.get("name").trim(),
        "signing_alg": f.get("signing_alg"),
        "allow_offline_access": f.checked("allow_offline_access"),
        "skip_consent_for_verifiable_first_party_clients": f.checked("skip_consent_for_verifiable_first_party_clients"),
    });
    for n in ["token_lifetime", "token_lifetime_for_web"] {
        if let Some(v) = f.number(n) {
            body[n] = v;
        }
    }
    patch(&state, &posted, &id, body).await
}

pub async fn add_scope(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let api = match load(&state, &id).await {
        Ok(a) => a,
        Err(e) => return layout::core_error(&e),
    };
    let mut scopes = scopes_of(&api);
    scopes.push(json!({"value": posted.form.get("value").trim(), "description": posted.form.get("description").trim()}));
    patch(&state, &posted, &id, json!({ "scopes": scopes })).await
}

pub async fn remove_scope(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let api = match load(&state, &id).await {
        Ok(a) => a,
        Err(e) => return layout::core_error(&e),
    };
    let gone = posted.form.get("value");
    let scopes: Vec<Value> = scopes_of(&api)
        .into_iter()
        .filter(|s| s["value"].as_str() != Some(gone))
        .collect();
    patch(&state, &posted, &id, json!({ "scopes": scopes })).await
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let api = match load(&state, &id).await {
        Ok(a) => a,
        Err(e) => return layout::core_error(&e),
    };
    if posted.form.get("confirm") != text_at(&api, "identifier") {
        let p = Problems::one(
            "confirm",
            "The identifier does not match; nothing was deleted.",
        );
        return render(
            &state,
            &posted.session,
            &api,
            &p,
            false,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    match service::delete(state.store(), &full_access(), &id).await {
        Ok(()) => Redirect::to("/admin/apis?deleted=1").into_response(),
        Err(e) => layout::core_error(&e),
    }
}
