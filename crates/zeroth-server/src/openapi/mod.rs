//! Zeroth's own OpenAPI 3.1 document at `/api/v2/openapi.json`, built from the validator's schemas.

mod client_grants;
mod clients;
mod common;
mod keys_logs;
mod public;
mod resource_servers;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use zeroth_core::scopes::MANAGEMENT_SCOPES;

use crate::state::AppState;

pub use common::Op;

/// Public like Auth0's published spec: it describes the API, not the tenant's data.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v2/openapi.json", get(serve))
}

async fn serve(State(state): State<AppState>) -> Json<Value> {
    Json(document(&state.tenant().domain))
}

/// Every documented operation, in document order.
pub fn operations() -> Vec<Op> {
    let mut ops = clients::ops();
    ops.extend(resource_servers::ops());
    ops.extend(client_grants::ops());
    ops.extend(keys_logs::ops());
    ops.extend(public::ops());
    ops
}

/// The whole document for the tenant at `domain`.
pub fn document(domain: &str) -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let item = paths
            .entry(op.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(item) = item.as_object_mut() {
            item.insert(op.method.to_string(), op.doc);
        }
    }
    let scopes: Map<String, Value> = MANAGEMENT_SCOPES
        .iter()
        .map(|(s, d)| ((*s).to_string(), json!(d)))
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Zeroth Management API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The subset of Auth0's Management and Authentication APIs that Zeroth implements."
        },
        "servers": [{"url": format!("https://{domain}")}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": error_schema(),
                "OAuthError": {
                    "type": "object", "required": ["error", "error_description"],
                    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}
                }
            },
            "responses": error_responses(),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "oAuth2ClientCredentials": {"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": format!("https://{domain}/oauth/token"),
                    "scopes": scopes
                }}}
            }
        }
    })
}

/// Auth0's error envelope.
fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["statusCode", "error", "message"],
        "properties": {
            "statusCode": {"type": "integer", "minimum": 400, "maximum": 599},
            "error": {"type": "string"},
            "message": {"type": "string"},
            "errorCode": {"type": "string"}
        }
    })
}

const ERRORS: &[(u16, &str)] = &[
    (400, "Invalid request (body, query or Authorization header)"),
    (401, "Missing, invalid or expired token"),
    (403, "The token lacks the scope"),
    (404, "No such resource"),
    (409, "Conflicts with an existing resource"),
    (413, "Body over 1 MB"),
    (415, "Body of a type other than JSON or a form"),
    (429, "Too many requests"),
];

fn error_responses() -> Value {
    let map: Map<String, Value> = ERRORS
        .iter()
        .map(|(status, description)| {
            (
                format!("E{status}"),
                json!({"description": description, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}),
            )
        })
        .collect();
    Value::Object(map)
}
