//! Bodies built to hurt: too large (declared or chunked), nested 100k deep, not UTF-8, not JSON.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::raw::{parse, Raw};
use crate::support::TestApp;

/// Every endpoint that reads a JSON body (ids need not exist: the body is read first).
const BODY_ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/api/v2/clients"),
    ("PATCH", "/api/v2/clients/abc"),
    ("POST", "/api/v2/resource-servers"),
    ("PATCH", "/api/v2/resource-servers/abc"),
    ("POST", "/api/v2/client-grants"),
    ("PATCH", "/api/v2/client-grants/abc"),
    ("POST", "/api/v2/clients/abc/credentials"),
    ("PATCH", "/api/v2/clients/abc/credentials/cred_abc"),
];

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}

#[tokio::test]
async fn two_megabytes_with_a_content_length_are_413_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let big = format!("{{\"name\":\"{}\"}}", "a".repeat(2 * 1024 * 1024));
    for (m, path) in BODY_ENDPOINTS {
        let res = app
            .raw(method(m), &token, path, "application/json", big.clone())
            .await;
        res.assert_envelope(413);
    }
    // The token endpoint has the same limit.
    let res = app
        .send(
            app.http
                .post(app.url("/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("grant_type={}", "a".repeat(2 * 1024 * 1024))),
        )
        .await;
    res.assert_envelope(413);
    app.assert_alive().await;
}

/// A chunked body declares no length: the limit must hold while reading.
#[tokio::test]
async fn a_chunked_body_without_content_length_is_cut_at_one_megabyte() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (addr, ca) = (app.addr, app.ca_pem());
    let domain = app.domain.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let mut raw = Raw::connect(addr, &ca);
        let head = format!(
            "POST /api/v2/clients HTTP/1.1\r\nHost: {domain}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        raw.write(head.as_bytes()).unwrap();
        let chunk = vec![b' '; 64 * 1024];
        // Up to 3 MB of whitespace, then the last chunk; the answer may come early.
        let frames = (0..48)
            .map(move |_| {
                let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
                frame.extend_from_slice(&chunk);
                frame.extend_from_slice(b"\r\n");
                frame
            })
            .chain(std::iter::once(b"0\r\n\r\n".to_vec()));
        let mut got = raw.write_until_answered(frames);
        got.extend(raw.read_all(Duration::from_secs(10)).0);
        got
    })
    .await
    .unwrap();
    let (status, body) = parse(&bytes);
    assert_eq!(status, 413, "{body:#}");
    assert_eq!(body["statusCode"], json!(413));
    assert_eq!(body["error"], json!("Payload Too Large"));
    app.assert_alive().await;
}

#[tokio::test]
async fn json_nested_100k_deep_is_a_400_not_a_stack_overflow() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let arrays = "[".repeat(100_000);
    let objects = "{\"a\":".repeat(100_000);
    for (m, path) in BODY_ENDPOINTS {
        for body in [&arrays, &objects] {
            let res = app
                .raw(method(m), &token, path, "application/json", body.clone())
                .await;
            res.assert_envelope(400);
            assert_eq!(res.message(), "Invalid request payload JSON format");
        }
    }
    // Deep but well-formed (within serde's limit of 128) reaches the validator: 400 too.
    let deep = format!("{}1{}", "{\"a\":".repeat(120), "}".repeat(120));
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "application/json",
            deep,
        )
        .await;
    res.assert_envelope(400);
    let res = app
        .send(
            app.http
                .post(app.url("/oauth/token"))
                .header("content-type", "application/json")
                .body(arrays.clone()),
        )
        .await;
    assert!(res.status == 400 || res.status == 401, "{:#}", res.json);
    app.assert_alive().await;
}

#[tokio::test]
async fn invalid_utf8_in_a_json_body_is_400() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let mut body = b"{\"name\":\"".to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(b"\"}");
    for (m, path) in BODY_ENDPOINTS {
        let res = app
            .raw(method(m), &token, path, "application/json", body.clone())
            .await;
        res.assert_envelope(400);
        assert_eq!(res.message(), "Invalid request payload JSON format");
    }
    // Lone surrogate escapes are valid JSON syntax but no Unicode text.
    let res = app
        .raw(
            Method::POST,
            &token,
            "/api/v2/clients",
            "application/json",
            r#"{"name":"\ud800"}"#,
        )
        .await;
    res.assert_envelope(400);
    app.assert_alive().await;
}

#[tokio::test]
async fn bodies_of_other_media_types_are_415_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for ct in [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "nonsense",
    ] {
        for (m, path) in BODY_ENDPOINTS {
            let res = app
                .raw(method(m), &token, path, ct, r#"{"name":"x"}"#)
                .await;
            res.assert_envelope(415);
        }
    }
    app.assert_alive().await;
}

/// Found by schemathesis: a `from` that is no checkpoint of ours was a 500.
#[tokio::test]
async fn a_forged_checkpoint_is_a_query_error() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for path in ["/api/v2/clients", "/api/v2/client-grants"] {
        for from in ["%F3%84%90%AF%C3%87%06", "!!", "YWJj", ""] {
            let res = app
                .call(
                    Method::GET,
                    &token,
                    &format!("{path}?from={from}&take=5"),
                    None,
                )
                .await;
            if from.is_empty() {
                assert_eq!(res.status, 200, "{path}: {:#}", res.json);
                continue;
            }
            res.assert_envelope(400);
            assert_eq!(res.json["errorCode"], json!("invalid_query_string"));
            assert_eq!(
                res.message(),
                "Query validation error: 'Invalid checkpoint' on property from."
            );
        }
    }
    app.assert_alive().await;
}
