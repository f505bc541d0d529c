//! `/oauth/token` client_credentials for any API, with tokens checked by hand: RSA
//! signatures against the published JWKS, HS256 against the API's secret.

use aws_lc_rs::{hmac, signature};
use base64::Engine as _;
use reqwest::Method;
use serde_json::{json, Value};

use crate::{both_engines, App};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn parts(token: &str) -> (Value, Value, String, Vec<u8>) {
    let mut it = token.split('.');
    let (h, p, s) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    assert!(it.next().is_none());
    let json = |x: &str| serde_json::from_slice::<Value>(&B64.decode(x).unwrap()).unwrap();
    (json(h), json(p), format!("{h}.{p}"), B64.decode(s).unwrap())
}

/// Verifies an RS256/PS256 token with the RSA key rebuilt from the JWKS's `n` and `e`.
async fn verify_with_jwks(app: &App, token: &str) -> Value {
    let (header, claims, input, sig) = parts(token);
    let jwks: Value = app
        .http
        .get(format!("{}/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("the token's kid is published");
    let public = signature::RsaPublicKeyComponents {
        n: B64.decode(key["n"].as_str().unwrap()).unwrap(),
        e: B64.decode(key["e"].as_str().unwrap()).unwrap(),
    };
    let alg: &signature::RsaParameters = match header["alg"].as_str().unwrap() {
        "RS256" => &signature::RSA_PKCS1_2048_8192_SHA256,
        "PS256" => &signature::RSA_PSS_2048_8192_SHA256,
        other => panic!("unexpected alg {other}"),
    };
    public.verify(alg, input.as_bytes(), &sig).unwrap();
    let mut bad = sig.clone();
    bad[0] ^= 1;
    assert!(public.verify(alg, input.as_bytes(), &bad).is_err());
    claims
}

fn check_claims(app: &App, claims: &Value, client: &str, audience: &str, lifetime: i64) {
    assert_eq!(claims["iss"], format!("{}/", app.base));
    assert_eq!(claims["sub"], format!("{client}@clients"));
    assert_eq!(claims["aud"], audience);
    assert_eq!(claims["azp"], client);
    assert_eq!(claims["gty"], "client-credentials");
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, lifetime);
}

async fn rs256_and_ps256_tokens(app: &App) {
    let (client, secret) = app.m2m("svc").await;
    let scopes = json!([{"value": "read:x"}, {"value": "write:x"}, {"value": "delete:x"}]);
    app.api(json!({"identifier": "urn:rs", "token_lifetime": 3600, "scopes": scopes}))
        .await;
    app.api(json!({"identifier": "urn:ps", "signing_alg": "PS256"}))
        .await;
    app.grant(&client, "urn:rs", json!(["read:x", "write:x"]))
        .await;
    app.grant(&client, "urn:ps", json!([])).await;

    let (s, body) = app.token_for(&client, &secret, "urn:rs", None).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "read:x write:x");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(parts(token).0["alg"], "RS256");
    let claims = verify_with_jwks(app, token).await;
    check_claims(app, &claims, &client, "urn:rs", 3600);
    assert_eq!(claims["scope"], "read:x write:x");

    // A narrower request gets only what it asked for.
    let (s, body) = app
        .token_for(&client, &secret, "urn:rs", Some("write:x"))
        .await;
    assert_eq!((s, &body["scope"]), (200, &json!("write:x")));
    let claims = verify_with_jwks(app, body["access_token"].as_str().unwrap()).await;
    assert_eq!(claims["scope"], "write:x");
    // A scope the API defines but the grant lacks is refused.
    let (s, body) = app
        .token_for(&client, &secret, "urn:rs", Some("read:x delete:x"))
        .await;
    assert_eq!(
        (s, body),
        (
            403,
            json!({"error": "access_denied",
                "error_description": "Client has not been granted scopes: delete:x"})
        )
    );

    let (s, body) = app.token_for(&client, &secret, "urn:ps", None).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.get("scope").is_none(), "no scopes granted, no scope");
    assert_eq!(body["expires_in"], 86400);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(parts(token).0["alg"], "PS256");
    let claims = verify_with_jwks(app, token).await;
    check_claims(app, &claims, &client, "urn:ps", 86400);

    // An API token is not a Management API token (which is RS256-only, so the wording
    // is the verifier's business; the refusal is what matters here).
    let (s, _) = app
        .call_as(token, Method::GET, "/resource-servers", None)
        .await;
    assert_eq!(s, 401);
    let rs = app.token_for(&client, &secret, "urn:rs", None).await.1;
    let (s, body) = app
        .call_as(
            rs["access_token"].as_str().unwrap(),
            Method::GET,
            "/clients",
            None,
        )
        .await;
    assert_eq!((s, &body["message"]), (401, &json!("Bad audience: urn:rs")));
}
both_engines!(rs256_and_ps256_tokens);

