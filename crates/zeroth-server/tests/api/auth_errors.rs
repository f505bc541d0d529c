//! The bearer check on every clients endpoint: 401s with Auth0's envelope and WWW-Authenticate.

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::Method;
use serde_json::json;
use zeroth_core::crypto::keys::{generate_signing_key, KeyRing};
use zeroth_core::store::KeyState;
use zeroth_core::tokens::{now_secs, Audience, Claims, TokenKeys};

use crate::support::{Res, TestApp};

/// Claims like the admin's real token: this issuer, the Management API, valid an hour.
fn admin_claims(app: &TestApp, scope: &str) -> Claims {
    let now = now_secs();
    Claims {
        iss: format!("https://{}/", app.domain),
        sub: format!("{}@clients", app.admin_id),
        aud: Audience::One(app.audience()),
        iat: Some(now),
        exp: now + 3600,
        nbf: None,
        scope: Some(scope.to_string()),
        gty: Some("client-credentials".into()),
        azp: Some(app.admin_id.clone()),
        extra: serde_json::Map::new(),
        granted_memo: Default::default(),
    }
}

/// Signs `claims` with a key the tenant never heard of.
fn sign_with_foreign_key(app: &TestApp, claims: &Claims) -> String {
    let row = generate_signing_key(&app.domain, KeyState::Current, 1).unwrap();
    let keys = TokenKeys::new(KeyRing::from_rows(&[row]).unwrap());
    keys.sign(claims).unwrap()
}

const EXPIRED: &str = "Expired token received for JSON Web Token validation";

/// Every clients endpoint, so each refusal is checked on all of them.
const ENDPOINTS: [(&str, &str); 6] = [
    ("GET", "/api/v2/clients"),
    ("POST", "/api/v2/clients"),
    ("GET", "/api/v2/clients/abc"),
    ("PATCH", "/api/v2/clients/abc"),
    ("DELETE", "/api/v2/clients/abc"),
    ("POST", "/api/v2/clients/abc/rotate-secret"),
];

async fn call_all(app: &TestApp, authorization: Option<&str>) -> Vec<Res> {
    let mut out = Vec::new();
    for (method, path) in ENDPOINTS {
        let mut req = app
            .http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(path),
            )
            .json(&json!({"name": "x"}));
        if let Some(a) = authorization {
            req = req.header(AUTHORIZATION, a);
        }
        out.push(app.send(req).await);
    }
    out
}

#[track_caller]
fn assert_unauthorized(res: &Res, message: &str) {
    res.assert_error(401, None, message);
    let www = res.headers.get(WWW_AUTHENTICATE).unwrap().to_str().unwrap();
    assert!(www.starts_with("Bearer"), "{www}");
}

#[tokio::test]
async fn no_authorization_header_is_missing_authentication() {
    let app = TestApp::spawn().await;
    for res in call_all(&app, None).await {
        assert_unauthorized(&res, "Missing authentication");
    }
    // Another scheme is no bearer authentication at all.
    for res in call_all(&app, Some("Basic dXNlcjpwYXNz")).await {
        assert_unauthorized(&res, "Missing authentication");
    }
}

#[tokio::test]
async fn garbage_and_unsigned_tokens_are_invalid() {
    let app = TestApp::spawn().await;
    for res in call_all(&app, Some("Bearer not-a-jwt")).await {
        assert_unauthorized(&res, "Invalid token");
    }
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let claims = serde_json::to_value(admin_claims(&app, "read:clients delete:clients")).unwrap();
    let unsigned = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "typ": "JWT"})),
        b64(claims)
    );
    for res in call_all(&app, Some(&format!("Bearer {unsigned}"))).await {
        assert_unauthorized(&res, "Invalid token");
    }
}

#[tokio::test]
async fn a_token_signed_by_a_foreign_key_is_invalid() {
    let app = TestApp::spawn().await;
    let forged = sign_with_foreign_key(&app, &admin_claims(&app, "read:clients"));
    for res in call_all(&app, Some(&format!("Bearer {forged}"))).await {
        assert_unauthorized(&res, "Invalid token");
    }
    // The same claims signed by the tenant are accepted (the refusal is the key's).
    let genuine = app.sign_as_tenant(&admin_claims(&app, "read:clients"));
    assert_eq!(app.get(&genuine, "/api/v2/clients").await.status, 200);
}

#[tokio::test]
async fn expired_tokens_and_other_audiences_are_refused() {
    let app = TestApp::spawn().await;
    let mut claims = admin_claims(&app, "read:clients");
    claims.iat = Some(now_secs() - 7200);
    claims.exp = now_secs() - 3600;
    let expired = app.sign_as_tenant(&claims);
    for res in call_all(&app, Some(&format!("Bearer {expired}"))).await {
        assert_unauthorized(&res, EXPIRED);
    }

    let mut claims = admin_claims(&app, "read:clients");
    claims.aud = Audience::One("https://api.example.com/".into());
    let elsewhere = app.sign_as_tenant(&claims);
    for res in call_all(&app, Some(&format!("Bearer {elsewhere}"))).await {
        assert_unauthorized(&res, "Bad audience: https://api.example.com/");
    }
}

#[tokio::test]
async fn a_malformed_authorization_header_is_400() {
    let app = TestApp::spawn().await;
    for res in call_all(&app, Some("Bearer")).await {
        res.assert_error(400, None, "Bad HTTP authentication header format");
    }
}
