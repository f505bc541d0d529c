//! `zeroth config …` and `serve` driven by a file: precedence and errors that name the key.

use std::time::Duration;

use crate::process::{run, serve, zeroth};

#[test]
fn the_printed_default_checks_clean_and_errors_name_key_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(zeroth(&["config", "print-default"]));
    assert!(out.status.success());
    assert!(out.stdout.contains("[rate_limits]") && out.stdout.contains("ZEROTH_METRICS_LISTEN"));
    let file = dir.path().join("zeroth.toml");
    std::fs::write(&file, &out.stdout).unwrap();
    let path = file.to_str().unwrap();

    let ok = run(zeroth(&["config", "check", "--config", path]));
    assert!(ok.status.success(), "{}", ok.stderr);
    assert!(ok.stdout.contains("configuration OK"), "{}", ok.stdout);
    assert!(
        ok.stdout.contains("rate_limits.management = 2000"),
        "{}",
        ok.stdout
    );

    // The same file through ZEROTH_CONFIG, overridden by the environment, then a flag.
    let mut c = zeroth(&["config", "check", "--listen", "127.0.0.1:7003"]);
    c.env("ZEROTH_CONFIG", path)
        .env("ZEROTH_LISTEN", "127.0.0.1:7002");
    c.env("ZEROTH_RATE_LIMIT_MANAGEMENT", "7");
    let layered = run(c);
    assert!(layered.status.success(), "{}", layered.stderr);
    assert!(layered
        .stdout
        .contains("listen = \"127.0.0.1:7003\"  # flag --listen"));
    assert!(layered.stdout.contains(
        "rate_limits.management = 7  # environment variable ZEROTH_RATE_LIMIT_MANAGEMENT"
    ));

    std::fs::write(&file, format!("{}\n[metrics]\nlistn = \"x\"\n", "")).unwrap();
    let bad = run(zeroth(&["config", "check", "--config", path]));
    assert!(!bad.status.success());
    assert!(
        bad.stderr.contains("metrics.listn") && bad.stderr.contains(path),
        "{}",
        bad.stderr
    );

    std::fs::write(&file, "[logs]\nretention_days = -1\n").unwrap();
    let bad = run(zeroth(&["config", "check", "--config", path]));
    assert!(!bad.status.success());
    assert!(bad.stderr.contains("logs.retention_days"), "{}", bad.stderr);

    let mut c = zeroth(&["config", "check"]);
    c.env("ZEROTH_METRICS_LISTEN", "localhost");
    let bad = run(c);
    assert!(!bad.status.success());
    assert!(
        bad.stderr
            .contains("environment variable ZEROTH_METRICS_LISTEN"),
        "{}",
        bad.stderr
    );

    // `serve` refuses a bad configuration before touching anything.
    let data = dir.path().join("data");
    let bad = run(zeroth(&[
        "serve",
        "--data-dir",
        data.to_str().unwrap(),
        "--rate-limit-token-per-ip",
        "0",
    ]));
    assert!(!bad.status.success());
    assert!(
        bad.stderr.contains("flag --rate-limit-token-per-ip"),
        "{}",
        bad.stderr
    );
    assert!(!data.exists());
}

#[tokio::test]
async fn serve_takes_its_settings_from_the_file_and_json_logs_carry_request_ids() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let secret_file = dir.path().join("admin-secret");
    std::fs::write(&secret_file, "pinned-secret-from-a-file\n").unwrap();
    let file = dir.path().join("zeroth.toml");
    std::fs::write(
        &file,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = {:?}\n[tls]\nhttp = true\n\
             [metrics]\nlisten = \"127.0.0.1:0\"\n[logs]\nformat = \"json\"\n\
             [admin]\nclient_id = \"pinned-admin\"\nclient_secret_file = {:?}\n",
            data.to_str().unwrap(),
            secret_file.to_str().unwrap()
        ),
    )
    .unwrap();
    let stderr = dir.path().join("stderr.log");
    let started = std::time::Instant::now();
    let server = serve(
        zeroth(&["serve", "--config", file.to_str().unwrap()]),
        &stderr,
    );
    let admin = crate::process::admin(&data);
    assert_eq!(admin["client_id"], "pinned-admin");
    assert_eq!(admin["client_secret"], "pinned-secret-from-a-file");
    let metrics = server
        .metrics
        .clone()
        .expect("metrics listener from the file");
    let text = reqwest::get(&metrics).await.unwrap().text().await.unwrap();
    assert!(text.contains("zeroth_tokens_issued_total"));

    // A refused request is logged at info, as JSON, inside the request's span.
    let res = reqwest::get(format!("http://127.0.0.1:{}/api/v2/clients", server.port))
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let id = res.headers()["x-auth0-requestid"]
        .to_str()
        .unwrap()
        .to_string();
    let mut found = None;
    for _ in 0..50 {
        let logs = std::fs::read_to_string(&stderr).unwrap();
        found = logs
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|l| l["span"]["id"] == id.as_str());
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let line = found.unwrap_or_else(|| {
        panic!(
            "no JSON log line with request id {id}:\n{}",
            std::fs::read_to_string(&stderr).unwrap()
        )
    });
    assert_eq!(line["fields"]["status"], 401, "{line}");
    assert_eq!(line["fields"]["method"], "GET", "{line}");
    assert_eq!(line["fields"]["path"], "/api/v2/clients", "{line}");
    let logs = std::fs::read_to_string(&stderr).unwrap();
    assert!(!logs.contains("pinned-secret-from-a-file"));

    // The key watcher polls every second; with no rotation it has nothing to report (it
    // used to announce a change on its first poll after every start).
    tokio::time::sleep(Duration::from_millis(2500).saturating_sub(started.elapsed())).await;
    let logs = std::fs::read_to_string(&stderr).unwrap();
    assert!(!logs.contains("signing keys changed"), "{logs}");
}
