//! Signing in with the dashboard password (argon2id) and signing out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use serde_json::json;
use zeroth_core::dashboard::{self, PASSWORD_SETTING, USERNAME};
use zeroth_core::logs::LogEvent;

use super::csrf::{self, Posted};
use super::layout::{self, frame, respond};
use super::session;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

fn login_form(error: Option<&str>, username: &str) -> maud::Markup {
    let body = html! {
        div.login {
            h1 { "Zeroth dashboard" }
            @if let Some(e) = error { p.form-error role="alert" { (e) } }
            form method="post" action="/admin/login" {
                div.field {
                    label for="username" { "Username" }
                    input type="text" id="username" name="username" value=(username)
                        autocomplete="username" required;
                }
                div.field {
                    label for="password" { "Password" }
                    input type="password" id="password" name="password"
                        autocomplete="current-password" required;
                }
                button.primary type="submit" { "Log in" }
            }
        }
    };
    frame("Log in", None, "", body)
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session::token(&headers) {
        if let Ok(Some(_)) = dashboard::find_session(state.store(), &token).await {
            return Redirect::to("/admin/apps").into_response();
        }
    }
    respond(StatusCode::OK, login_form(None, ""))
}

async fn login(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    // No session exists yet to hold a token, so a cross-site login attempt is refused
    // by origin alone (and SameSite=Strict keeps any cookie out of it).
    if !csrf::same_origin(&parts.headers, &parts.uri, &state) {
        return csrf::forbidden();
    }
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let verdict = state.login_attempts.check(&ip);
    if !verdict.allowed {
        let mut res = layout::message_page(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            "Too many sign-in attempts from this address. Wait a minute and try again.",
        );
        if let Ok(v) = header::HeaderValue::from_str(&verdict.retry_after.max(1).to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let form = match csrf::read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let username = form.get("username").trim().to_string();
    let password = form.get("password").to_string();
    let stored = match state.store().get_setting(PASSWORD_SETTING).await {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return layout::internal(&e),
    };
    // Always verify, even for an unknown user, so the answer takes as long either way.
    // argon2 is deliberately slow: keep it off the async workers.
    let verified =
        tokio::task::spawn_blocking(move || dashboard::verify_password(&stored, &password))
            .await
            .unwrap_or(false);
    if !verified || username != USERNAME {
        record(
            &state,
            &parts.headers,
            "fp",
            "Wrong username or password",
            &username,
        );
        let page = login_form(Some("Wrong username or password."), &username);
        return respond(StatusCode::UNAUTHORIZED, page);
    }
    let (token, _) = match dashboard::start_session(state.store(), USERNAME).await {
        Ok(s) => s,
        Err(e) => return layout::internal(&e),
    };
    record(&state, &parts.headers, "s", "Dashboard login", &username);
    let cookie = session::set_cookie(&state, &parts.headers, &token);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/admin/apps")).into_response()
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, posted: Posted) -> Response {
    let _ = posted.session;
    if let Some(token) = session::token(&headers) {
        if let Err(e) = dashboard::end_session(state.store(), &token).await {
            return layout::internal(&e);
        }
    }
    let cookie = session::clear_cookie(&state, &headers);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/admin/login")).into_response()
}

/// Sign-ins show up in the tenant logs (`/api/v2/logs`) as Auth0 records them.
fn record(state: &AppState, headers: &HeaderMap, log_type: &'static str, what: &str, user: &str) {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    state.observer.logs.record(LogEvent {
        log_type,
        description: what.to_string(),
        client_id: None,
        client_name: Some("Zeroth dashboard".into()),
        ip: None,
        user_agent,
        details: json!({"user_name": user, "connection": "dashboard"}),
        extra: serde_json::Map::new(),
    });
}
