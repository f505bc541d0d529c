//! Two `zeroth serve` processes on one PostgreSQL database act as one tenant.
//!
//! How nodes must be configured: the same database, the same `ZEROTH_MASTER_KEY` (each
//! has its own data directory, so a generated `master.key` would differ), the same
//! `--domain` (the public name behind the load balancer: it is the tokens' `iss` and the
//! Management API audience), and the same pinned `ZEROTH_ADMIN_CLIENT_ID`/`_SECRET`.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::api::{token_response, AdminCreds, Api};
use crate::harness::{engine, Engine, ServeOpts, Tenant};

const DOMAIN: &str = "zeroth.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_share_one_postgres_database() {
    if engine() != Engine::Postgres {
        eprintln!("two nodes need a shared PostgreSQL database: skipped on SQLite");
        return;
    }
    let a_dir = Tenant::new(Engine::Postgres).await;
    // Node B: its own data directory (own TLS material), the same database and key.
    let mut b_dir = Tenant::with_url(a_dir.database_url.clone());
    b_dir.master_key = a_dir.master_key.clone();

    let admin = AdminCreds {
        client_id: "zeroth-two-node-admin".into(),
        client_secret: zeroth_core::ids::client_secret(),
        audience: format!("https://{DOMAIN}/api/v2/"),
    };
    let opts = ServeOpts {
        domain: Some(DOMAIN.into()),
        env: vec![
            ("ZEROTH_ADMIN_CLIENT_ID".into(), admin.client_id.clone()),
            (
                "ZEROTH_ADMIN_CLIENT_SECRET".into(),
                admin.client_secret.clone(),
            ),
        ],
        ..ServeOpts::default()
    };

    // Both start at once on the fresh database: migrations and bootstrap race.
    let (ca, cb) = (a_dir.serve_command(&opts), b_dir.serve_command(&opts));
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| a_dir.try_serve(ca));
        let b = s.spawn(|| b_dir.try_serve(cb));
        (a.join().unwrap(), b.join().unwrap())
    });
    let a = a.unwrap_or_else(|f| panic!("node A failed ({}):\n{}", f.status, f.stderr));
    let b = b.unwrap_or_else(|f| panic!("node B failed ({}):\n{}", f.status, f.stderr));

    let api_a = Api::connect(&a_dir.data_dir(), &a.base_url(), &admin).await;
    let api_b = Api::connect(&b_dir.data_dir(), &b.base_url(), &admin).await;

    // One tenant, one JWKS: both nodes publish the same signing keys.
    let jwks = |api: &Api| {
        let (http, base) = (api.http.clone(), api.base.clone());
        async move {
            let res = http
                .get(format!("{base}/.well-known/jwks.json"))
                .send()
                .await;
            let jwks = res.unwrap().json::<serde_json::Value>().await.unwrap();
            let keys = jwks["keys"].as_array().unwrap().iter();
            keys.map(|k| k["kid"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        jwks(&api_a).await,
        jwks(&api_b).await,
        "nodes disagree on keys"
    );

    // A token issued by A is accepted by B.
    let crossed = Api {
        token: api_a.token.clone(),
        ..api_b.clone()
    };
    let (status, body) = crossed.send(reqwest::Method::GET, "/clients", None).await;
    assert_eq!(status, StatusCode::OK, "B refused A's token: {body}");

    // Created and patched through A, served by B at once.
    let client = api_a.create_m2m("two-nodes").await;
    let id = client["client_id"].as_str().unwrap();
    let secret = client["client_secret"].as_str().unwrap().to_string();
    let (status, seen) = api_b.get_client(id).await;
    assert_eq!(status, StatusCode::OK, "B does not see A's create: {seen}");
    let (status, _) = api_a
        .patch_client(id, &json!({"description": "patched on A"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = api_b.get_client(id).await;
    assert_eq!(seen["description"], json!("patched on A"));
    let (status, _) = api_b
        .patch_client(id, &json!({"client_metadata": {"from": "b"}}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = api_a.get_client(id).await;
    assert_eq!(seen["client_metadata"], json!({"from": "b"}));
    assert_eq!(seen["description"], json!("patched on A"));

    // The client's secret authenticates at B (no grant yet: access_denied, not invalid_client).
    let aud = &admin.audience;
    let (status, _) = token_response(&api_b.http, &b.base_url(), id, &secret, aud).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the secret should authenticate at B"
    );

    // Rotated on A: the old secret stops working at B within one second.
    let (status, rotated) = api_a
        .send(
            reqwest::Method::POST,
            &format!("/clients/{id}/rotate-secret"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new_secret = rotated["client_secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    let until = Instant::now() + Duration::from_secs(1);
    loop {
        let (status, _) = token_response(&api_b.http, &b.base_url(), id, &secret, aud).await;
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            Instant::now() < until,
            "B still accepts the rotated-away secret"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = token_response(&api_b.http, &b.base_url(), id, &new_secret, aud).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "B refuses the new secret");

    // Pinned admin, one admin client: the bootstrap race made no duplicate.
    let names: Vec<String> = {
        let (_, list) = api_b
            .send(reqwest::Method::GET, "/clients?per_page=100", None)
            .await;
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let count = |n: &str| names.iter().filter(|x| x.as_str() == n).count();
    assert_eq!(count("All Applications"), 1, "{names:?}");
    assert_eq!(count("Zeroth Admin (Management API)"), 1, "{names:?}");
    drop((a, b));
}
