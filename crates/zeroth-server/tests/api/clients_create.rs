//! POST /api/v2/clients: defaults, generated formats, grant types by app type, refusals.

use serde_json::json;

use crate::support::{id_of, TestApp};

const FOUR_GRANTS: [&str; 4] = [
    "authorization_code",
    "implicit",
    "refresh_token",
    "client_credentials",
];

#[tokio::test]
async fn a_name_alone_creates_a_client_with_auth0_defaults() {
    let app = TestApp::spawn().await;
    let res = app
        .post(
            &app.admin_token().await,
            "/api/v2/clients",
            &json!({"name": "My App"}),
        )
        .await;
    assert_eq!(res.status, 201, "{:#}", res.json);
    let c = &res.json;

    let id = id_of(c);
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|ch| ch.is_ascii_alphanumeric()), "{id}");
    let secret = c["client_secret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert!(
        secret
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'),
        "{secret}"
    );

    assert_eq!(c["name"], "My App");
    assert_eq!(c["tenant"], "localhost");
    assert_eq!(c["global"], false);
    assert_eq!(c["is_first_party"], true);
    assert_eq!(c["oidc_conformant"], false);
    assert_eq!(c["is_token_endpoint_ip_header_trusted"], false);
    assert_eq!(c["sso_disabled"], false);
    assert_eq!(c["cross_origin_authentication"], false);
    assert_eq!(c["cross_origin_auth"], false);
    assert_eq!(c["callback_url_template"], false);
    assert_eq!(c["custom_login_page_on"], true);
    assert_eq!(c["grant_types"], json!(FOUR_GRANTS));
    assert_eq!(
        c["jwt_configuration"],
        json!({"lifetime_in_seconds": 36000, "secret_encoded": false})
    );
    assert_eq!(
        c["refresh_token"],
        json!({
            "rotation_type": "non-rotating",
            "expiration_type": "non-expiring",
            "leeway": 0,
            "token_lifetime": 2592000,
            "infinite_token_lifetime": true,
            "infinite_idle_token_lifetime": true,
            "idle_token_lifetime": 1296000
        })
    );
    let keys = c["signing_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys[0]["cert"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----\r\n"));
    assert!(keys[0]["pkcs7"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PKCS7-----\r\n"));
    assert_eq!(keys[0]["subject"], "deprecated");
    // Auth0 leaves these out until they are sent.
    for absent in [
        "app_type",
        "token_endpoint_auth_method",
        "callbacks",
        "addons",
    ] {
        assert!(c.get(absent).is_none(), "{absent} should be absent: {c:#}");
    }

    // What was answered is what is stored.
    let again = app
        .get(&app.admin_token().await, &format!("/api/v2/clients/{id}"))
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json, res.json);
}

#[tokio::test]
async fn grant_types_follow_app_type_and_token_endpoint_auth_method() {
    let app = TestApp::spawn().await;
    let public = ["authorization_code", "implicit", "refresh_token"];
    let cases = [
        (
            json!({"name": "spa", "app_type": "spa", "token_endpoint_auth_method": "none"}),
            json!(public),
        ),
        (
            json!({"name": "native", "app_type": "native", "token_endpoint_auth_method": "none"}),
            json!(public),
        ),
        (
            json!({"name": "web", "app_type": "regular_web"}),
            json!(FOUR_GRANTS),
        ),
        (
            json!({"name": "m2m", "app_type": "non_interactive", "token_endpoint_auth_method": "client_secret_post"}),
            json!(FOUR_GRANTS),
        ),
        (
            json!({"name": "sso", "app_type": "sso_integration"}),
            json!(FOUR_GRANTS),
        ),
        (
            json!({"name": "explicit", "app_type": "spa", "grant_types": ["implicit"]}),
            json!(["implicit"]),
        ),
    ];
    for (body, grants) in cases {
        let c = app.create_client(body.clone()).await;
        assert_eq!(c["grant_types"], grants, "for {body}");
        assert_eq!(c["app_type"], body["app_type"], "app_type is echoed");
        if let Some(m) = body.get("token_endpoint_auth_method") {
            assert_eq!(&c["token_endpoint_auth_method"], m);
        }
    }
}

#[tokio::test]
async fn a_public_client_cannot_hold_the_client_credentials_grant() {
    let app = TestApp::spawn().await;
    let body = json!({
        "name": "bad",
        "token_endpoint_auth_method": "none",
        "grant_types": ["client_credentials"]
    });
    let res = app
        .post(&app.admin_token().await, "/api/v2/clients", &body)
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Invalid grant types: client_credentials",
    );
}

#[tokio::test]
async fn given_values_are_kept_and_a_given_secret_is_used() {
    let app = TestApp::spawn().await;
    let c = app
        .create_client(json!({
            "name": "Kept",
            "description": "short",
            "client_secret": "my-own-secret+with=odd/chars",
            "callbacks": ["https://app.example.com/cb"],
            "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": 600},
            "client_metadata": {"team": "blue"},
            "is_first_party": false
        }))
        .await;
    assert_eq!(c["client_secret"], "my-own-secret+with=odd/chars");
    assert_eq!(c["description"], "short");
    assert_eq!(c["callbacks"], json!(["https://app.example.com/cb"]));
    assert_eq!(c["jwt_configuration"]["alg"], "RS256");
    assert_eq!(c["jwt_configuration"]["lifetime_in_seconds"], 600);
    assert_eq!(c["client_metadata"], json!({"team": "blue"}));
    assert_eq!(c["is_first_party"], false);
    // The given secret works at the token endpoint's client authentication.
    let err = app
        .token_for(&id_of(&c), "my-own-secret+with=odd/chars", None)
        .await
        .unwrap_err();
    // Authenticated, but this client holds no grant for the Management API.
    assert_eq!(err.status, 403, "{:#}", err.json);
}

#[tokio::test]
async fn create_refuses_bodies_auth0_refuses() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let res = app.post(&token, "/api/v2/clients", &json!({})).await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Missing required property: name'.",
    );
    let res = app
        .post(
            &token,
            "/api/v2/clients",
            &json!({"name": "x", "client_id": "abc", "tenant": "t"}),
        )
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'Additional properties not allowed: client_id,tenant'.",
    );
    let res = app
        .post(&token, "/api/v2/clients", &json!({"name": "<script>"}))
        .await;
    assert_eq!(res.status, 400);
    assert!(
        res.message().ends_with("on property name."),
        "{}",
        res.message()
    );
    let res = app
        .post(
            &token,
            "/api/v2/clients",
            &json!({"name": "x", "app_type": "robot"}),
        )
        .await;
    res.assert_error(
        400,
        Some("invalid_body"),
        "Payload validation error: 'No enum match for: \"robot\"' on property app_type.",
    );
    // Nothing half-made: only the tenant's own clients exist.
    let list = app.get(&token, "/api/v2/clients").await;
    assert!(list
        .json
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["name"] != "x"));
}

#[tokio::test]
async fn create_needs_create_clients_and_the_creator_sees_the_secret_once() {
    let app = TestApp::spawn().await;
    let reader = app.token_with_scopes(&["read:clients"]).await;
    let res = app
        .post(&reader, "/api/v2/clients", &json!({"name": "nope"}))
        .await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "Insufficient scope, expected any of: create:clients",
    );

    let creator = app.token_with_scopes(&["create:clients"]).await;
    let res = app
        .post(&creator, "/api/v2/clients", &json!({"name": "mine"}))
        .await;
    assert_eq!(res.status, 201);
    assert_eq!(res.json["client_secret"].as_str().unwrap().len(), 64);
}
