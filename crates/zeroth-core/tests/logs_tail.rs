//! Tailing the tenant log (`from` checkpoints) while events are being written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use serde_json::{json, Map};
use zeroth_core::logs::{LogEvent, LogSink};
use zeroth_core::store::*;

const WRITERS: usize = 4;
const EACH: usize = 3_000;

fn event(writer: usize, i: usize) -> LogEvent {
    LogEvent {
        log_type: "sapi",
        description: format!("{writer}-{i}"),
        client_id: None,
        client_name: None,
        ip: None,
        user_agent: None,
        details: json!({}),
        extra: Map::new(),
    }
}

fn descriptions(rows: &[LogRow]) -> impl Iterator<Item = String> + '_ {
    rows.iter()
        .map(|r| r.doc["description"].as_str().unwrap().to_string())
}

async fn stored(store: &Store) -> u64 {
    let page = LogPage::Offset {
        page: 0,
        per_page: 1,
        newest_first: true,
    };
    let out = store
        .list_logs(&LogFilter::default(), &page, true)
        .await
        .unwrap();
    out.total.unwrap()
}

/// `zeroth logs tail --follow` and log-shipping scripts read forward from the last id they
/// saw. That only works if an event committed later never gets an id below one already
/// read: many writers, one reader polling as fast as it can, and every event must reach
/// the reader exactly once.
async fn a_tail_following_checkpoints_misses_no_event(db: TestDb) {
    let store = db.open(&key(1)).await;
    let sink = LogSink::start(store.clone(), "tail-test".into(), 0);
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let sink = sink.clone();
            tokio::spawn(async move {
                for i in 0..EACH {
                    sink.record(event(w, i));
                    if i % 16 == 0 {
                        tokio::time::sleep(Duration::from_micros(200)).await;
                    }
                }
            })
        })
        .collect();

    let want = (WRITERS * EACH) as u64;
    let mut seen: Vec<String> = Vec::new();
    let mut from: Option<String> = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    // Set once every event is stored; the tail then reads on until a page comes back empty.
    let mut all_stored = false;
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "events never landed"
        );
        let page = LogPage::After {
            from: from.clone(),
            take: 100,
        };
        let got = store
            .list_logs(&LogFilter::default(), &page, false)
            .await
            .unwrap();
        if let Some(last) = got.items.last() {
            from = Some(last.log_id.clone());
        }
        seen.extend(descriptions(&got.items));
        if got.items.is_empty() {
            if all_stored {
                break;
            }
            all_stored = writers.iter().all(|w| w.is_finished()) && stored(&store).await == want;
            if !all_stored {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "the tail read an event twice");
    assert_eq!(
        seen.len() as u64,
        want,
        "the tail missed {} of {want} events",
        want - seen.len() as u64
    );
}
both_engines!(a_tail_following_checkpoints_misses_no_event);