async fn hs256_tokens(app: &App) {
    let (client, secret) = app.m2m("svc").await;
    let api = app
        .api(
            json!({"identifier": "https://hs.example/", "signing_alg": "HS256",
            "token_lifetime": 600}),
        )
        .await;
    app.grant(&client, "https://hs.example/", json!(["use:hs"]))
        .await;
    let (s, body) = app
        .token_for(&client, &secret, "https://hs.example/", None)
        .await;
    assert_eq!(s, 200, "{body}");
    let token = body["access_token"].as_str().unwrap();
    let (header, claims, input, sig) = parts(token);
    assert_eq!(header["alg"], "HS256");
    assert!(header.get("kid").is_none());
    let key = hmac::Key::new(
        hmac::HMAC_SHA256,
        api["signing_secret"].as_str().unwrap().as_bytes(),
    );
    hmac::verify(&key, input.as_bytes(), &sig).unwrap();
    let wrong = hmac::Key::new(hmac::HMAC_SHA256, b"not the secret of this api");
    assert!(hmac::verify(&wrong, input.as_bytes(), &sig).is_err());
    check_claims(app, &claims, &client, "https://hs.example/", 600);
    assert_eq!(claims["scope"], "use:hs");
}
both_engines!(hs256_tokens);

async fn refusals(app: &App) {
    let (client, secret) = app.m2m("svc").await;
    app.api(json!({"identifier": "urn:api"})).await;

    let (s, body) = app.token_for(&client, &secret, "urn:unknown", None).await;
    assert_eq!(
        (s, body),
        (
            403,
            json!({"error": "access_denied", "error_description": "Service not found: urn:unknown"})
        )
    );
    let not_granted = json!({"error": "access_denied", "error_description":
        "Client is not authorized to access \"urn:api\". You need to create a \"client-grant\" \
         associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"});
    let (s, body) = app.token_for(&client, &secret, "urn:api", None).await;
    assert_eq!((s, &body), (403, &not_granted));

    // Granted, then revoked.
    let g = app.grant(&client, "urn:api", json!([])).await;
    let (s, _) = app.token_for(&client, &secret, "urn:api", None).await;
    assert_eq!(s, 200);
    let path = format!("/client-grants/{}", g["id"].as_str().unwrap());
    let (s, _) = app.call(Method::DELETE, &path, None).await;
    assert_eq!(s, 204);
    let (s, body) = app.token_for(&client, &secret, "urn:api", None).await;
    assert_eq!((s, body), (403, not_granted));

    // A client whose grant types leave out client_credentials.
    let (web, web_secret) = app
        .client(json!({"name": "web", "app_type": "regular_web",
            "grant_types": ["authorization_code"], "token_endpoint_auth_method": "client_secret_post"}))
        .await;
    app.grant(&web, "urn:api", json!([])).await;
    let (s, body) = app.token_for(&web, &web_secret, "urn:api", None).await;
    assert_eq!(
        (s, body),
        (
            403,
            json!({"error": "unauthorized_client",
                "error_description": "Grant type 'client_credentials' not allowed for the client."})
        )
    );

    // A public client cannot use client credentials at all.
    let (spa, spa_secret) = app
        .client(json!({"name": "spa", "app_type": "spa", "token_endpoint_auth_method": "none"}))
        .await;
    app.grant(&spa, "urn:api", json!([])).await;
    let (s, body) = app.token_for(&spa, &spa_secret, "urn:api", None).await;
    assert_eq!((s, &body["error"]), (403, &json!("unauthorized_client")));

    // A wrong secret says no more than Unauthorized, with Auth0's access_denied code.
    let (s, body) = app.token_for(&client, "wrong", "urn:api", None).await;
    assert_eq!(
        (s, body),
        (
            401,
            json!({"error": "access_denied", "error_description": "Unauthorized"})
        )
    );
}
both_engines!(refusals);

async fn management_api_under_any_spelling(app: &App) {
    let (id, secret) = (
        app.running.admin.client_id.clone(),
        app.running.admin.client_secret.expose().to_string(),
    );
    let alias = format!("https://127.0.0.1:{}/api/v2/", app.running.addr.port());
    let (s, body) = app
        .token_for(&id, &secret, &alias, Some("read:clients"))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["scope"], "read:clients");
    let token = body["access_token"].as_str().unwrap();
    let claims = verify_with_jwks(app, token).await;
    assert_eq!(claims["aud"], alias);
    let (s, _) = app.call_as(token, Method::GET, "/clients", None).await;
    assert_eq!(s, 200);
    let (s, _) = app
        .call_as(token, Method::GET, "/resource-servers", None)
        .await;
    assert_eq!(s, 403, "only the requested scope was issued");
}
both_engines!(management_api_under_any_spelling);
