//! `POST /oauth/token`: the client_credentials grant for any API the client is granted.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use zeroth_core::bootstrap::system_api;
use zeroth_core::store::{ClientGrantRow, ClientRow, ResourceServerRow};
use zeroth_core::tokens::{
    client_credentials_claims, encode_hs256, now_secs, Alg, Claims, ClientCredentials,
};

use super::client_auth::{authenticate_client, client_creds, ClientCreds, TokenRequest};
use super::error::no_store;
use super::{AuthContext, OAuthError};

/// The token response, in Auth0's field order. Public so the benchmark's RS256-only
/// endpoint answers with exactly what this endpoint sends.
#[derive(Serialize)]
pub struct TokenResponse<'a> {
    pub access_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    pub expires_in: i64,
    pub token_type: &'static str,
}

const CLIENT_CREDENTIALS: &str = "client_credentials";
/// Auth0's default access-token lifetime when the API sets none.
const DEFAULT_LIFETIME_SECS: i64 = 86_400;

pub async fn token(
    State(ctx): State<Arc<AuthContext>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let req = TokenRequest::parse(&headers, &body)?;
    let grant_type = req
        .grant_type
        .as_deref()
        .ok_or_else(|| OAuthError::missing("grant_type"))?;
    if grant_type != CLIENT_CREDENTIALS {
        return Err(OAuthError::unsupported_grant_type(grant_type));
    }
    let creds = client_creds(&headers, &req)?;
    let client = authenticate(&ctx, &creds).await?;
    let audience = req
        .audience
        .as_deref()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            OAuthError::access_denied(
                "No audience parameter was provided, and no default audience has been configured",
            )
        })?;
    let api = find_api(&ctx, audience)
        .await?
        .ok_or_else(|| OAuthError::access_denied(format!("Service not found: {audience}")))?;
    let grant = ctx
        .store
        .find_client_grant_recent(&client.client_id, &api.identifier)
        .await?
        // A grant for users (subject_type "user") does not let the client act as itself.
        .filter(|g| g.doc.get("subject_type").and_then(Value::as_str) != Some("user"))
        .ok_or_else(|| OAuthError::not_authorized_for(audience))?;
    let granted = grant_scopes(&grant, &api);
    let lifetime = api
        .doc
        .get("token_lifetime")
        .and_then(Value::as_i64)
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIFETIME_SECS);
    let issuer = ctx.tenant.issuer();
    let claims = client_credentials_claims(&ClientCredentials {
        issuer: &issuer,
        client_id: &client.client_id,
        audience,
        granted: &granted,
        requested: req.scope.as_deref(),
        lifetime_secs: lifetime,
        now: now_secs(),
    })
    .map_err(|missing| {
        OAuthError::access_denied(format!(
            "Client has not been granted scopes: {}",
            missing.join(", ")
        ))
    })?;
    let access_token = sign(&ctx, &api, &claims)?;
    let mut res = axum::Json(TokenResponse {
        access_token: &access_token,
        scope: claims.scope.as_deref(),
        expires_in: lifetime,
        token_type: "Bearer",
    })
    .into_response();
    no_store(&mut res);
    Ok(res)
}

/// Finds the client, refuses public clients and clients without the grant type, and
/// checks its secret or assertion (client_auth). Unknown client and wrong secret look the same.
/// The reads here and below may be up to `store::FRESH_FOR` old when written on another
/// node (store/cached.rs); writes on this node are seen at once.
async fn authenticate(
    ctx: &AuthContext,
    creds: &ClientCreds,
) -> Result<Arc<ClientRow>, OAuthError> {
    let client = ctx
        .store
        .get_client_recent(&creds.client_id)
        .await?
        .ok_or_else(OAuthError::bad_credentials)?;
    let doc = &client.doc;
    if doc
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
        == Some("none")
    {
        return Err(OAuthError::unauthorized_client(CLIENT_CREDENTIALS));
    }
    authenticate_client(ctx, &client, creds).await?;
    // Clients created before `grant_types` existed may use every legacy grant.
    let allowed = match doc.get("grant_types").and_then(Value::as_array) {
        Some(list) => list.iter().any(|g| g.as_str() == Some(CLIENT_CREDENTIALS)),
        None => true,
    };
    if !allowed {
        return Err(OAuthError::unauthorized_client(CLIENT_CREDENTIALS));
    }
    Ok(client)
}

/// The API whose identifier is `audience`; the Management API under any spelling of
/// this tenant (it keeps the identifier it was created with).
async fn find_api(
    ctx: &AuthContext,
    audience: &str,
) -> Result<Option<Arc<ResourceServerRow>>, OAuthError> {
    if ctx.tenant.is_management_audience(audience) {
        // Fast path: the audience is the spelling the API was created with.
        let direct = ctx.store.get_resource_server_recent(audience).await?;
        if let Some(api) = direct.filter(|a| a.is_system && a.identifier == audience) {
            return Ok(Some(api));
        }
        return system_api(&ctx.store)
            .await
            .map(|api| api.map(Arc::new))
            .map_err(OAuthError::server_error);
    }
    let api = ctx.store.get_resource_server_recent(audience).await?;
    // The store also matches ids; only an identifier names an audience.
    Ok(api.filter(|a| a.identifier == audience))
}

/// The grant's scopes; with `allow_all_scopes`, every scope the API defines. Borrowed
/// from the cached rows: the Management API has 221 scopes and this runs per token.
fn grant_scopes<'a>(grant: &'a ClientGrantRow, api: &'a ResourceServerRow) -> Vec<&'a str> {
    let strings = |v: Option<&'a Value>, key: Option<&str>| -> Vec<&'a str> {
        v.and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|s| match key {
                        Some(k) => s.get(k).and_then(Value::as_str),
                        None => s.as_str(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if grant.doc.get("allow_all_scopes") == Some(&Value::Bool(true)) {
        return strings(api.doc.get("scopes"), Some("value"));
    }
    strings(grant.doc.get("scope"), None)
}

/// Signs with the API's algorithm: the tenant key for RS256/PS256, the API's own
/// secret for HS256.
fn sign(ctx: &AuthContext, api: &ResourceServerRow, claims: &Claims) -> Result<String, OAuthError> {
    let alg = api
        .doc
        .get("signing_alg")
        .and_then(Value::as_str)
        .and_then(Alg::parse)
        .unwrap_or(Alg::RS256);
    match alg {
        Alg::HS256 => {
            let secret = api
                .signing_secret
                .as_ref()
                .ok_or_else(|| OAuthError::server_error("an HS256 API has no signing secret"))?;
            encode_hs256(secret.expose().as_bytes(), claims).map_err(OAuthError::server_error)
        }
        other => ctx
            .keys
            .sign_with(other, claims)
            .map_err(OAuthError::server_error),
    }
}
