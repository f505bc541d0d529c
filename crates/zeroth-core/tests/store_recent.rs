//! The token endpoint's recent reads: a write on this node is seen by the next read, a
//! write by another node within `FRESH_FOR`; and reads that will not show a client's
//! secret do not return it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;
use zeroth_core::Secret;

async fn secret_of(s: &Store, id: &str) -> Option<String> {
    s.get_client_recent(id)
        .await
        .unwrap()
        .and_then(|c| c.client_secret.as_ref().map(|x| x.expose().to_owned()))
}

async fn local_writes_are_seen_at_once(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_client(&client("c1", 10, json!({"name": "App"})))
        .await
        .unwrap();
    s.insert_resource_server(&api("rs1", "https://api/", 10))
        .await
        .unwrap();
    let first = secret_of(&s, "c1").await.unwrap();
    assert!(s
        .find_client_grant_recent("c1", "https://api/")
        .await
        .unwrap()
        .is_none());
    assert!(s
        .get_resource_server_recent("https://api/")
        .await
        .unwrap()
        .is_some());

    // Rotating, granting and deleting here are visible to the very next read.
    s.update_client::<_, StoreError>("c1", |c| {
        let mut c = c.clone();
        c.client_secret = Some(Secret::new("rotated"));
        Ok(c)
    })
    .await
    .unwrap();
    assert_ne!(secret_of(&s, "c1").await.unwrap(), first);
    assert_eq!(secret_of(&s, "c1").await.unwrap(), "rotated");
    s.insert_client_grant(&grant("g1", "c1", "https://api/", 10, json!({"scope": []})))
        .await
        .unwrap();
    assert!(s
        .find_client_grant_recent("c1", "https://api/")
        .await
        .unwrap()
        .is_some());
    s.delete_client_grant("g1").await.unwrap();
    assert!(s
        .find_client_grant_recent("c1", "https://api/")
        .await
        .unwrap()
        .is_none());
    s.delete_resource_server("rs1").await.unwrap();
    assert!(s
        .get_resource_server_recent("https://api/")
        .await
        .unwrap()
        .is_none());
    s.delete_client("c1").await.unwrap();
    assert!(s.get_client_recent("c1").await.unwrap().is_none());
}
both_engines!(local_writes_are_seen_at_once);

async fn another_nodes_writes_are_seen_within_fresh_for(db: TestDb) {
    let here = db.open(&key(1)).await;
    let there = db.open(&key(1)).await;
    here.insert_client(&client("c1", 10, json!({"name": "App"})))
        .await
        .unwrap();
    let before = secret_of(&here, "c1").await.unwrap();
    there
        .update_client::<_, StoreError>("c1", |c| {
            let mut c = c.clone();
            c.client_secret = Some(Secret::new("rotated elsewhere"));
            Ok(c)
        })
        .await
        .unwrap();
    // Past FRESH_FOR the old copy may no longer answer.
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(50)).await;
    let after = secret_of(&here, "c1").await.unwrap();
    assert_ne!(after, before);
    assert_eq!(after, "rotated elsewhere");
}
both_engines!(another_nodes_writes_are_seen_within_fresh_for);

async fn reads_without_the_secret_leave_it_out(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_client(&client("c1", 10, json!({"name": "App"})))
        .await
        .unwrap();
    let bare = s.get_client_with("c1", false).await.unwrap().unwrap();
    assert!(bare.client_secret.is_none());
    assert_eq!(bare.doc["name"], json!("App"));
    let full = s.get_client_with("c1", true).await.unwrap().unwrap();
    assert_eq!(
        full.client_secret.unwrap().expose(),
        "plaintext-secret-of-c1"
    );
    let page = s
        .list_clients_with(
            &ClientFilter::default(),
            &PageReq::Offset {
                page: 0,
                per_page: 10,
            },
            false,
            false,
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.items[0].client_secret.is_none());
}
both_engines!(reads_without_the_secret_leave_it_out);

/// When a busy entry expires every request in flight misses it together; they wait for
/// one read of the row instead of each reading and parsing it.
async fn callers_missing_together_read_once(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_resource_server(&api("rs1", "https://api/", 10))
        .await
        .unwrap();
    s.insert_client(&client("c1", 10, json!({"name": "App"})))
        .await
        .unwrap();
    s.insert_client_grant(&grant("g1", "c1", "https://api/", 10, json!({"scope": []})))
        .await
        .unwrap();
    for round in 0..2 {
        let before = s.read_cache_fills();
        let callers: Vec<_> = (0..32)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move {
                    let api = s.get_resource_server_recent("https://api/").await.unwrap();
                    let c = s.get_client_recent("c1").await.unwrap();
                    let g = s
                        .find_client_grant_recent("c1", "https://api/")
                        .await
                        .unwrap();
                    (
                        api.unwrap().id.clone(),
                        c.unwrap().client_id.clone(),
                        g.is_some(),
                    )
                })
            })
            .collect();
        for caller in callers {
            let (api, client, granted) = caller.await.unwrap();
            assert_eq!(
                (api.as_str(), client.as_str(), granted),
                ("rs1", "c1", true)
            );
        }
        assert_eq!(s.read_cache_fills() - before, 3, "round {round}");
        // Expired: the next burst reads each row once more.
        tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(50)).await;
    }
    // A key that does not exist is not kept: each ask reads again.
    let before = s.read_cache_fills();
    assert!(s.get_client_recent("nobody").await.unwrap().is_none());
    assert!(s.get_client_recent("nobody").await.unwrap().is_none());
    assert_eq!(s.read_cache_fills() - before, 2);
}
both_engines!(callers_missing_together_read_once);
