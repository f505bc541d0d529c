//! PATCH /api/v2/clients/{id}: the seed body, two-level merge, null deletion and refusals.

use serde_json::{json, Value};

use crate::support::{id_of, TestApp};

/// The seed's "Update a client" body exactly as shipped (every value empty or zero).
fn seed_body() -> Value {
    serde_json::from_str(include_str!("seed_update_a_client.json")).unwrap()
}

/// The seed body with a valid value in every place.
fn valid_seed_body() -> Value {
    json!({
        "name": "Seeded App",
        "client_secret": "a-new-secret-chosen-by-the-operator",
        "logo_uri": "https://example.com/logo.png",
        "callbacks": ["https://example.com/callback"],
        "allowed_origins": ["https://example.com"],
        "client_aliases": ["urn:example:alias"],
        "allowed_clients": ["some-other-client"],
        "allowed_logout_urls": ["https://example.com/logout"],
        "jwt_configuration": {
            "lifetime_in_seconds": 3600,
            "secret_encoded": true,
            "scopes": {},
            "alg": "RS256"
        },
        "encryption_key": {"pub": "PUBLIC KEY", "cert": "CERT", "subject": "/CN=example.com"},
        "sso": true,
        "custom_login_page_on": true,
        "token_endpoint_auth_method": "client_secret_post",
        "app_type": "regular_web",
        "is_first_party": true,
        "custom_login_page": "<html>login</html>",
        "custom_login_page_preview": "<html>preview</html>",
        "form_template": "<form></form>",
        "addons": {
            "aws": {}, "azure_blob": {}, "azure_sb": {},
            "rms": {"url": "https://rms.example.com"},
            "mscrm": {"url": "https://crm.example.com"},
            "slack": {"team": "acme"},
            "box": {}, "cloudbees": {}, "concur": {}, "dropbox": {}, "echosign": {},
            "egnyte": {}, "firebase": {}, "newrelic": {}, "office365": {}, "salesforce": {},
            "salesforce_api": {}, "salesforce_sandbox_api": {}, "samlp": {},
            "layer": {"providerId": "p", "keyId": "k", "privateKey": "pk"},
            "sap_api": {}, "sharepoint": {}, "springcm": {}, "wams": {}, "wsfed": {},
            "zendesk": {}, "zoom": {}
        },
        "resource_servers": [{"identifier": "https://api.example.com", "scopes": ["read:things"]}],
        "client_metadata": {},
        "mobile": {"android": {}, "ios": {}}
    })
}

/// The property paths named in an `invalid_body` message.
fn named_properties(message: &str) -> Vec<String> {
    message
        .split(" (also) ")
        .filter_map(|p| p.strip_suffix('.'))
        .filter_map(|p| p.rsplit_once(" on property "))
        .map(|(_, path)| path.to_string())
        .collect()
}

#[tokio::test]
async fn the_literal_seed_body_is_refused_naming_each_invalid_property() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let before = app.create_client(json!({"name": "Before"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&before));

    let res = app.patch(&token, &path, &seed_body()).await;
    assert_eq!(res.status, 400, "{:#}", res.json);
    assert_eq!(res.json["errorCode"], "invalid_body");
    assert_eq!(res.json["error"], "Bad Request");
    let msg = res.message();
    for part in msg.split(" (also) ") {
        assert!(part.starts_with("Payload validation error: '"), "{part}");
    }
    let named = named_properties(msg);
    for expected in [
        "name",
        "client_secret",
        "callbacks[0]",
        "allowed_origins[0]",
        "client_aliases[0]",
        "allowed_clients[0]",
        "allowed_logout_urls[0]",
        "jwt_configuration.alg",
        "token_endpoint_auth_method",
        "app_type",
        "addons.rms",
        "addons.mscrm",
        "addons.slack",
        "addons.layer",
        "resource_servers[0].identifier",
        "resource_servers[0].scopes[0]",
    ] {
        assert!(
            named.iter().any(|n| n == expected),
            "{expected} not named in: {msg}"
        );
    }
    assert!(
        // Auth0's name has a pattern but no minLength, so "" fails the pattern.
        msg.contains("'String does not match pattern ^[^<>]+$: ' on property name."),
        "{msg}"
    );
    assert!(
        msg.contains("'Missing required property: url' on property addons.rms."),
        "{msg}"
    );

    let after = app.get(&token, &path).await;
    assert_eq!(after.json, before, "a refused PATCH changes nothing");
}

#[tokio::test]
async fn the_seed_body_with_valid_values_updates_the_whole_client() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let before = app.create_client(json!({"name": "Before"})).await;
    let id = id_of(&before);
    let path = format!("/api/v2/clients/{id}");
    let body = valid_seed_body();

    let res = app.patch(&token, &path, &body).await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    let c = &res.json;
    for (key, value) in body.as_object().unwrap() {
        assert_eq!(&c[key], value, "{key} is echoed as sent");
    }
    assert_eq!(c["client_id"], id.as_str());
    // Untouched properties survive; grant types were not recomputed.
    assert_eq!(c["refresh_token"], before["refresh_token"]);
    assert_eq!(c["grant_types"], before["grant_types"]);
    assert_eq!(c["tenant"], "localhost");

    let read = app.get(&token, &path).await;
    assert_eq!(&read.json, c, "GET shows what PATCH answered");

    // The chosen secret is now the client's secret at /oauth/token (authenticates,
    // then is refused only for lacking a grant).
    let err = app
        .token_for(&id, "a-new-secret-chosen-by-the-operator", None)
        .await
        .unwrap_err();
    assert_eq!(err.status, 403, "{:#}", err.json);
}

#[tokio::test]
async fn writing_keys_needs_update_client_keys_and_changes_nothing_without_it() {
    let app = TestApp::spawn().await;
    let before = app.create_client(json!({"name": "Before"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&before));
    let token = app
        .token_with_scopes(&["update:clients", "read:clients", "read:client_keys"])
        .await;

    let res = app.patch(&token, &path, &valid_seed_body()).await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "You cannot update the following fields: client_secret, encryption_key",
    );
    let after = app.get(&app.admin_token().await, &path).await;
    assert_eq!(after.json, before);

    // Without any update scope the endpoint itself is closed.
    let reader = app.token_with_scopes(&["read:clients"]).await;
    let res = app.patch(&reader, &path, &json!({"name": "x"})).await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "Insufficient scope, expected any of: update:clients, update:client_keys, \
         update:client_credentials, update:client_token_vault_privileged_access",
    );
}

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
