//! The session cookie and the extractor that turns it into a signed-in user, or a redirect.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use zeroth_core::dashboard::{self, Session};
use zeroth_core::Secret;

use crate::state::AppState;

pub const COOKIE: &str = "zeroth_admin";
/// The cookie lives no longer than the server-side session's absolute lifetime.
const MAX_AGE_SECS: i64 = 12 * 3600;

/// A request from a signed-in dashboard user.
pub struct AdminSession(pub Session);

/// The session token from the request's cookies, if any.
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// `Secure` whenever the browser reached us over TLS: our own listener, or a proxy
/// in front of a plain one that says so.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.tls
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

pub fn set_cookie(state: &AppState, headers: &HeaderMap, token: &Secret) -> String {
    let mut c = format!(
        "{COOKIE}={}; Path=/admin; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Strict",
        token.expose()
    );
    if secure(state, headers) {
        c.push_str("; Secure");
    }
    c
}

pub fn clear_cookie(state: &AppState, headers: &HeaderMap) -> String {
    let mut c = format!("{COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict");
    if secure(state, headers) {
        c.push_str("; Secure");
    }
    c
}

pub fn to_login() -> Response {
    Redirect::to("/admin/login").into_response()
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = token(&parts.headers) else {
            return Err(to_login());
        };
        match dashboard::find_session(state.store(), &token).await {
            Ok(Some(s)) => Ok(AdminSession(s)),
            Ok(None) => Err(to_login()),
            Err(e) => Err(crate::admin::layout::internal(&e)),
        }
    }
}
