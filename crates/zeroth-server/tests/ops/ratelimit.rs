//! Rate limits: Auth0's 429 with Retry-After and x-ratelimit-*, per bucket, and off.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use zeroth_server::ratelimit::Rate;

use crate::support::{sample, Res, TestApp};

const SMALL: Rate = Rate {
    per_second: 0.2,
    burst: 4.0,
};

fn epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[track_caller]
fn assert_limit_headers(res: &Res, limit: u64) {
    assert_eq!(
        res.header_u64("x-ratelimit-limit"),
        limit,
        "{:?}",
        res.headers
    );
    assert!(res.header_u64("x-ratelimit-remaining") < limit);
    let reset = res.header_u64("x-ratelimit-reset");
    let now = epoch();
    // Epoch seconds, when the bucket is full again: soon, never in the past.
    assert!(
        reset >= now && reset <= now + 60,
        "reset {reset}, now {now}"
    );
}

#[tokio::test]
async fn a_management_api_flood_gets_auth0s_429_while_tokens_keep_working() {
    let app = TestApp::spawn_with(|c| c.rate_limits.management = SMALL).await;
    let token = app.token(None).await;
    let mut seen = Vec::new();
    for _ in 0..20 {
        let res = app.get(&token, "/api/v2/clients").await;
        let refused = res.status == 429;
        seen.push(res);
        if refused {
            break;
        }
    }
    let (refusal, allowed) = seen.split_last().unwrap();
    assert!(
        !allowed.is_empty() && allowed.len() <= 4,
        "{} allowed",
        allowed.len()
    );
    for res in allowed {
        assert_eq!(res.status, 200);
        assert_limit_headers(res, 4);
    }
    let remaining: Vec<u64> = allowed
        .iter()
        .map(|r| r.header_u64("x-ratelimit-remaining"))
        .collect();
    assert!(remaining.windows(2).all(|w| w[1] <= w[0]), "{remaining:?}");

    assert_eq!(refusal.status, 429, "{:#}", refusal.json);
    assert_eq!(
        refusal.json,
        json!({"statusCode": 429, "error": "Too Many Requests",
               "message": "Global limit has been reached", "errorCode": "too_many_requests"})
    );
    assert!(refusal.header_u64("retry-after") >= 1);
    assert_eq!(refusal.header_u64("x-ratelimit-remaining"), 0);
    assert_limit_headers(refusal, 4);

    // The token endpoint has its own buckets: a well-behaved client is unaffected.
    let res = app.token_res(&app.admin_id, &app.admin_secret, None).await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    assert!(res.header("x-ratelimit-limit").is_some());

    let text = app.metrics().await;
    assert!(sample(&text, "zeroth_rate_limited_total") >= 1.0, "{text}");
    assert!(
        sample(
            &text,
            "zeroth_http_requests_total{route=\"/api/v2/clients\",method=\"GET\",status=\"429\"}"
        ) >= 1.0,
        "{text}"
    );
}

#[tokio::test]
async fn one_client_flooding_the_token_endpoint_does_not_starve_another() {
    let app = TestApp::spawn_with(|c| c.rate_limits.token_per_client = SMALL).await;
    // A second client with its own grant (the Management API has its own bucket).
    let admin = app.token(None).await;
    let body = json!({"name": "well-behaved", "app_type": "non_interactive"});
    let other = app.post(&admin, "/api/v2/clients", &body).await;
    assert_eq!(other.status, 201, "{:#}", other.json);
    let other_id = other.json["client_id"].as_str().unwrap().to_string();
    let other_secret = other.json["client_secret"].as_str().unwrap().to_string();
    let body =
        json!({"client_id": other_id, "audience": app.audience(), "scope": ["read:clients"]});
    let grant = app.post(&admin, "/api/v2/client-grants", &body).await;
    assert_eq!(grant.status, 201, "{:#}", grant.json);

    let mut refusal = None;
    for _ in 0..20 {
        let res = app.token_res(&app.admin_id, &app.admin_secret, None).await;
        if res.status == 429 {
            refusal = Some(res);
            break;
        }
        assert_eq!(res.status, 200, "{:#}", res.json);
    }
    let refusal = refusal.expect("the flooding client was never refused");
    assert_eq!(
        refusal.json["error"], "too_many_requests",
        "{:#}",
        refusal.json
    );
    assert!(refusal.header_u64("retry-after") >= 1);
    assert_eq!(refusal.header_u64("x-ratelimit-remaining"), 0);
    assert_limit_headers(&refusal, 4);

    // Same IP, different client: its own bucket still has room.
    let res = app.token_res(&other_id, &other_secret, None).await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    // The client id in a Basic header lands in the same bucket as the form's.
    let res = app
        .send(
            app.http
                .post(app.url("/oauth/token"))
                .basic_auth(&app.admin_id, Some(&app.admin_secret))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("audience", &app.audience()),
                ]),
        )
        .await;
    assert_eq!(res.status, 429, "{:#}", res.json);
}

#[tokio::test]
async fn with_limits_off_nothing_is_refused() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limits.enabled = false;
        c.rate_limits.management = SMALL;
        c.rate_limits.token_per_ip = SMALL;
        c.rate_limits.token_per_client = SMALL;
    })
    .await;
    let token = app.token(None).await;
    for _ in 0..12 {
        assert_eq!(app.get(&token, "/api/v2/clients").await.status, 200);
        let res = app.token_res(&app.admin_id, &app.admin_secret, None).await;
        assert_eq!(res.status, 200);
    }
}
