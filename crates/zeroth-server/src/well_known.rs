//! Discovery: `/.well-known/jwks.json` and `/.well-known/openid-configuration`.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::oauth::AuthContext;

pub fn router<S>() -> Router<S>
where
    Arc<AuthContext>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route(
            "/.well-known/openid-configuration",
            get(openid_configuration),
        )
}

/// Short public caching, like Auth0's, so a rotation shows up within seconds.
fn cacheable(body: Value) -> Response {
    let mut res = Json(body).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=15, stale-while-revalidate=15"),
    );
    res
}

async fn jwks(State(ctx): State<Arc<AuthContext>>) -> Response {
    cacheable(ctx.keys.jwks())
}

/// The OIDC discovery document. Endpoints Zeroth does not serve yet are listed only
/// where OpenID Connect Discovery requires them (`authorization_endpoint`) or Auth0's
/// SDKs read them (`userinfo_endpoint`).
async fn openid_configuration(State(ctx): State<Arc<AuthContext>>) -> Response {
    cacheable(discovery(&ctx.tenant.domain))
}

pub fn discovery(domain: &str) -> Value {
    let base = format!("https://{domain}");
    json!({
        "issuer": format!("{base}/"),
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": ["aud", "exp", "iat", "iss", "sub"],
        "request_uri_parameter_supported": false,
    })
}
