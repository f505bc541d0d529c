//! PATCH /api/v2/clients/{id}: two-level merge, null deletion and refusals.

use serde_json::json;

use crate::support::{id_of, TestApp};

#[tokio::test]
async fn objects_merge_two_levels_deep_and_null_deletes() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app
        .create_client(json!({
            "name": "Merge",
            "jwt_configuration": {"alg": "HS256", "lifetime_in_seconds": 36000},
            "client_metadata": {"a": "1", "b": "2"},
            "mobile": {
                "android": {"app_package_name": "com.example", "sha256_cert_fingerprints": ["AB"]},
                "ios": {"team_id": "T1", "app_bundle_identifier": "com.example.ios"}
            },
            "addons": {
                "samlp": {"audience": "urn:x", "mappings": {"email": "mail"}},
                "slack": {"team": "acme"}
            },
            "callbacks": ["https://a.example.com", "https://b.example.com"]
        }))
        .await;
    let path = format!("/api/v2/clients/{}", id_of(&c));

    let res = app
        .patch(
            &token,
            &path,
            &json!({
                "jwt_configuration": {"alg": "RS256"},
                "client_metadata": {"a": null, "c": "3"},
                "mobile": {"android": {"app_package_name": "com.other"}},
                "addons": {"samlp": {"audience": "urn:y"}},
                "callbacks": ["https://c.example.com"]
            }),
        )
        .await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    let u = &res.json;
    assert_eq!(
        u["jwt_configuration"],
        json!({"alg": "RS256", "lifetime_in_seconds": 36000, "secret_encoded": false})
    );
    assert_eq!(u["client_metadata"], json!({"b": "2", "c": "3"}));
    // One level down the value is replaced whole: the fingerprints are gone, ios stays.
    assert_eq!(
        u["mobile"]["android"],
        json!({"app_package_name": "com.other"})
    );
    assert_eq!(u["mobile"]["ios"], c["mobile"]["ios"]);
    assert_eq!(u["addons"]["samlp"], json!({"audience": "urn:y"}));
    assert_eq!(u["addons"]["slack"], json!({"team": "acme"}));
    assert_eq!(u["callbacks"], json!(["https://c.example.com"]));

    // Nulling the last metadata key keeps an empty object; null at the top removes.
    let res = app
        .patch(
            &token,
            &path,
            &json!({"client_metadata": {"b": null, "c": null}, "addons": null}),
        )
        .await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    assert_eq!(res.json["client_metadata"], json!({}));
    assert!(res.json.get("addons").is_none(), "{:#}", res.json);
    let read = app.get(&token, &path).await;
    assert_eq!(read.json, res.json);

    // One level down, null is only taken where the schema allows it (Auth0's types):
    // `mobile.ios` is an object, so null there is a 400 and nothing changes.
    let res = app
        .patch(
            &token,
            &path,
            &json!({"mobile": {"ios": null}, "name": "changed"}),
        )
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Invalid type: null (expected object)' on property mobile.ios.",
    );
    assert_eq!(app.get(&token, &path).await.json, read.json);
}

#[tokio::test]
async fn empty_unknown_and_read_only_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app.create_client(json!({"name": "Strict"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&c));

    let res = app.patch(&token, &path, &json!({})).await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Too few properties defined (0), minimum 1'.",
    );
    let res = app
        .patch(
            &token,
            &path,
            &json!({"name": "ok", "client_id": "x", "signing_keys": [], "colour": "red"}),
        )
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Additional properties not allowed: client_id,signing_keys,colour'.",
    );
    let res = app
        .patch(&token, &path, &json!({"tenant": "other", "global": true}))
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Additional properties not allowed: tenant,global'.",
    );
    // A bad body is a 400 even for an unknown id (the body is checked first).
    let res = app
        .patch(&token, "/api/v2/clients/unknown", &json!({"name": ""}))
        .await;
    assert_eq!(res.status, 400);
    let res = app
        .patch(&token, "/api/v2/clients/unknown", &json!({"name": "fine"}))
        .await;
    res.assert_error(404, Some("inexistent_client"), "The client does not exist");

    let after = app.get(&token, &path).await;
    assert_eq!(after.json, c);
}
