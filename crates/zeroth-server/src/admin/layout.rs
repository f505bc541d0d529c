//! The page frame, navigation and form widgets every dashboard page is built from.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use serde_json::Value;
use zeroth_core::dashboard::Session;

use super::problems::Problems;

/// A whole page. `nav` names the active section; without a session there is no menu.
pub fn frame(title: &str, session: Option<&Session>, nav: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Zeroth" }
                link rel="stylesheet" href="/admin/assets/admin.css";
            }
            body {
                @if let Some(s) = session {
                    header.top {
                        a.brand href="/admin/apps" { "Zeroth" }
                        nav {
                            a href="/admin/apps" class=[active(nav, "apps")] { "Applications" }
                            a href="/admin/apis" class=[active(nav, "apis")] { "APIs" }
                            a href="/admin/keys" class=[active(nav, "keys")] { "Signing Keys" }
                        }
                        form.logout method="post" action="/admin/logout" {
                            (csrf(s))
                            span.user { (s.username) }
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn active(nav: &str, item: &str) -> Option<&'static str> {
    (nav == item).then_some("active")
}

/// The hidden CSRF field every form carries.
pub fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(s.csrf_token.expose()); }
}

pub fn respond(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// A page with a title and one sentence (errors, 403, 404).
pub fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/admin/apps" { "Back to the dashboard" } }
    };
    respond(status, frame(title, None, "", body))
}

pub async fn not_found() -> Response {
    message_page(StatusCode::NOT_FOUND, "Not found", "There is no such page.")
}

/// Internal errors are logged with the request id and shown generically.
pub fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "dashboard request failed");
    message_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The server could not complete this request; the server log has the details.",
    )
}

/// A core error as a page: 404s as "not found", the rest by their message.
pub fn core_error(e: &zeroth_core::Error) -> Response {
    match e {
        zeroth_core::Error::Internal(_) => internal(e),
        zeroth_core::Error::NotFound { .. } => not_found_page(),
        other => message_page(
            StatusCode::from_u16(other.status()).unwrap_or(StatusCode::BAD_REQUEST),
            "Request refused",
            &other.to_string(),
        ),
    }
}

pub fn not_found_page() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "Not found",
        "It does not exist (any more).",
    )
}

/// A value at a dotted path as a form shows it: lists one per line, absent as empty.
pub fn text_at(doc: &Value, path: &str) -> String {
    let v = path.split('.').try_fold(doc, |v, k| v.get(k));
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => other.to_string(),
    }
}

pub fn bool_at(doc: &Value, path: &str) -> bool {
    path.split('.').try_fold(doc, |v, k| v.get(k)) == Some(&Value::Bool(true))
}

/// Messages for one field, right under it; `data-field` lets tests find them.
pub fn field_errors(problems: &Problems, name: &str) -> Markup {
    html! {
        @for m in problems.for_field(name) {
            p.field-error role="alert" data-field=(name) { (m) }
        }
    }
}

/// Messages of the form as a whole (the core's rules, conflicts).
pub fn form_errors(problems: &Problems, fields: &[&str]) -> Markup {
    html! {
        @for m in problems.general(fields) {
            p.form-error role="alert" { (m) }
        }
    }
}

pub fn text_field(label: &str, name: &str, value: &str, hint: &str, problems: &Problems) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            input type="text" id=(name) name=(name) value=(value)
                aria-invalid=[(!problems.for_field(name).is_empty()).then_some("true")];
            @if !hint.is_empty() { small.hint { (hint) } }
            (field_errors(problems, name))
        }
    }
}

pub fn textarea_field(
    label: &str,
    name: &str,
    value: &str,
    hint: &str,
    problems: &Problems,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            textarea id=(name) name=(name) rows="4"
                aria-invalid=[(!problems.for_field(name).is_empty()).then_some("true")] { (value) }
            @if !hint.is_empty() { small.hint { (hint) } }
            (field_errors(problems, name))
        }
    }
}

pub fn select_field(
    label: &str,
    name: &str,
    options: &[&str],
    selected: &str,
    problems: &Problems,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                @if !options.contains(&selected) {
                    option value="" selected { "(not set)" }
                }
                @for o in options {
                    option value=(o) selected[*o == selected] { (o) }
                }
            }
            (field_errors(problems, name))
        }
    }
}

pub fn checkbox_field(label: &str, name: &str, checked: bool, problems: &Problems) -> Markup {
    html! {
        div.field.check {
            label {
                input type="checkbox" name=(name) value="true" checked[checked];
                " " (label)
            }
            (field_errors(problems, name))
        }
    }
}

/// A banner after a successful change (`?saved=1` on the redirect).
pub fn flash(saved: bool, text: &str) -> Markup {
    html! { @if saved { p.flash role="status" { (text) } } }
}
