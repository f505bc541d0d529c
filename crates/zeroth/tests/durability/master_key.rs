//! The master key from outside: a wrong key stops start-up; rotation keeps every secret.

use reqwest::StatusCode;

use crate::api::{admin_creds, token_response, Api};
use crate::harness::{engine, random_master_key, Tenant};

/// Start-up with `key` must fail, loudly and naming the master key.
fn assert_refused(tenant: &Tenant, key: &str, why: &str) {
    let mut cmd = tenant.serve_command(&Default::default());
    cmd.env("ZEROTH_MASTER_KEY", key);
    match tenant.try_serve(cmd) {
        Ok(_) => panic!("started with {why}"),
        Err(f) => {
            assert!(!f.status.success(), "{why}: exit {}", f.status);
            assert!(
                f.stderr.to_lowercase().contains("master key"),
                "{why}: stderr should name the master key:\n{}",
                f.stderr
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_key_refused_and_rotation_keeps_secrets() {
    let mut tenant = Tenant::new(engine()).await;
    let old_key = tenant.master_key.clone();
    let mut node = tenant.serve();
    let port = node.port;
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let client = api.create_m2m("survives-rotation").await;
    let id = client["client_id"].as_str().unwrap().to_string();
    let secret = client["client_secret"].as_str().unwrap().to_string();
    let admin = admin_creds(&tenant.data_dir());
    node.stop();

    assert_refused(&tenant, &random_master_key(), "a wrong master key");

    let new_key = random_master_key();
    let mut rotate = tenant.command("rotate-master-key");
    rotate.env("ZEROTH_NEW_MASTER_KEY", &new_key);
    let done = tenant.run(rotate);
    assert!(done.status.success(), "rotate-master-key: {}", done.stderr);
    assert!(
        !done.stdout.contains(&new_key),
        "a key the operator chose is not printed back"
    );

    assert_refused(&tenant, &old_key, "the rotated-away master key");

    tenant.master_key = new_key;
    let node = tenant.serve_with(&crate::harness::ServeOpts {
        port,
        ..Default::default()
    });
    let base = node.base_url();
    let api = Api::connect(&tenant.data_dir(), &base, &admin).await;
    let (status, got) = api.get_client(&id).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["client_secret"].as_str(), Some(secret.as_str()));
    // The client's secret still authenticates (it has no grant: access_denied, not 401).
    let (status, body) = token_response(&api.http, &base, &id, &secret, &admin.audience).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) =
        token_response(&api.http, &base, &id, "not-the-secret", &admin.audience).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
