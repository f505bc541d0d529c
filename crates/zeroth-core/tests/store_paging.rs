//! Listing in creation order: offset pages, checkpoints to the end, totals and filters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

fn cid(c: &ClientRow) -> &str {
    &c.client_id
}

fn ids<T>(p: &PageOut<T>, id: fn(&T) -> &str) -> Vec<String> {
    p.items.iter().map(|x| id(x).to_string()).collect()
}

async fn clients_page_in_creation_order(db: TestDb) {
    let s = db.open(&key(1)).await;
    // Ties on created_at fall back to the id, so order is total and stable.
    let mut expected = Vec::new();
    for i in 0..25i64 {
        let id = format!("c{:02}", 24 - i);
        let app = if i % 3 == 0 {
            "spa"
        } else if i % 3 == 1 {
            "native"
        } else {
            "non_interactive"
        };
        let doc = json!({"app_type": app, "global": i == 7, "is_first_party": i % 2 == 0});
        s.insert_client(&client(&id, 1000 + i / 2, doc))
            .await
            .unwrap();
        expected.push((1000 + i / 2, id));
    }
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
    let all = ClientFilter::default();

    let mut seen = Vec::new();
    for page in 0..3 {
        let p = s
            .list_clients(&all, &PageReq::Offset { page, per_page: 10 }, true)
            .await
            .unwrap();
        assert_eq!(p.total, Some(25));
        assert!(p.next.is_none());
        seen.extend(ids(&p, cid));
    }
    assert_eq!(seen, expected);
    let beyond = s
        .list_clients(
            &all,
            &PageReq::Offset {
                page: 9,
                per_page: 10,
            },
            false,
        )
        .await
        .unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, None);

    let mut seen = Vec::new();
    let mut from = None;
    let mut pages = 0;
    loop {
        let p = s
            .list_clients(
                &all,
                &PageReq::Checkpoint {
                    from: from.clone(),
                    take: 7,
                },
                false,
            )
            .await
            .unwrap();
        seen.extend(ids(&p, cid));
        pages += 1;
        match p.next {
            Some(n) => from = Some(n),
            None => break,
        }
    }
    assert_eq!((seen, pages), (expected.clone(), 4));
    // A page that ends exactly at the last row has no next.
    let exact = s
        .list_clients(
            &all,
            &PageReq::Checkpoint {
                from: None,
                take: 25,
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!((exact.items.len(), exact.next), (25, None));
    let bad = s
        .list_clients(
            &all,
            &PageReq::Checkpoint {
                from: Some("garbage!".into()),
                take: 5,
            },
            false,
        )
        .await;
    assert!(matches!(bad, Err(StoreError::InvalidInput(_))));

    let spa_or_native = ClientFilter {
        app_types: Some(vec!["spa".into(), "native".into()]),
        ..Default::default()
    };
    let p = s
        .list_clients(
            &spa_or_native,
            &PageReq::Offset {
                page: 0,
                per_page: 100,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(p.total, Some(17));
    assert!(p
        .items
        .iter()
        .all(|c| c.doc["app_type"] != "non_interactive"));
    let global = ClientFilter {
        is_global: Some(true),
        ..Default::default()
    };
    let p = s
        .list_clients(
            &global,
            &PageReq::Offset {
                page: 0,
                per_page: 100,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!((p.total, ids(&p, cid)), (Some(1), vec!["c17".to_string()]));
    let third_party_spa = ClientFilter {
        is_first_party: Some(false),
        app_types: Some(vec!["spa".into()]),
        ..Default::default()
    };
    let p = s
        .list_clients(
            &third_party_spa,
            &PageReq::Checkpoint {
                from: None,
                take: 2,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(p.total, Some(4));
    assert!(p.next.is_some());
    let rest = s
        .list_clients(
            &third_party_spa,
            &PageReq::Checkpoint {
                from: p.next,
                take: 2,
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 2);
    assert!(rest.next.is_none());
    assert!(rest
        .items
        .iter()
        .all(|c| c.doc["is_first_party"] == false && c.doc["app_type"] == "spa"));
    // Absent flags take Auth0's defaults: first party, not global.
    s.insert_client(&client("bare", 5000, json!({})))
        .await
        .unwrap();
    let fp = ClientFilter {
        is_first_party: Some(true),
        is_global: Some(false),
        ..Default::default()
    };
    let p = s
        .list_clients(
            &fp,
            &PageReq::Checkpoint {
                from: None,
                take: 100,
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(p.items.last().unwrap().client_id, "bare");
}
both_engines!(clients_page_in_creation_order);

/// The floor a restarted process stamps new items above: the newest `created_at` of any
/// listed table, whichever holds it.
async fn newest_creation_spans_every_listed_table(db: TestDb) {
    let s = db.open(&key(1)).await;
    assert_eq!(s.newest_created_at().await.unwrap(), 0, "an empty store");
    s.insert_client(&client("c1", 5_000, json!({"name": "a"})))
        .await
        .unwrap();
    assert_eq!(s.newest_created_at().await.unwrap(), 5_000);
    s.insert_resource_server(&api("r1", "urn:r1", 7_000))
        .await
        .unwrap();
    s.insert_client_grant(&grant("g1", "c1", "urn:r1", 6_000, json!({"scope": []})))
        .await
        .unwrap();
    assert_eq!(s.newest_created_at().await.unwrap(), 7_000);
    s.insert_credential(&credential("k1", "c1", 9_000))
        .await
        .unwrap();
    assert_eq!(s.newest_created_at().await.unwrap(), 9_000);
}
both_engines!(newest_creation_spans_every_listed_table);
