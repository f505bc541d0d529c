//! Moving a tenant: SQLite → `zeroth export` → `zeroth import` into a fresh database.

use std::os::unix::fs::PermissionsExt as _;

use reqwest::StatusCode;
use serde_json::json;
use zeroth_core::crypto::seal::MasterKey;
use zeroth_core::store::{ClientGrantRow, Store};

use crate::api::{admin_creds, token_response, Api};
use crate::harness::{engine, ServeOpts, Tenant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_then_import_keeps_clients_grants_and_secrets() {
    let source = Tenant::with_url(None);
    let mut node = source.serve();
    let domain = format!("localhost:{}", node.port);
    let api = Api::admin(&source.data_dir(), &node.base_url()).await;
    let admin = admin_creds(&source.data_dir());
    let mut clients = Vec::new();
    for i in 0..4 {
        clients.push(api.create_m2m(&format!("migrated-{i}")).await);
    }
    let (status, _) = api
        .patch_client(
            clients[0]["client_id"].as_str().unwrap(),
            &json!({"client_metadata": {"tier": "gold"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // No client-grants endpoint yet: grant client 0 read:clients in the store itself.
    let worker = clients[0]["client_id"].as_str().unwrap().to_string();
    let worker_secret = clients[0]["client_secret"].as_str().unwrap().to_string();
    grant(&source, &worker, &admin.audience, &["read:clients"]).await;
    node.stop();

    let file = source.data_dir().join("..").join("tenant-export.json");
    let out = source.run({
        let mut c = source.command("export");
        c.arg(&file);
        c
    });
    assert!(out.status.success(), "export: {}", out.stderr);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the export holds every secret in clear");

    // The target: a fresh database on the engine under test, with its own master key.
    let target = Tenant::new(engine()).await;
    let imported = target.run({
        let mut c = target.command("import");
        c.arg(&file);
        c
    });
    assert!(imported.status.success(), "import: {}", imported.stderr);
    let again = target.run({
        let mut c = target.command("import");
        c.arg(&file);
        c
    });
    assert!(
        !again.status.success(),
        "a second import into a tenant must be refused"
    );

    let node = target.serve_with(&ServeOpts {
        domain: Some(domain),
        env: vec![
            ("ZEROTH_ADMIN_CLIENT_ID".into(), admin.client_id.clone()),
            (
                "ZEROTH_ADMIN_CLIENT_SECRET".into(),
                admin.client_secret.clone(),
            ),
        ],
        ..ServeOpts::default()
    });
    let base = node.base_url();
    // The old admin secret gets a token from the new server.
    let api = Api::connect(&target.data_dir(), &base, &admin).await;
    for c in &clients {
        let id = c["client_id"].as_str().unwrap();
        let (status, got) = api.get_client(id).await;
        assert_eq!(status, StatusCode::OK, "{id} not imported: {got}");
        assert_eq!(got["name"], c["name"]);
        assert_eq!(got["client_secret"], c["client_secret"]);
    }
    let (_, first) = api.get_client(&worker).await;
    assert_eq!(first["client_metadata"], json!({"tier": "gold"}));

    // The migrated client's secret and grant work: a token, and the token works.
    let (status, body) =
        token_response(&api.http, &base, &worker, &worker_secret, &admin.audience).await;
    assert_eq!(status, StatusCode::OK, "migrated client token: {body}");
    assert_eq!(body["scope"], json!("read:clients"));
    let as_worker = Api {
        token: body["access_token"].as_str().unwrap().to_string(),
        ..api.clone()
    };
    let (status, _) = as_worker.get_client(&worker).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = as_worker
        .patch_client(&worker, &json!({"description": "no"}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the grant's scopes came along too"
    );
}

async fn grant(tenant: &Tenant, client_id: &str, audience: &str, scopes: &[&str]) {
    let key = MasterKey::parse(&tenant.master_key).unwrap();
    let store = Store::open(&tenant.url(), key).await.unwrap();
    let doc = json!({"scope": scopes, "subject_type": "client"});
    store
        .insert_client_grant(&ClientGrantRow {
            id: zeroth_core::ids::client_grant_id(),
            client_id: Some(client_id.to_string()),
            audience: audience.to_string(),
            doc: doc.as_object().unwrap().clone(),
            created_at: zeroth_core::now_ms(),
            version: 1,
        })
        .await
        .unwrap();
    store.close().await;
}
