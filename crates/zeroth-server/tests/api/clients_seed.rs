//! PATCH /api/v2/clients/{id} with the seed's "Update a client" body: refused as shipped, taken with valid values.

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
