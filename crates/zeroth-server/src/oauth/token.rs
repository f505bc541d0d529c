//! `POST /oauth/token`: the client_credentials grant for the Management API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use zeroth_core::store::{ClientGrantRow, ClientRow};
use zeroth_core::tokens::{client_credentials_claims, now_secs, ClientCredentials};

use super::client_auth::{authenticate_client, client_creds, ClientCreds, TokenRequest};
use super::error::no_store;
use super::{AuthContext, OAuthError};

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
    if !ctx.tenant.is_management_audience(audience) {
        return Err(OAuthError::access_denied(format!(
            "Service not found: {audience}"
        )));
    }
    let grant = find_grant(&ctx, &client.client_id, audience)
        .await?
        .ok_or_else(|| OAuthError::not_authorized_for(audience))?;
    let granted = grant_scopes(&grant);
    let lifetime = lifetime_secs(&ctx, &grant.audience).await?;
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
    let access_token = ctx.keys.sign(&claims).map_err(OAuthError::server_error)?;
    let mut body = json!({"access_token": access_token});
    if let (Some(scope), Some(obj)) = (&claims.scope, body.as_object_mut()) {
        obj.insert("scope".into(), json!(scope));
    }
    if let Some(obj) = body.as_object_mut() {
        obj.insert("expires_in".into(), json!(lifetime));
        obj.insert("token_type".into(), json!("Bearer"));
    }
    let mut res = axum::Json(body).into_response();
    no_store(&mut res);
    Ok(res)
}

/// Finds the client, refuses public clients and clients without the grant type, and
/// checks its secret or assertion (client_auth). Unknown client and wrong secret look the same.
async fn authenticate(ctx: &AuthContext, creds: &ClientCreds) -> Result<ClientRow, OAuthError> {
    let client = ctx
        .store
        .get_client(&creds.client_id)
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

/// The grant for `audience`, or for the Management API under its canonical spelling
/// when the caller used an alias (`127.0.0.1:PORT` for `localhost:PORT`).
async fn find_grant(
    ctx: &AuthContext,
    client_id: &str,
    audience: &str,
) -> Result<Option<ClientGrantRow>, OAuthError> {
    if let Some(g) = ctx.store.find_client_grant(client_id, audience).await? {
        return Ok(Some(g));
    }
    let canonical = ctx.tenant.management_audience();
    if canonical != audience && ctx.tenant.is_management_audience(audience) {
        return Ok(ctx.store.find_client_grant(client_id, &canonical).await?);
    }
    Ok(None)
}

fn grant_scopes(grant: &ClientGrantRow) -> Vec<String> {
    grant
        .doc
        .get("scope")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The API's `token_lifetime`, else Auth0's default.
async fn lifetime_secs(ctx: &AuthContext, identifier: &str) -> Result<i64, OAuthError> {
    let api = ctx.store.get_resource_server(identifier).await?;
    Ok(api
        .and_then(|rs| rs.doc.get("token_lifetime").and_then(Value::as_i64))
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIFETIME_SECS))
}
