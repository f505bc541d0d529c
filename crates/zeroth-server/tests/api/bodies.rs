//! How request bodies and routes are read: bad JSON, size limit, content types, JSON null, 404s.

use reqwest::Method;
use serde_json::json;

use crate::support::{id_of, TestApp};

#[tokio::test]
async fn invalid_json_is_400_invalid_body() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app.create_client(json!({"name": "B"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&c));
    for (method, p) in [
        (Method::POST, "/api/v2/clients"),
        (Method::PATCH, path.as_str()),
    ] {
        let res = app
            .raw(method, &token, p, "application/json", "{\"name\": ")
            .await;
        res.assert_error(
            400,
            Some("invalid_body"),
            "Invalid request payload JSON format",
        );
    }
    assert_eq!(app.get(&token, &path).await.json, c);
}

#[tokio::test]
async fn bodies_over_one_megabyte_are_413() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let huge = format!("{{\"name\": \"{}\"}}", "a".repeat(1024 * 1024));
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "application/json",
            huge,
        )
        .await;
    res.assert_error(
        413,
        None,
        "Payload content length greater than maximum allowed: 1048576",
    );
}

#[tokio::test]
async fn other_content_types_are_415_and_forms_are_read() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "text/plain",
            "{\"name\": \"t\"}",
        )
        .await;
    res.assert_error(415, None, "Unsupported Media Type");
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "application/x-www-form-urlencoded",
            "name=From+a+form",
        )
        .await;
    assert_eq!(res.status, 201, "{:#}", res.json);
    assert_eq!(res.json["name"], "From a form");
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "application/json; charset=utf-8",
            "{\"name\": \"charset\"}",
        )
        .await;
    assert_eq!(res.status, 201, "{:#}", res.json);
}

#[tokio::test]
async fn a_json_null_body_is_a_validation_error_not_a_crash() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app.create_client(json!({"name": "N"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&c));
    for (method, p) in [
        (Method::POST, "/api/v2/clients"),
        (Method::PATCH, path.as_str()),
    ] {
        let res = app.raw(method, &token, p, "application/json", "null").await;
        assert_eq!(res.status, 400, "{:#}", res.json);
        assert_eq!(res.json["errorCode"], "invalid_body");
        assert!(
            res.message().starts_with("Payload validation error: "),
            "{}",
            res.message()
        );
    }
    assert_eq!(app.get(&token, &path).await.json, c);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_auth0_404s() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for (method, path) in [
        (Method::GET, "/api/v2/nothing-here"),
        (Method::GET, "/"),
        (Method::PUT, "/api/v2/clients"),
        (Method::GET, "/api/v2/clients/abc/rotate-secret"),
    ] {
        let res = app
            .send(app.http.request(method, app.url(path)).bearer_auth(&token))
            .await;
        res.assert_error(404, None, "Not Found");
    }
}
