//! An API and its grants through `zeroth apis` and `zeroth grants`, then the trail they
//! leave in `zeroth logs tail`.

use serde_json::json;

use crate::harness::Server;

#[tokio::test(flavor = "multi_thread")]
async fn an_api_is_updated_and_granted_and_the_changes_are_logged() {
    let s = Server::start(Default::default()).await;
    s.login().await;
    let app = s
        .json(&[
            "apps",
            "create",
            "--name",
            "Worker",
            "--type",
            "non_interactive",
        ])
        .await;
    let client_id = app["client_id"].as_str().unwrap().to_owned();
    let created = s
        .json(&[
            "apis",
            "create",
            "--name",
            "Orders",
            "--identifier",
            "https://orders.example.com",
            "--scopes",
            "read:orders",
        ])
        .await;
    let api_id = created["id"].as_str().unwrap().to_owned();

    let updated = s
        .json(&[
            "apis",
            "update",
            &api_id,
            "--scopes",
            "read:orders,write:orders",
            "--token-lifetime",
            "3600",
        ])
        .await;
    assert_eq!(
        updated["scopes"],
        json!([{"value": "read:orders"}, {"value": "write:orders"}])
    );
    assert_eq!(updated["token_lifetime"], 3600);
    let nothing = s.zeroth(&["apis", "update", &api_id]).await;
    assert_ne!(nothing.code, Some(0));
    assert!(
        nothing.stderr.contains("nothing to change"),
        "{}",
        nothing.stderr
    );

    let grant = s
        .json(&[
            "grants",
            "create",
            "--client-id",
            &client_id,
            "--audience",
            "https://orders.example.com",
            "--scopes",
            "read:orders",
        ])
        .await;
    let grant_id = grant["id"].as_str().unwrap().to_owned();
    let dup = s
        .zeroth(&[
            "grants",
            "create",
            "--client-id",
            &client_id,
            "--audience",
            "https://orders.example.com",
        ])
        .await;
    assert_ne!(dup.code, Some(0));
    assert!(
        dup.stderr.contains("already exists (conflict)"),
        "{}",
        dup.stderr
    );

    let widened = s
        .json(&[
            "grants",
            "update",
            &grant_id,
            "--scopes",
            "read:orders,write:orders",
        ])
        .await;
    assert_eq!(widened["scope"], json!(["read:orders", "write:orders"]));

    let table = s
        .zeroth(&["grants", "list", "--client-id", &client_id])
        .await;
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    let rows: Vec<&str> = table.stdout.lines().collect();
    assert!(rows[0].starts_with("ID"));
    assert_eq!(rows.len(), 2, "{}", table.stdout);
    assert!(rows[1].contains(&grant_id) && rows[1].contains("read:orders write:orders"));
    let other = s
        .json(&[
            "grants",
            "list",
            "--audience",
            "https://nothing.example.com",
        ])
        .await;
    assert_eq!(other, json!([]));

    let gone = s.zeroth(&["grants", "delete", &grant_id]).await;
    assert_eq!(gone.code, Some(0), "{}", gone.stderr);
    assert_eq!(
        s.json(&["grants", "list", "--client-id", &client_id]).await,
        json!([])
    );

    // Every change above is a `sapi` event; the newest comes last, as `tail` reads. The
    // server commits events in batches, so wait (bounded) for the grant's deletion.
    let mut events = Vec::new();
    for _ in 0..50 {
        let tail = s
            .zeroth(&["logs", "tail", "-n", "3", "--filter", "type:sapi", "--json"])
            .await;
        assert_eq!(tail.code, Some(0), "{}", tail.stderr);
        events = tail
            .stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect();
        if events
            .last()
            .is_some_and(|e| e["details"]["request"]["method"] == "delete")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events.iter().all(|e| e["type"] == "sapi"));
    assert_eq!(events[2]["details"]["request"]["method"], "delete");
    assert!(events[0]["log_id"].as_str() < events[2]["log_id"].as_str());
    let human = s.zeroth(&["logs", "tail", "-n", "1"]).await;
    assert_eq!(human.code, Some(0), "{}", human.stderr);
    assert_eq!(human.stdout.lines().count(), 1, "{}", human.stdout);
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn apps_open_prints_the_dashboard_page() {
    let s = Server::start(Default::default()).await;
    s.login().await;
    let r = s.zeroth(&["apps", "open", "abc123", "--no-browser"]).await;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout.trim(),
        format!("https://{}/admin/apps/abc123", s.running.tenant.domain)
    );
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_tail_follow_prints_events_as_they_happen() {
    use tokio::io::AsyncBufReadExt as _;
    let s = Server::start(Default::default()).await;
    s.login().await;
    let mut tail = tokio::process::Command::new(crate::harness::BIN)
        .args([
            "logs",
            "tail",
            "-n",
            "1",
            "--follow",
            "--interval",
            "1",
            "--json",
        ])
        .env("ZEROTH_CLI_CONFIG", s.config_path())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(tail.stdout.take().unwrap()).lines();
    // The first line is the newest event before we start: the login's token exchange.
    lines.next_line().await.unwrap().unwrap();
    let app = s.json(&["apps", "create", "--name", "Followed"]).await;
    assert!(app["client_id"].is_string());
    let found = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let e: serde_json::Value = serde_json::from_str(&line).unwrap();
            if e["type"] == "sapi" && e["details"]["request"]["body"]["name"] == "Followed" {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "the new application's event never arrived");
    tail.kill().await.unwrap();
    s.running.stop().await.unwrap();
}
