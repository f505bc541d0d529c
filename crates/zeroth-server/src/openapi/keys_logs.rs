//! `/api/v2/keys/signing` and `/api/v2/logs`: the tenant's signing keys and log events.

use serde_json::{json, Value};
use zeroth_core::signing_keys::{READ_SCOPES, REVOKE_SCOPES, ROTATE_SCOPES};

use super::common::{boolean, int, list_of, mgmt, string, Op};

fn key() -> Value {
    json!({"type": "object", "required": ["kid"], "properties": {
        "kid": {"type": "string"},
        "cert": {"type": "string"},
        "pkcs7": {"type": "string"},
        "fingerprint": {"type": "string"},
        "thumbprint": {"type": "string"},
        "current": {"type": "boolean"},
        "next": {"type": "boolean"},
        "previous": {"type": "boolean"},
        "revoked": {"type": "boolean"}
    }})
}

fn log_event() -> Value {
    json!({"type": "object", "properties": {
        "log_id": {"type": "string"},
        "date": {"type": "string"},
        "type": {"type": "string"},
        "description": {"type": "string"},
        "client_id": {"type": "string"}
    }})
}

/// Rotate and revoke ignore any body (SDKs send `null`), reading at most 1 MB of it.
fn ignored_body() -> Value {
    json!({"required": false, "content": {"application/json": {"schema": {}}}})
}

pub fn ops() -> Vec<Op> {
    const KEYS: &str = "keys";
    let list = mgmt(
        "/api/v2/keys/signing",
        "get",
        KEYS,
        "List signing keys",
        READ_SCOPES,
    )
    .ok(200, "The keys", json!({"type": "array", "items": key()}));
    let rotate = mgmt(
        "/api/v2/keys/signing/rotate",
        "post",
        KEYS,
        "Rotate the signing key",
        ROTATE_SCOPES,
    )
    .raw_body(ignored_body())
    .ok(
        201,
        "The new current key",
        json!({"type": "object", "required": ["kid"], "properties": {
            "kid": {"type": "string"}, "cert": {"type": "string"}}}),
    );
    let get = mgmt(
        "/api/v2/keys/signing/{kid}",
        "get",
        KEYS,
        "Get a signing key",
        READ_SCOPES,
    )
    .errors(&[404])
    .ok(200, "The key", key());
    let revoke = mgmt(
        "/api/v2/keys/signing/{kid}/revoke",
        "put",
        KEYS,
        "Revoke a previous signing key",
        REVOKE_SCOPES,
    )
    .raw_body(ignored_body())
    .errors(&[404])
    .ok(
        200,
        "The revoked key",
        json!({"type": "object", "required": ["kid"], "properties": {
            "kid": {"type": "string"}, "cert": {"type": "string"}}}),
    );

    const LOGS: &str = "logs";
    let read = &["read:logs", "read:logs_users"];
    let logs = mgmt("/api/v2/logs", "get", LOGS, "Search log events", read)
        .query("page", int(0, i64::from(u32::MAX)), "Page index (0-based).")
        .query("per_page", int(0, 100), "Events per page.")
        .query("include_totals", boolean(), "Wrap the page with totals.")
        .query(
            "from",
            string(),
            "Log id to start after (checkpoint paging).",
        )
        .query("take", int(1, 100), "Events per checkpoint page.")
        .query(
            "sort",
            json!({"type": "string", "enum": ["date:1", "date:-1"]}),
            "Oldest or newest first.",
        )
        .query(
            "q",
            string(),
            "Search by `type` and `client_id` (Lucene-like).",
        )
        .query("fields", string(), "Accepted; every field is returned.")
        .query(
            "include_fields",
            boolean(),
            "Accepted; every field is returned.",
        )
        .query("search_engine", string(), "Accepted; ignored.")
        .ok(200, "The events", list_of("logs", log_event()));
    let log = mgmt("/api/v2/logs/{id}", "get", LOGS, "Get a log event", read)
        .errors(&[404])
        .ok(200, "The event", log_event());
    vec![
        list.build(),
        rotate.build(),
        get.build(),
        revoke.build(),
        logs.build(),
        log.build(),
    ]
}
