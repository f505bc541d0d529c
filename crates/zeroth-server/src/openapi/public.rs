//! The endpoints anyone may call: `/oauth/token`, discovery, probes and this document.

use serde_json::{json, Value};

use super::common::{public, Op};

/// The token request, as a form (RFC 6749) or JSON (Auth0 accepts both).
fn token_request() -> Value {
    json!({"type": "object", "required": ["grant_type"], "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string"},
        "audience": {"type": "string"},
        "scope": {"type": "string"},
        "client_assertion": {"type": "string"},
        "client_assertion_type": {"type": "string"}
    }})
}

fn object() -> Value {
    json!({"type": "object"})
}

pub fn ops() -> Vec<Op> {
    let body = token_request();
    let token = public("/oauth/token", "post", "oauth", "Get an access token")
        .raw_body(json!({"required": true, "content": {
            "application/x-www-form-urlencoded": {"schema": body},
            "application/json": {"schema": body}
        }}))
        .ok(
            200,
            "An access token",
            json!({"type": "object", "required": ["access_token", "token_type"], "properties": {
                "access_token": {"type": "string"},
                "token_type": {"type": "string", "enum": ["Bearer"]},
                "expires_in": {"type": "integer"},
                "scope": {"type": "string"}
            }}),
        )
        .oauth_errors(&[400, 401, 403])
        .errors(&[413, 415, 429]);
    let jwks = public(
        "/.well-known/jwks.json",
        "get",
        "discovery",
        "The tenant's public keys",
    )
    .ok(
        200,
        "A JSON Web Key Set",
        json!({"type": "object", "required": ["keys"], "properties": {
                "keys": {"type": "array", "items": {"type": "object"}}}}),
    );
    let oidc = public(
        "/.well-known/openid-configuration",
        "get",
        "discovery",
        "OpenID Connect discovery",
    )
    .ok(200, "The discovery document", object());
    let spec = public("/api/v2/openapi.json", "get", "discovery", "This document").ok(
        200,
        "An OpenAPI 3.1 document",
        object(),
    );
    let live =
        public("/healthz", "get", "health", "Liveness").ok(200, "The process answers", object());
    let ready = public("/readyz", "get", "health", "Readiness")
        .ok(200, "Database and signing keys are ready", object())
        .ok(503, "Not ready", object());
    vec![
        token.build(),
        jwks.build(),
        oidc.build(),
        spec.build(),
        live.build(),
        ready.build(),
    ]
}
