//! One application's page: the tabs, and saving one tab's form through the clients service.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use zeroth_core::clients::{merge, service};
use zeroth_core::dashboard::Session;

use super::sections::Section;
use super::{app_url, credentials, full_access, grants, load, urlencode};
use crate::admin::csrf::Posted;
use crate::admin::layout::{self, csrf, flash, form_errors, frame, respond, text_at};
use crate::admin::problems::Problems;
use crate::admin::session::AdminSession;
use crate::state::AppState;

/// The tabs in Auth0's order: (slug, label).
const TABS: &[(&str, &str)] = &[
    ("settings", "Settings"),
    ("uris", "Application URIs"),
    ("credentials", "Credentials"),
    ("apis", "APIs"),
    ("addons", "Add-ons"),
    ("advanced", "Advanced: OAuth"),
    ("mobile", "Mobile"),
    ("metadata", "Metadata"),
];

#[derive(Deserialize)]
pub struct TabParams {
    tab: Option<String>,
    saved: Option<String>,
}

/// What a tab shows besides the client itself.
pub struct View<'a> {
    pub tab: &'a str,
    pub problems: Problems,
    pub saved: bool,
    /// Credentials: the secret, once the user asked to see it.
    pub revealed: Option<String>,
    pub notice: Option<&'a str>,
    /// The form the problems belong to, when a tab holds more than one.
    pub failed: Option<Section>,
}

impl<'a> View<'a> {
    pub fn tab(tab: &'a str) -> View<'a> {
        View {
            tab,
            problems: Problems::none(),
            saved: false,
            revealed: None,
            notice: None,
            failed: None,
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    AdminSession(s): AdminSession,
    Path(id): Path<String>,
    Query(p): Query<TabParams>,
) -> Response {
    let client = match load(&state, &id).await {
        Ok(c) => c,
        Err(e) => return layout::core_error(&e),
    };
    let tab = p.tab.unwrap_or_else(|| "settings".into());
    let mut view = View::tab(&tab);
    view.saved = p.saved.is_some();
    render(&state, &s, &client, view, StatusCode::OK).await
}

/// The page with one tab open. `doc` is what the fields show.
pub async fn render(
    state: &AppState,
    s: &Session,
    doc: &Value,
    view: View<'_>,
    status: StatusCode,
) -> Response {
    let id = text_at(doc, "client_id");
    let content = match view.tab {
        "apis" => match grants::tab(state, s, &id, &view.problems).await {
            Ok(m) => m,
            Err(e) => return layout::core_error(&e),
        },
        "credentials" => credentials::tab(s, doc, &view),
        "settings" => {
            let none = Problems::none();
            let of = |sec: Section| {
                if view.failed.is_none_or(|f| f == sec) {
                    &view.problems
                } else {
                    &none
                }
            };
            html! {
                (section_form(s, &id, Section::Settings, doc, of(Section::Settings)))
                (section_form(s, &id, Section::RefreshToken, doc, of(Section::RefreshToken)))
            }
        }
        other => match Section::parse(other) {
            Some(section) if section.tab() == other => {
                section_form(s, &id, section, doc, &view.problems)
            }
            _ => return layout::not_found_page(),
        },
    };
    let body = html! {
        p { a href="/admin/apps" { "← Applications" } }
        div.row {
            h1 #app-name { (text_at(doc, "name")) }
            a.btn href=(format!("/admin/apps/{}/delete", urlencode(&id))) { "Delete" }
        }
        p { span.badge { (text_at(doc, "app_type")) } " Client ID " code #client-id { (id) } }
        nav.tabs {
            @for (slug, label) in TABS {
                a href=(app_url(&id, slug)) class=[(view.tab == *slug).then_some("active")] { (label) }
            }
        }
        (flash(view.saved, "Changes saved."))
        @if let Some(n) = view.notice { p.flash role="status" { (n) } }
        (content)
    };
    respond(status, frame(&text_at(doc, "name"), Some(s), "apps", body))
}

fn section_form(
    s: &Session,
    id: &str,
    section: Section,
    doc: &Value,
    problems: &Problems,
) -> Markup {
    html! {
        form.card method="post" action=(format!("/admin/apps/{}/save/{}", urlencode(id), section.slug()))
            data-section=(section.slug()) {
            (csrf(s))
            (form_errors(problems, section.fields()))
            (section.render(doc, problems))
            button.primary type="submit" { "Save Changes" }
        }
    }
}

/// Saves one tab. A rejected form changes nothing and comes back with the user's input.
pub async fn save(
    State(state): State<AppState>,
    Path((id, section)): Path<(String, String)>,
    posted: Posted,
) -> Response {
    let Some(section) = Section::parse(&section) else {
        return layout::not_found_page();
    };
    let current = match load(&state, &id).await {
        Ok(c) => c,
        Err(e) => return layout::core_error(&e),
    };
    let (patch, problems) = section.patch(&posted.form, &current);
    let problems = if problems.is_empty() {
        let ctx = state.clients_ctx();
        match service::update(&ctx, &full_access(), &id, Value::Object(patch.clone())).await {
            Ok(_) => {
                return Redirect::to(&format!("{}&saved=1", app_url(&id, section.tab())))
                    .into_response()
            }
            Err(e) if e.status() == 400 || e.status() == 409 => Problems::from_error(&e),
            Err(e) => return layout::core_error(&e),
        }
    } else {
        problems
    };
    let shown = match current.as_object() {
        Some(doc) => Value::Object(merge::merge_patch(doc, &patch)),
        None => current.clone(),
    };
    let mut view = View::tab(section.tab());
    view.problems = problems;
    view.failed = Some(section);
    render(
        &state,
        &posted.session,
        &shown,
        view,
        StatusCode::BAD_REQUEST,
    )
    .await
}
