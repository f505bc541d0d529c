//! CSRF defence for every state-changing POST: same-origin check plus the session's token.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use zeroth_core::dashboard::Session;

use super::form::Form;
use super::layout;
use super::session::AdminSession;
use crate::state::AppState;

/// Dashboard forms are small; anything bigger is not ours.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// A POSTed form from a signed-in user that passed both CSRF checks.
pub struct Posted {
    pub session: Session,
    pub form: Form,
}

/// The origin this request was addressed to, as a browser would write it.
fn own_origin(headers: &HeaderMap, uri: &Uri, state: &AppState) -> Option<String> {
    // HTTP/2 carries the host as the URI's authority, HTTP/1.1 as the Host header.
    let host = match uri.authority() {
        Some(a) => a.as_str(),
        None => headers.get(header::HOST)?.to_str().ok()?,
    };
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let scheme = if state.tls || forwarded_https {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// The browser must say where the form came from, and it must be this dashboard: `Origin`
/// when sent (every current browser sends it on POST), otherwise `Referer`.
pub fn same_origin(headers: &HeaderMap, uri: &Uri, state: &AppState) -> bool {
    let Some(own) = own_origin(headers, uri, state) else {
        return false;
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return origin == own;
    }
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|r| {
            r.strip_prefix(&own)
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

pub fn forbidden() -> Response {
    layout::message_page(
        StatusCode::FORBIDDEN,
        "Forbidden",
        "This form was not sent from this dashboard, or it has expired. Go back, reload \
         the page and try again.",
    )
}

/// Reads the body of a form, bounded.
pub async fn read_form(body: axum::body::Body) -> Result<Form, Response> {
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            layout::message_page(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "The form could not be read.",
            )
        })?;
    Form::parse(&bytes).ok_or_else(|| {
        layout::message_page(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "The form could not be read.",
        )
    })
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let AdminSession(session) = AdminSession::from_request_parts(&mut parts, state).await?;
        if !same_origin(&parts.headers, &parts.uri, state) {
            return Err(forbidden());
        }
        let form = read_form(body).await?;
        // Constant-time comparison: timing must not reveal how much of a guess matched.
        if !session.csrf_token.matches(form.get("csrf_token")) {
            return Err(forbidden());
        }
        Ok(Posted { session, form })
    }
}
