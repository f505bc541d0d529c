//! Login, then an application's whole life through `zeroth apps` and `zeroth api`.

use crate::harness::Server;

#[tokio::test(flavor = "multi_thread")]
async fn login_saves_credentials_privately_and_rejects_wrong_secrets() {
    let s = Server::start(Default::default()).await;
    s.login().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(s.config_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let ca = s.ca();
    let r = s
        .zeroth(&[
            "login",
            "--domain",
            &s.running.tenant.domain,
            "--client-id",
            &s.running.admin.client_id,
            "--client-secret",
            "wrong",
            "--ca-cert",
            ca.to_str().unwrap(),
        ])
        .await;
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.starts_with("Error: "), "{}", r.stderr);
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_is_created_listed_shown_updated_rotated_and_deleted() {
    let s = Server::start(Default::default()).await;
    s.login().await;

    let created = s
        .json(&[
            "apps",
            "create",
            "--name",
            "CLI App",
            "--type",
            "spa",
            "--callbacks",
            "https://a.example.com/cb,https://b.example.com/cb",
        ])
        .await;
    let id = created["client_id"].as_str().unwrap().to_owned();
    assert_eq!(created["app_type"], "spa");
    assert_eq!(
        created["callbacks"],
        serde_json::json!(["https://a.example.com/cb", "https://b.example.com/cb"])
    );

    let table = s.zeroth(&["apps", "list"]).await;
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    assert!(table.stdout.starts_with("CLIENT ID"));
    assert!(table
        .stdout
        .lines()
        .any(|l| l.contains(&id) && l.contains("CLI App")));

    let shown = s.zeroth(&["apps", "show", &id]).await;
    assert!(shown.stdout.contains("name:") && shown.stdout.contains("CLI App"));

    let updated = s
        .json(&[
            "apps",
            "update",
            &id,
            "--name",
            "Renamed",
            "--data",
            r#"{"description": "from the CLI"}"#,
        ])
        .await;
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["description"], "from the CLI");
    assert_eq!(s.json(&["apps", "show", &id]).await["name"], "Renamed");

    let before = created["client_secret"].as_str().unwrap().to_owned();
    let rotated = s.json(&["apps", "rotate-secret", &id]).await;
    let after = rotated["client_secret"].as_str().unwrap();
    assert!(!after.is_empty() && after != before);

    let raw = s.zeroth(&["api", "get", "/api/v2/clients"]).await;
    assert_eq!(raw.code, Some(0), "{}", raw.stderr);
    let listed: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["client_id"] == id.as_str()));

    let gone = s.zeroth(&["apps", "delete", &id, "--force"]).await;
    assert_eq!(gone.code, Some(0), "{}", gone.stderr);
    let missing = s.zeroth(&["apps", "show", &id]).await;
    assert_ne!(missing.code, Some(0));
    assert!(
        missing
            .stderr
            .contains("Error: The client does not exist (inexistent_client)"),
        "{}",
        missing.stderr
    );
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_before_login_say_how_to_log_in() {
    let s = Server::start(Default::default()).await;
    let r = s.zeroth(&["apps", "list"]).await;
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("zeroth login"), "{}", r.stderr);
    s.running.stop().await.unwrap();
}

/// Commands reuse the token `login` fetched (one exchange, not one per command), and a
/// saved token the tenant refuses is replaced without the user noticing.
#[tokio::test(flavor = "multi_thread")]
async fn commands_reuse_the_saved_token_and_replace_a_refused_one() {
    let s = Server::start(Default::default()).await;
    s.login().await;
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.config_path()).unwrap()).unwrap();
    let token = saved["token"]["value"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(s.zeroth(&["apps", "list"]).await.code, Some(0));
    }
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.config_path()).unwrap()).unwrap();
    assert_eq!(after["token"]["value"], token.as_str(), "no new exchange");

    let mut broken = after.clone();
    broken["token"]["value"] = serde_json::json!("not.a.token");
    std::fs::write(s.config_path(), serde_json::to_vec(&broken).unwrap()).unwrap();
    let r = s.zeroth(&["apps", "list"]).await;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let healed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.config_path()).unwrap()).unwrap();
    let new = healed["token"]["value"].as_str().unwrap();
    assert!(new != "not.a.token" && new.split('.').count() == 3);
    s.running.stop().await.unwrap();
}
