//! Each resource's operations need their own Management API scope.

use reqwest::Method;
use serde_json::json;

use crate::{both_engines, envelope, App};

async fn scopes_are_enforced(app: &App) {
    let (id, secret) = app.m2m("reader").await;
    app.grant(&id, &app.mgmt_audience(), json!(["read:resource_servers"]))
        .await;
    let (_, t) = app
        .token_for(&id, &secret, &app.mgmt_audience(), None)
        .await;
    let token = t["access_token"].as_str().unwrap();
    let (s, _) = app
        .call_as(token, Method::GET, "/resource-servers", None)
        .await;
    assert_eq!(s, 200);
    for (method, path, scope) in [
        (Method::POST, "/resource-servers", "create:resource_servers"),
        (
            Method::PATCH,
            "/resource-servers/x",
            "update:resource_servers",
        ),
        (
            Method::DELETE,
            "/resource-servers/x",
            "delete:resource_servers",
        ),
        (Method::GET, "/client-grants", "read:client_grants"),
        (Method::POST, "/client-grants", "create:client_grants"),
    ] {
        let body = (method != Method::GET && method != Method::DELETE)
            .then(|| json!({"identifier": "urn:x", "audience": "urn:x", "client_id": "x"}));
        let (s, body) = app.call_as(token, method, path, body).await;
        assert_eq!(s, 403, "{path}");
        assert_eq!(
            body,
            envelope(
                403,
                "Forbidden",
                &format!("Insufficient scope, expected any of: {scope}"),
                "insufficient_scope"
            )
        );
    }
}
both_engines!(scopes_are_enforced);
