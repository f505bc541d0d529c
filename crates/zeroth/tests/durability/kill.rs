//! SIGKILL in the middle of writes: every acknowledged write is there after a restart.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection as _;

use crate::api::Api;
use crate::harness::{engine, Engine, ServeOpts, Tenant};

const CREATORS: usize = 3;
const PATCHERS: usize = 6;
/// Enough acknowledged writes that the kill lands among many more in flight.
const ACKED_BEFORE_KILL: usize = 60;
const MAX_WRITES_PER_TASK: usize = 2_000;

/// What one patcher (the only writer of its key) learned: its last acknowledged value
/// and every value it sent afterwards without an acknowledgement.
#[derive(Default, Debug)]
struct KeyLog {
    acked: Option<String>,
    unacked_after: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_keeps_every_acknowledged_write() {
    let tenant = Tenant::new(engine()).await;
    let mut node = tenant.serve();
    let port = node.port;
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let target = api.create_m2m("kill-target").await["client_id"]
        .as_str()
        .unwrap()
        .to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(30);

    let mut creators = Vec::new();
    for t in 0..CREATORS {
        let (api, stop, acked) = (api.clone(), stop.clone(), acked.clone());
        creators.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..MAX_WRITES_PER_TASK {
                if stop.load(Ordering::Relaxed) || Instant::now() > deadline {
                    break;
                }
                let body = json!({"name": format!("kill-{t}-{n}")});
                match api
                    .try_send(reqwest::Method::POST, "/clients", Some(&body))
                    .await
                {
                    Ok((StatusCode::CREATED, v)) => {
                        ids.push(v["client_id"].as_str().unwrap().to_string());
                        acked.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((status, v)) => panic!("create refused with {status}: {v}"),
                    Err(_) => break, // the server is gone
                }
            }
            ids
        }));
    }
    let mut patchers = Vec::new();
    for t in 0..PATCHERS {
        let (api, stop, acked, target) = (api.clone(), stop.clone(), acked.clone(), target.clone());
        patchers.push(tokio::spawn(async move {
            let mut log = KeyLog::default();
            for n in 0..MAX_WRITES_PER_TASK {
                if stop.load(Ordering::Relaxed) || Instant::now() > deadline {
                    break;
                }
                let value = format!("t{t}-n{n}");
                let body = json!({"client_metadata": {format!("k{t}"): value}});
                let path = format!("/clients/{target}");
                match api
                    .try_send(reqwest::Method::PATCH, &path, Some(&body))
                    .await
                {
                    Ok((StatusCode::OK, _)) => {
                        log.acked = Some(value);
                        log.unacked_after.clear();
                        acked.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((status, v)) => panic!("PATCH refused with {status}: {v}"),
                    Err(_) => {
                        log.unacked_after.push(value);
                        break;
                    }
                }
            }
            log
        }));
    }

    let wait_until = Instant::now() + Duration::from_secs(20);
    while acked.load(Ordering::Relaxed) < ACKED_BEFORE_KILL && Instant::now() < wait_until {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        acked.load(Ordering::Relaxed) >= ACKED_BEFORE_KILL,
        "load never got going"
    );
    node.kill();
    stop.store(true, Ordering::Relaxed);

    let mut created = Vec::new();
    for c in creators {
        created.extend(c.await.unwrap());
    }
    let mut logs = Vec::new();
    for p in patchers {
        logs.push(p.await.unwrap());
    }
    assert!(
        logs.iter().any(|l| !l.unacked_after.is_empty()),
        "the kill should have cut at least one PATCH short: {logs:?}"
    );

    if tenant.engine() == Engine::Sqlite {
        assert_eq!(sqlite_integrity(&tenant.url()).await, "ok");
    }

    // Same port: the Management API audience is tied to the domain, localhost:PORT.
    let node = tenant.serve_with(&ServeOpts {
        port,
        ..ServeOpts::default()
    });
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    for id in &created {
        let (status, v) = api.get_client(id).await;
        assert_eq!(status, StatusCode::OK, "acknowledged create {id} lost: {v}");
    }
    let (status, client) = api.get_client(&target).await;
    assert_eq!(status, StatusCode::OK);
    let meta = &client["client_metadata"];
    for (t, log) in logs.iter().enumerate() {
        let got = meta.get(format!("k{t}")).and_then(|v| v.as_str());
        let fine = match (got, &log.acked) {
            (Some(g), Some(a)) => g == a || log.unacked_after.iter().any(|u| u == g),
            (Some(g), None) => log.unacked_after.iter().any(|u| u == g),
            (None, None) => true,
            (None, Some(_)) => false,
        };
        assert!(fine, "k{t}: stored {got:?}, last acknowledged {log:?}");
    }
    eprintln!(
        "kill test: {} creates and {} PATCH keys verified after SIGKILL",
        created.len(),
        logs.len()
    );
}

/// `PRAGMA integrity_check` through sqlx, which also replays the WAL left by the kill.
async fn sqlite_integrity(url: &str) -> String {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let row = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let verdict: String = sqlx::Row::get(&row, 0);
    conn.close().await.unwrap();
    verdict
}
