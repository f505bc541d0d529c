//! The Management API's bearer check: `Authorization: Bearer <jwt>` verified against
//! the tenant's keys, answered with Auth0's 401 (and 400) envelopes when it fails.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use zeroth_core::scopes::Granted;
use zeroth_core::tokens::{Alg, Claims, TokenError, Validation};

use crate::oauth::AuthContext;

/// Auth0's wording, as its Management API (hapi + hapi-auth-jwt) answers.
pub const MISSING: &str = "Missing authentication";
pub const BAD_HEADER: &str = "Bad HTTP authentication header format";
pub const INVALID: &str = "Invalid token";
pub const EXPIRED: &str = "Expired token received for JSON Web Token validation";

/// An authenticated Management API caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub granted: Granted,
    pub claims: Arc<Claims>,
}

impl Caller {
    /// The client the token was issued to.
    pub fn client_id(&self) -> &str {
        self.claims
            .azp
            .as_deref()
            .unwrap_or_else(|| self.claims.sub.trim_end_matches("@clients"))
    }
}

/// Why the bearer check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    Missing,
    BadHeader,
    Token(String),
}

impl From<TokenError> for AuthError {
    fn from(e: TokenError) -> Self {
        AuthError::Token(match e {
            TokenError::Expired => EXPIRED.into(),
            TokenError::WrongAudience(aud) => format!("Bad audience: {aud}"),
            _ => INVALID.into(),
        })
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let (status, message, www) = match &self {
            AuthError::Missing => (StatusCode::UNAUTHORIZED, MISSING, "Bearer".to_string()),
            // hapi answers a garbled header with 400, and so does Auth0.
            AuthError::BadHeader => (
                StatusCode::BAD_REQUEST,
                BAD_HEADER,
                format!("Bearer error=\"invalid_request\", error_description=\"{BAD_HEADER}\""),
            ),
            AuthError::Token(m) => (
                StatusCode::UNAUTHORIZED,
                m.as_str(),
                format!(
                    "Bearer error=\"invalid_token\", error_description=\"{}\"",
                    m.replace('"', "'")
                ),
            ),
        };
        let mut body = json!({
            "statusCode": status.as_u16(),
            "error": status.canonical_reason().unwrap_or("Unauthorized"),
            "message": message,
        });
        if let (AuthError::Token(m), Some(obj)) = (&self, body.as_object_mut()) {
            obj.insert("attributes".into(), json!({ "error": m }));
        }
        let mut res = (status, axum::Json(body)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        if let Ok(v) = HeaderValue::from_str(&www) {
            h.insert(header::WWW_AUTHENTICATE, v);
        }
        res
    }
}

/// The token out of an `Authorization` header value.
///
/// Management tokens run to several kilobytes (one scope string per granted scope), so the
/// value is scanned as bytes in passes that do not stop early and so vectorise; a
/// character-by-character split was 3 % of a client list's CPU. Accepts what
/// `HeaderValue::to_str` and a whitespace split would: visible ASCII, spaces and tabs.
pub fn bearer_token(value: Option<&HeaderValue>) -> Result<&str, AuthError> {
    let bytes = value.ok_or(AuthError::Missing)?.as_bytes();
    let visible = bytes.iter().fold(true, |ok, &b| {
        ok & ((0x20..0x7f).contains(&b) | (b == b'\t'))
    });
    if !visible {
        return Err(AuthError::BadHeader);
    }
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes
        .iter()
        .position(|b| !is_blank(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_blank(b))
        .map_or(start, |i| i + 1);
    let trimmed = &bytes[start..end];
    let scheme_end = trimmed.iter().position(is_blank).unwrap_or(trimmed.len());
    let (scheme, rest) = trimmed.split_at(scheme_end);
    if scheme.is_empty() || !scheme.eq_ignore_ascii_case(b"bearer") {
        // Another scheme is no bearer authentication at all.
        return Err(AuthError::Missing);
    }
    let token_start = rest.iter().position(|b| !is_blank(b)).unwrap_or(rest.len());
    let token = &rest[token_start..];
    let inner_blank = token
        .iter()
        .fold(false, |seen, &b| seen | (b == b' ') | (b == b'\t'));
    if token.is_empty() || inner_blank {
        return Err(AuthError::BadHeader);
    }
    std::str::from_utf8(token).map_err(|_| AuthError::BadHeader)
}

/// Verifies a Management API token: RS256 by a trusted key, this tenant's issuer, a
/// Management API audience, not expired.
pub fn authenticate(ctx: &AuthContext, token: &str) -> Result<Caller, AuthError> {
    let v = Validation {
        algs: vec![Alg::RS256],
        issuer: ctx.tenant.issuer(),
        audiences: ctx.management_audiences(),
    };
    let claims = ctx.keys.verify(token, &v)?;
    Ok(Caller {
        granted: claims.granted(),
        claims,
    })
}

impl<S> FromRequestParts<S> for Caller
where
    Arc<AuthContext>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Arc::<AuthContext>::from_ref(state);
        let token = bearer_token(parts.headers.get(header::AUTHORIZATION))?;
        authenticate(&ctx, token)
    }
}

/// 403 `insufficient_scope` unless `granted` holds one of `accepted`.
pub fn require_any(granted: &Granted, accepted: &[&str]) -> Result<(), zeroth_core::Error> {
    granted.require_any(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing_follows_hapi() {
        let hv = |s: &str| HeaderValue::from_str(s).unwrap();
        assert_eq!(bearer_token(None), Err(AuthError::Missing));
        assert_eq!(bearer_token(Some(&hv("Bearer abc"))), Ok("abc"));
        assert_eq!(bearer_token(Some(&hv("bearer  abc "))), Ok("abc"));
        assert_eq!(bearer_token(Some(&hv("Bearer"))), Err(AuthError::BadHeader));
        assert_eq!(
            bearer_token(Some(&hv("Bearer a b"))),
            Err(AuthError::BadHeader)
        );
        assert_eq!(
            bearer_token(Some(&hv("Basic abc"))),
            Err(AuthError::Missing)
        );
        assert_eq!(bearer_token(Some(&hv(""))), Err(AuthError::Missing));
        assert_eq!(bearer_token(Some(&hv("\tBearer\tabc\t"))), Ok("abc"));
        assert_eq!(
            bearer_token(Some(&hv("Bearer a\tb"))),
            Err(AuthError::BadHeader)
        );
        // Not visible ASCII: a garbled header, as `to_str` would have refused it.
        let opaque = HeaderValue::from_bytes(b"Bearer ab\xffc").unwrap();
        assert_eq!(bearer_token(Some(&opaque)), Err(AuthError::BadHeader));
        let long = format!("Bearer {}", "a".repeat(8000));
        assert_eq!(bearer_token(Some(&hv(&long))).map(str::len), Ok(8000));
    }

    #[test]
    fn token_errors_use_auth0_wording() {
        let msg = |e| match AuthError::from(e) {
            AuthError::Token(m) => m,
            other => format!("{other:?}"),
        };
        assert_eq!(msg(TokenError::Expired), EXPIRED);
        assert_eq!(msg(TokenError::BadSignature), INVALID);
        assert_eq!(msg(TokenError::AlgNotAllowed("none".into())), INVALID);
        assert_eq!(msg(TokenError::UnknownKid), INVALID);
        assert_eq!(
            msg(TokenError::WrongAudience("https://x/".into())),
            "Bad audience: https://x/"
        );
    }
}
