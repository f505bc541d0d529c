//! Header floods and slow clients: refused or cut off, never a crash or a held connection.

use std::time::Duration;

use reqwest::Method;

use crate::raw::{parse, End, Raw};
use crate::support::TestApp;

/// Sends a request with `extra` header lines over a raw connection and returns the answer
/// (empty when the server just closed the connection, which is also acceptable).
async fn send_with_headers(app: &TestApp, extra: String) -> Vec<u8> {
    let (addr, ca, domain) = (app.addr, app.ca_pem(), app.domain.clone());
    tokio::task::spawn_blocking(move || {
        let mut raw = Raw::connect(addr, &ca);
        let req =
            format!("GET /healthz HTTP/1.1\r\nHost: {domain}\r\n{extra}Connection: close\r\n\r\n");
        let _ = raw.write(req.as_bytes());
        raw.read_all(Duration::from_secs(10)).0
    })
    .await
    .unwrap()
}

#[track_caller]
fn assert_refused(bytes: &[u8]) {
    if !bytes.is_empty() {
        let (status, _) = parse(bytes);
        assert_eq!(status, 431, "{}", String::from_utf8_lossy(bytes));
    }
}

#[tokio::test]
async fn hundreds_of_headers_are_refused_and_the_server_lives_on() {
    let app = TestApp::spawn().await;
    let flood: String = (0..500).map(|i| format!("X-Flood-{i}: {i}\r\n")).collect();
    assert_refused(&send_with_headers(&app, flood).await);
    app.assert_alive().await;

    // Within the limit (100 headers in all) a request is served.
    let few: String = (0..50).map(|i| format!("X-Few-{i}: {i}\r\n")).collect();
    let (status, _) = parse(&send_with_headers(&app, few).await);
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_huge_header_is_refused_and_the_server_lives_on() {
    let app = TestApp::spawn().await;
    let huge = format!("X-Huge: {}\r\n", "a".repeat(1024 * 1024));
    assert_refused(&send_with_headers(&app, huge).await);
    app.assert_alive().await;

    // A huge bearer token through the ordinary client: refused, not served or crashed.
    let token = "a".repeat(256 * 1024);
    match app
        .http
        .get(app.url("/api/v2/clients"))
        .bearer_auth(token)
        .send()
        .await
    {
        Ok(res) => assert_eq!(res.status().as_u16(), 431),
        Err(e) => assert!(!e.is_timeout(), "{e}"),
    }
    app.assert_alive().await;

    // A big but reasonable header (16 KB, about a long cookie) is still served.
    let (status, _) =
        parse(&send_with_headers(&app, format!("X-Big: {}\r\n", "b".repeat(16 * 1024))).await);
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_client_that_stalls_mid_headers_is_disconnected() {
    let app = TestApp::spawn_with(|cfg| cfg.header_read_timeout = Duration::from_secs(1)).await;
    let (addr, ca, domain) = (app.addr, app.ca_pem(), app.domain.clone());
    let end = tokio::task::spawn_blocking(move || {
        let mut raw = Raw::connect(addr, &ca);
        raw.write(format!("GET /healthz HTTP/1.1\r\nHost: {domain}\r\nX-Half: ").as_bytes())
            .unwrap();
        // Generous: the server must close long before this on its own 1 s limit.
        raw.read_all(Duration::from_secs(20)).1
    })
    .await
    .unwrap();
    assert_eq!(end, End::Closed);
    app.assert_alive().await;

    // A client that sends its request promptly is unaffected by the timeout.
    let res = app
        .call(
            Method::GET,
            &app.admin_token().await,
            "/api/v2/clients",
            None,
        )
        .await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn the_default_header_timeout_is_ten_seconds() {
    let cfg = zeroth_server::config::ServeConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        std::path::PathBuf::from("unused"),
    );
    assert_eq!(cfg.header_read_timeout, Duration::from_secs(10));
}
