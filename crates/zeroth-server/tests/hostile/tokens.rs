//! Forged and misdirected tokens on every resource beyond clients (tests/api/auth_errors.rs has those).

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::Method;
use serde_json::json;
use zeroth_core::crypto::keys::{generate_signing_key, KeyRing};
use zeroth_core::store::KeyState;
use zeroth_core::tokens::{now_secs, Audience, Claims, TokenKeys};

use crate::support::TestApp;

/// Every scope the admin holds, so only the token's flaw can explain a refusal.
const SCOPES: &str = "read:resource_servers create:resource_servers update:resource_servers \
    delete:resource_servers read:client_grants create:client_grants update:client_grants \
    delete:client_grants read:client_credentials create:client_credentials \
    update:client_credentials delete:client_credentials read:signing_keys \
    create:signing_keys update:signing_keys read:logs";

const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v2/resource-servers"),
    ("POST", "/api/v2/resource-servers"),
    ("GET", "/api/v2/resource-servers/abc"),
    ("PATCH", "/api/v2/resource-servers/abc"),
    ("DELETE", "/api/v2/resource-servers/abc"),
    ("GET", "/api/v2/client-grants"),
    ("POST", "/api/v2/client-grants"),
    ("PATCH", "/api/v2/client-grants/abc"),
    ("DELETE", "/api/v2/client-grants/abc"),
    ("GET", "/api/v2/clients/abc/credentials"),
    ("POST", "/api/v2/clients/abc/credentials"),
    ("GET", "/api/v2/clients/abc/credentials/cred_x"),
    ("PATCH", "/api/v2/clients/abc/credentials/cred_x"),
    ("DELETE", "/api/v2/clients/abc/credentials/cred_x"),
    ("GET", "/api/v2/keys/signing"),
    ("POST", "/api/v2/keys/signing/rotate"),
    ("GET", "/api/v2/keys/signing/abc"),
    ("PUT", "/api/v2/keys/signing/abc/revoke"),
    ("GET", "/api/v2/logs"),
    ("GET", "/api/v2/logs/abc"),
];

fn claims(app: &TestApp) -> Claims {
    let now = now_secs();
    Claims {
        iss: format!("https://{}/", app.domain),
        sub: format!("{}@clients", app.admin_id),
        aud: Audience::One(app.audience()),
        iat: Some(now),
        exp: now + 3600,
        nbf: None,
        scope: Some(SCOPES.into()),
        gty: Some("client-credentials".into()),
        azp: Some(app.admin_id.clone()),
        extra: serde_json::Map::new(),
        granted_memo: Default::default(),
    }
}

fn sign(app: &TestApp, c: &Claims) -> String {
    app.running.state.auth.keys.sign(c).unwrap()
}

/// Asserts every endpoint answers `message` as a 401 envelope with a Bearer challenge,
/// and that nothing the forged token asked for happened.
async fn assert_refused_everywhere(app: &TestApp, token: &str, message: &str) {
    for (m, path) in ENDPOINTS {
        let req = app
            .http
            .request(Method::from_bytes(m.as_bytes()).unwrap(), app.url(path))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .json(&json!({"name": "x"}));
        let res = app.send(req).await;
        res.assert_envelope(401);
        assert_eq!(res.message(), message, "{m} {path}");
        let www = res.headers.get(WWW_AUTHENTICATE).unwrap().to_str().unwrap();
        assert!(www.starts_with("Bearer"), "{www}");
    }
    app.assert_alive().await;
}

#[tokio::test]
async fn the_genuine_token_passes_the_bearer_check() {
    // The control: the same claims signed by the tenant reach the handlers (no 401).
    let app = TestApp::spawn().await;
    let token = sign(&app, &claims(&app));
    for (m, path) in ENDPOINTS {
        let res = app
            .call(
                Method::from_bytes(m.as_bytes()).unwrap(),
                &token,
                path,
                Some(&json!({})),
            )
            .await;
        assert_ne!(res.status, 401, "{m} {path}: {:#}", res.json);
    }
}

#[tokio::test]
async fn alg_none_is_refused_on_every_resource() {
    let app = TestApp::spawn().await;
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let body = serde_json::to_value(claims(&app)).unwrap();
    for header in [
        json!({"alg": "none", "typ": "JWT"}),
        json!({"alg": "None"}),
        json!({"alg": "HS256"}),
    ] {
        let token = format!("{}.{}.", b64(header.clone()), b64(body.clone()));
        assert_refused_everywhere(&app, &token, "Invalid token").await;
    }
    // A genuine signature under an edited header (alg swapped) no longer verifies.
    let genuine = sign(&app, &claims(&app));
    let mut parts: Vec<&str> = genuine.split('.').collect();
    let none = b64(json!({"alg": "none"}));
    parts[0] = &none;
    assert_refused_everywhere(&app, &parts.join("."), "Invalid token").await;
}

#[tokio::test]
async fn a_foreign_key_and_a_foreign_issuer_are_refused() {
    let app = TestApp::spawn().await;
    let row = generate_signing_key(&app.domain, KeyState::Current, 1).unwrap();
    let foreign = TokenKeys::new(KeyRing::from_rows(&[row]).unwrap());
    let token = foreign.sign(&claims(&app)).unwrap();
    assert_refused_everywhere(&app, &token, "Invalid token").await;

    let mut c = claims(&app);
    c.iss = "https://evil.example.com/".into();
    assert_refused_everywhere(&app, &sign(&app, &c), "Invalid token").await;
}

#[tokio::test]
async fn another_audience_and_a_past_exp_are_refused() {
    let app = TestApp::spawn().await;
    let mut c = claims(&app);
    c.aud = Audience::One("https://api.example.com/".into());
    assert_refused_everywhere(
        &app,
        &sign(&app, &c),
        "Bad audience: https://api.example.com/",
    )
    .await;

    let mut c = claims(&app);
    c.iat = Some(now_secs() - 7200);
    c.exp = now_secs() - 60;
    assert_refused_everywhere(
        &app,
        &sign(&app, &c),
        "Expired token received for JSON Web Token validation",
    )
    .await;
}
