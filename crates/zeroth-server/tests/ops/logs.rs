//! Tenant logs after a mixed run: types, attribution, no secrets, paging, search, retention.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{Res, TestApp};

/// The log writer batches off the request path: wait (bounded) until `want` holds.
async fn logs_until(app: &TestApp, token: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..100 {
        let res = app.get(token, "/api/v2/logs?per_page=100").await;
        assert_eq!(res.status, 200, "{:#}", res.json);
        let logs = res.json.as_array().unwrap().clone();
        if want(&logs) {
            return logs;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the expected log events never appeared");
}

fn of_type<'a>(logs: &'a [Value], t: &str) -> Vec<&'a Value> {
    logs.iter().filter(|l| l["type"] == t).collect()
}

#[tokio::test]
async fn a_mixed_run_is_logged_as_auth0_logs_it_without_secrets() {
    let app = TestApp::spawn_with(|_| {}).await;
    let admin = app.token(None).await; // seccft
    let created = app
        .post(
            &admin,
            "/api/v2/clients",
            &json!({"name": "logged-app", "app_type": "non_interactive"}),
        )
        .await; // sapi
    assert_eq!(created.status, 201);
    let id = created.json["client_id"].as_str().unwrap().to_string();
    let created_secret = created.json["client_secret"].as_str().unwrap().to_string();
    let sent_secret = "never-log-this-0123456789abcdef";
    let failed: Res = app
        .patch(
            &admin,
            &format!("/api/v2/clients/{id}"),
            &json!({"client_secret": sent_secret, "app_type": "no-such-type"}),
        )
        .await; // fapi
    assert_eq!(failed.status, 400, "{:#}", failed.json);
    let wrong_secret = "wrong-secret-fedcba9876543210";
    let refused = app.token_res(&id, wrong_secret, None).await; // feccft
    assert_eq!(refused.status, 401, "{:#}", refused.json);
    let reader = app.token(Some("read:logs")).await;

    let logs = logs_until(&app, &reader, |l| {
        ["sapi", "fapi", "seccft", "feccft"]
            .iter()
            .all(|t| !of_type(l, t).is_empty())
    })
    .await;
    let text = Value::Array(logs.clone()).to_string();
    for secret in [
        &app.admin_secret,
        &created_secret,
        sent_secret,
        wrong_secret,
        &admin,
    ] {
        assert!(
            !text.contains(secret),
            "a secret reached the logs: {secret}"
        );
    }
    for event in &logs {
        for field in [
            "date",
            "type",
            "description",
            "ip",
            "user_agent",
            "details",
            "log_id",
        ] {
            assert!(event.get(field).is_some(), "{field} missing: {event:#}");
        }
        assert_eq!(event["ip"], "127.0.0.1");
        assert_eq!(event["user_agent"], "zeroth-ops-tests/1.0");
        assert!(event["date"].as_str().unwrap().ends_with('Z'));
    }
    let ok_token = of_type(&logs, "seccft")[0];
    assert_eq!(ok_token["client_id"], json!(app.admin_id));
    assert_eq!(ok_token["client_name"], "Zeroth Admin (Management API)");
    let bad_token = of_type(&logs, "feccft")[0];
    assert_eq!(bad_token["client_id"], json!(id));
    assert_eq!(bad_token["client_name"], "logged-app");
    let create = of_type(&logs, "sapi")
        .into_iter()
        .find(|l| l["description"] == "Create a client")
        .expect("the create");
    assert_eq!(create["client_id"], json!(app.admin_id));
    assert_eq!(create["details"]["request"]["body"]["name"], "logged-app");
    let patch = of_type(&logs, "fapi")[0];
    assert_eq!(patch["description"], "Update a client");
    assert_eq!(patch["details"]["response"]["statusCode"], 400);
    assert_eq!(
        patch["details"]["request"]["body"]["client_secret"],
        "[REDACTED]"
    );

    // One event by its id.
    let log_id = patch["log_id"].as_str().unwrap();
    let one = app.get(&reader, &format!("/api/v2/logs/{log_id}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(&one.json, patch);
    let missing = app
        .get(
            &reader,
            "/api/v2/logs/90020000000000000000000000000000000000000000000000000000",
        )
        .await;
    assert_eq!(missing.status, 404, "{:#}", missing.json);

    // Search.
    let only = app.get(&reader, "/api/v2/logs?q=type:sapi").await;
    let only = only.json.as_array().unwrap();
    assert!(!only.is_empty() && only.iter().all(|l| l["type"] == "sapi"));
    let mine = app
        .get(&reader, &format!("/api/v2/logs?q=client_id:{id}"))
        .await;
    let mine = mine.json.as_array().unwrap();
    assert!(!mine.is_empty() && mine.iter().all(|l| l["client_id"] == json!(id)));
}

#[tokio::test]
async fn logs_page_by_offset_and_by_checkpoint_and_need_read_logs() {
    let app = TestApp::spawn_with(|_| {}).await;
    for _ in 0..4 {
        app.token(None).await;
    }
    let reader = app.token(Some("read:logs")).await;
    let logs = logs_until(&app, &reader, |l| l.len() >= 5).await;
    let total = logs.len() as u64;

    let page = app
        .get(
            &reader,
            "/api/v2/logs?per_page=2&page=1&include_totals=true",
        )
        .await;
    assert_eq!(page.status, 200, "{:#}", page.json);
    assert_eq!(page.json["start"], 2);
    assert_eq!(page.json["limit"], 2);
    assert_eq!(page.json["length"], 2);
    assert!(page.json["total"].as_u64().unwrap() >= total);
    // Newest first: page 1 holds the third and fourth newest.
    assert_eq!(page.json["logs"][0]["log_id"], logs[2]["log_id"]);

    // Checkpoints: oldest first from an id, never repeating it.
    let first = app.get(&reader, "/api/v2/logs?take=2").await;
    let first = first.json.as_array().unwrap().clone();
    assert_eq!(first.len(), 2);
    let from = first[1]["log_id"].as_str().unwrap();
    let next = app
        .get(&reader, &format!("/api/v2/logs?from={from}&take=2"))
        .await;
    let next = next.json.as_array().unwrap().clone();
    assert_eq!(next.len(), 2);
    assert!(next.iter().all(|l| l["log_id"].as_str().unwrap() > from));

    let clients_only = app.token(Some("read:clients")).await;
    let res = app.get(&clients_only, "/api/v2/logs").await;
    assert_eq!(res.status, 403, "{:#}", res.json);
    assert_eq!(res.json["errorCode"], "insufficient_scope");
    let res = app
        .get(&clients_only, &format!("/api/v2/logs/{from}"))
        .await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn retention_purges_old_events_and_keeps_new_ones() {
    let app = TestApp::spawn_with(|_| {}).await;
    let reader = app.token(Some("read:logs")).await;
    let logs = logs_until(&app, &reader, |l| !l.is_empty()).await;
    let store = app.running.state.store();
    // A cutoff before anything happened removes nothing.
    assert_eq!(store.purge_logs(0).await.unwrap(), 0);
    // A cutoff in the future (a retention shorter than the events' age) removes them.
    let later = zeroth_core::now_ms() + 1_000;
    assert!(store.purge_logs(later).await.unwrap() >= logs.len() as u64);
    let gone = logs[0]["log_id"].as_str().unwrap();
    assert_eq!(
        app.get(&reader, &format!("/api/v2/logs/{gone}"))
            .await
            .status,
        404
    );
}
