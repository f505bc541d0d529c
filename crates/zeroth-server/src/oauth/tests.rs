//! HTTP tests of discovery, the bearer check and the store-free paths of /oauth/token.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Map, Value};
use tower::ServiceExt;
use zeroth_core::crypto::keys::{generate_signing_key, KeyRing};
use zeroth_core::crypto::seal::MasterKey;
use zeroth_core::store::{KeyState, Store};
use zeroth_core::tenant::Tenant;
use zeroth_core::tokens::{now_secs, Audience, Claims, TokenKeys};

use super::AuthContext;
use crate::auth::Caller;

async fn app() -> (Router, Arc<AuthContext>) {
    let rows = [
        generate_signing_key("localhost:8443", KeyState::Current, 1).unwrap(),
        generate_signing_key("localhost:8443", KeyState::Next, 2).unwrap(),
    ];
    let ctx = Arc::new(AuthContext {
        store: Store::open("sqlite::memory:", MasterKey::from_bytes([7; 32]))
            .await
            .unwrap(),
        tenant: Tenant::new("localhost:8443", vec!["127.0.0.1:8443".into()]),
        keys: Arc::new(TokenKeys::new(KeyRing::from_rows(&rows).unwrap())),
    });
    let router = Router::new()
        .merge(super::router())
        .merge(crate::well_known::router())
        .route(
            "/api/v2/whoami",
            get(|c: Caller| async move { c.granted.as_strs().join(" ") }),
        )
        .with_state(ctx.clone());
    (router, ctx)
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let v =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)));
    (parts.status, parts.headers, v)
}

fn get_req(path: &str, auth: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    b.body(Body::empty()).unwrap()
}

fn claims(aud: &str, exp: i64) -> Claims {
    Claims {
        iss: "https://localhost:8443/".into(),
        sub: "abc@clients".into(),
        aud: Audience::One(aud.into()),
        iat: Some(now_secs()),
        exp,
        nbf: None,
        scope: Some("read:clients update:clients".into()),
        gty: Some("client-credentials".into()),
        azp: Some("abc".into()),
        extra: Map::new(),
        granted_memo: Default::default(),
    }
}

#[tokio::test]
async fn discovery_documents() {
    let (app, ctx) = app().await;
    let (s, h, jwks) = call(&app, get_req("/.well-known/jwks.json", None)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .starts_with("public"));
    assert_eq!(jwks, ctx.keys.jwks());
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    let (_, _, oidc) = call(&app, get_req("/.well-known/openid-configuration", None)).await;
    assert_eq!(oidc["issuer"], "https://localhost:8443/");
    assert_eq!(oidc["token_endpoint"], "https://localhost:8443/oauth/token");
    assert_eq!(
        oidc["jwks_uri"],
        "https://localhost:8443/.well-known/jwks.json"
    );
}

#[tokio::test]
async fn bearer_check_answers_like_auth0() {
    let (app, ctx) = app().await;
    let ok = ctx
        .keys
        .sign(&claims("https://localhost:8443/api/v2/", now_secs() + 60))
        .unwrap();
    let (s, _, body) = call(
        &app,
        get_req("/api/v2/whoami", Some(&format!("Bearer {ok}"))),
    )
    .await;
    assert_eq!(
        (s, body),
        (StatusCode::OK, json!("read:clients update:clients"))
    );
    let alias = ctx
        .keys
        .sign(&claims("https://127.0.0.1:8443/api/v2/", now_secs() + 60))
        .unwrap();
    let (s, _, _) = call(
        &app,
        get_req("/api/v2/whoami", Some(&format!("Bearer {alias}"))),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    let (s, h, body) = call(&app, get_req("/api/v2/whoami", None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"statusCode":401,"error":"Unauthorized","message":"Missing authentication"})
    );
    assert_eq!(h[header::WWW_AUTHENTICATE], "Bearer");

    let (s, _, body) = call(&app, get_req("/api/v2/whoami", Some("Bearer"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "Bad HTTP authentication header format");

    let expired = ctx
        .keys
        .sign(&claims("https://localhost:8443/api/v2/", now_secs() - 3600))
        .unwrap();
    let (s, h, body) = call(
        &app,
        get_req("/api/v2/whoami", Some(&format!("Bearer {expired}"))),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], crate::auth::EXPIRED);
    assert!(h[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .contains("error=\"invalid_token\""));

    let other = ctx
        .keys
        .sign(&claims("https://api.example/", now_secs() + 60))
        .unwrap();
    let (_, _, body) = call(
        &app,
        get_req("/api/v2/whoami", Some(&format!("Bearer {other}"))),
    )
    .await;
    assert_eq!(body["message"], "Bad audience: https://api.example/");

    let (_, _, body) = call(&app, get_req("/api/v2/whoami", Some("Bearer a.b.c"))).await;
    assert_eq!(body["message"], "Invalid token");
}

fn token_req(content_type: &str, body: &str) -> Request<Body> {
    Request::post("/oauth/token")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn token_endpoint_request_errors() {
    let (app, _) = app().await;
    let form = "application/x-www-form-urlencoded";
    let (s, h, body) = call(&app, token_req(form, "client_id=a")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error":"invalid_request","error_description":"Missing required parameter: grant_type"})
    );
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert_eq!(h[header::PRAGMA], "no-cache");
    let (s, _, body) = call(
        &app,
        token_req("application/json", r#"{"grant_type":"password"}"#),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error":"unsupported_grant_type","error_description":"Unsupported grant type: password"})
    );
    let (s, _, body) = call(&app, token_req("application/json", "{nope")).await;
    assert_eq!(
        (s, &body["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
    let (s, _, body) = call(&app, token_req(form, "grant_type=client_credentials")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error_description"],
        "Missing required parameter: client_id"
    );
}
