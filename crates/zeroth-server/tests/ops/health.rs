//! Probes, metrics and request ids.

use serde_json::json;

use crate::support::{drop_postgres_database, sample, TestApp};

#[tokio::test]
async fn metrics_count_routes_statuses_latency_tokens_and_failures() {
    let app = TestApp::spawn_with(|_| {}).await;
    let token = app.token(None).await;
    assert_eq!(app.get(&token, "/api/v2/clients").await.status, 200);
    let bad = app
        .post(&token, "/api/v2/clients", &json!({"name": 5}))
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        app.token_res(&app.admin_id, "wrong", None).await.status,
        401
    );
    assert_eq!(app.get("", "/readyz").await.status, 200);

    let text = app.metrics().await;
    let get_ok =
        "zeroth_http_requests_total{route=\"/api/v2/clients\",method=\"GET\",status=\"200\"}";
    assert_eq!(sample(&text, get_ok), 1.0, "{text}");
    let post_bad =
        "zeroth_http_requests_total{route=\"/api/v2/clients\",method=\"POST\",status=\"400\"}";
    assert_eq!(sample(&text, post_bad), 1.0, "{text}");
    let hist = "zeroth_http_request_duration_seconds_count{route=\"/api/v2/clients\"}";
    assert_eq!(sample(&text, hist), 2.0, "{text}");
    assert!(text.contains(
        "zeroth_http_request_duration_seconds_bucket{route=\"/oauth/token\",le=\"+Inf\"}"
    ));
    assert_eq!(sample(&text, "zeroth_tokens_issued_total"), 1.0, "{text}");
    assert_eq!(sample(&text, "zeroth_token_failures_total"), 1.0, "{text}");
    assert_eq!(
        sample(&text, "zeroth_validation_failures_total"),
        1.0,
        "{text}"
    );
    assert!(
        sample(&text, "zeroth_db_ping_duration_seconds_count") >= 1.0,
        "{text}"
    );
    // Metrics are not served on the API port.
    assert_eq!(app.get("", "/metrics").await.status, 404);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn_with(|_| {}).await;
    let token = app.token(None).await;
    let answers = [
        app.get(&token, "/api/v2/clients").await,
        app.get(&token, "/api/v2/nothing-here").await,
        app.get("not-a-token", "/api/v2/clients").await,
        app.token_res("nobody", "x", None).await,
        app.get("", "/healthz").await,
        app.get("", "/.well-known/jwks.json").await,
    ];
    let mut ids: Vec<&str> = answers
        .iter()
        .map(|r| r.header("x-auth0-requestid").expect("x-auth0-requestid"))
        .collect();
    assert!(ids.iter().all(|id| id.len() >= 16));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), answers.len(), "request ids repeat");
}

#[tokio::test]
async fn ready_turns_503_when_the_database_is_gone_while_alive_stays_200() {
    let app = TestApp::spawn_with(|_| {}).await;
    let live = app.get("", "/healthz").await;
    assert_eq!((live.status, &live.json), (200, &json!({"status": "ok"})));
    let ready = app.get("", "/readyz").await;
    assert_eq!(ready.status, 200, "{:#}", ready.json);
    assert_eq!(ready.json["checks"]["database"], "ok");

    match &app.pg_name {
        Some(name) => drop_postgres_database(name).await,
        // SQLite has no server to lose; closing the pool is the closest real outage.
        None => app.running.state.store().close().await,
    }
    let ready = app.get("", "/readyz").await;
    assert_eq!(ready.status, 503, "{:#}", ready.json);
    assert_eq!(ready.json["status"], "failing");
    assert_eq!(ready.json["checks"]["database"], "failing");
    assert_eq!(app.get("", "/healthz").await.status, 200);
}
