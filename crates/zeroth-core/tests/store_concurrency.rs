//! Many writers at once: no lost updates, no duplicate ids, no migration race.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

async fn concurrent_updates_all_survive(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_client(&client("c1", 1, json!({"client_metadata": {}})))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.update_client::<_, StoreError>("c1", |cur| {
                    let mut n = cur.clone();
                    let meta = n
                        .doc
                        .get_mut("client_metadata")
                        .unwrap()
                        .as_object_mut()
                        .unwrap();
                    meta.insert(format!("k{i}"), json!(i.to_string()));
                    Ok(n)
                })
                .await
            })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().unwrap().is_some());
    }
    let got = s.get_client("c1").await.unwrap().unwrap();
    let meta = got.doc["client_metadata"].as_object().unwrap();
    assert_eq!(meta.len(), 64);
    assert!((0..64).all(|i| meta[&format!("k{i}")] == json!(i.to_string())));
    assert_eq!(got.version, 65);
}
both_engines!(concurrent_updates_all_survive);

async fn concurrent_grant_updates_all_survive(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_client(&client("c1", 1, json!({}))).await.unwrap();
    s.insert_client_grant(&grant("g1", "c1", "aud", 1, json!({"scope": []})))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.update_client_grant::<_, StoreError>("g1", |cur| {
                    let mut n = cur.clone();
                    n.doc["scope"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!(format!("s{i}")));
                    Ok(n)
                })
                .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let g = s.get_client_grant("g1").await.unwrap().unwrap();
    assert_eq!(g.doc["scope"].as_array().unwrap().len(), 32);
}
both_engines!(concurrent_grant_updates_all_survive);

async fn concurrent_inserts_of_one_id_yield_one_row(db: TestDb) {
    let s = db.open(&key(1)).await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.insert_client(&client("same", i, json!({"n": i}))).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("expected Conflict, got {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let all = s
        .list_clients(
            &Default::default(),
            &PageReq::Offset {
                page: 0,
                per_page: 50,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(all.total, Some(1));
}
both_engines!(concurrent_inserts_of_one_id_yield_one_row);

async fn nodes_starting_together_migrate_once(db: TestDb) {
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { Store::open(&url, key(1)).await })
        })
        .collect();
    let mut stores = Vec::new();
    for o in opens {
        stores.push(o.await.unwrap().unwrap());
    }
    stores[0]
        .insert_client(&client("c1", 1, json!({})))
        .await
        .unwrap();
    assert!(stores[5].get_client("c1").await.unwrap().is_some());
}
both_engines!(nodes_starting_together_migrate_once);

async fn update_errors_pass_through_untouched(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.insert_client(&client("c1", 1, json!({"name": "x"})))
        .await
        .unwrap();
    let r = s
        .update_client::<_, zeroth_core::Error>("c1", |_| {
            Err(zeroth_core::Error::InvalidBody("no".into()))
        })
        .await;
    assert!(matches!(r, Err(zeroth_core::Error::InvalidBody(m)) if m == "no"));
    assert_eq!(s.get_client("c1").await.unwrap().unwrap().version, 1);
}
both_engines!(update_errors_pass_through_untouched);
