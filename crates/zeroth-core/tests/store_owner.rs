//! The serving process owns a SQLite file: others cannot write behind its back, and its
//! memory-answered reads are never older than its own writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_owner_and_its_reads_follow_its_writes() {
    let db = TestDb::sqlite();
    let owner = db.open(&key(1)).await;
    assert!(owner.claim_owner().unwrap());
    assert!(owner.claim_owner().unwrap(), "claiming twice is harmless");

    let other = db.open(&key(1)).await;
    assert!(!other.claim_owner().unwrap());
    let refused = other.refuse_if_owned().unwrap_err().to_string();
    assert!(refused.contains("stop it first"), "{refused}");

    owner
        .insert_client(&client("c1", 1, json!({"name": "one"})))
        .await
        .unwrap();
    let first = owner.get_stored_client("c1", true).await.unwrap().unwrap();
    assert_eq!(
        first.client_secret.unwrap().expose(),
        "plaintext-secret-of-c1"
    );
    let page = PageReq::Offset {
        page: 0,
        per_page: 10,
    };
    let listed = owner
        .list_stored_clients(&ClientFilter::default(), &page, true, false)
        .await
        .unwrap();
    assert_eq!((listed.items.len(), listed.total), (1, Some(1)));
    assert!(listed.items[0].client_secret.is_none(), "not asked for");

    owner
        .update_client("c1", |row: &ClientRow| -> Result<ClientRow, StoreError> {
            let mut doc = row.doc.clone();
            doc.insert("name".into(), json!("renamed"));
            Ok(ClientRow { doc, ..row.clone() })
        })
        .await
        .unwrap();
    owner
        .insert_client(&client("c2", 2, json!({})))
        .await
        .unwrap();
    let again = owner.get_client("c1").await.unwrap().unwrap();
    assert_eq!(again.doc["name"], "renamed");
    let listed = owner
        .list_stored_clients(&ClientFilter::default(), &page, true, true)
        .await
        .unwrap();
    assert_eq!(listed.total, Some(2));
    assert!(listed.items[1].client_secret.is_some());
    owner.delete_client("c2").await.unwrap();
    assert!(owner.get_client("c2").await.unwrap().is_none());

    // The lock goes with the owner: once it is closed and dropped, another may claim.
    owner.close().await;
    drop(owner);
    assert!(other.claim_owner().unwrap());
}

/// The owning store of `db`, holding one client `c1` with `doc`.
async fn owner_of_c1(db: &TestDb, doc: serde_json::Value) -> Store {
    let store = db.open(&key(1)).await;
    assert!(store.claim_owner().unwrap());
    store.insert_client(&client("c1", 1, doc)).await.unwrap();
    store
}

/// Changes queued together share a commit, and still behave as if each ran alone: every
/// accepted one is kept, refused ones change nothing, each caller sees its own change.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_changes_to_one_client_all_survive() {
    let db = TestDb::sqlite();
    let store = owner_of_c1(&db, json!({})).await;
    let calls: Vec<_> = (0..64)
        .map(|i| {
            let s = store.clone();
            tokio::spawn(async move {
                s.update_client_queued(
                    "c1",
                    move |row: &ClientRow| -> Result<ClientRow, StoreError> {
                        if i % 8 == 7 {
                            return Err(StoreError::InvalidInput(format!("refused {i}")));
                        }
                        let mut doc = row.doc.clone();
                        doc.insert(format!("k{i}"), json!(i));
                        Ok(ClientRow { doc, ..row.clone() })
                    },
                )
                .await
            })
        })
        .collect();
    let mut accepted = 0;
    for (i, call) in calls.into_iter().enumerate() {
        match call.await.unwrap() {
            Ok(Some(row)) => {
                assert_eq!(
                    row.doc[&format!("k{i}")],
                    json!(i),
                    "each caller sees its own change"
                );
                accepted += 1;
            }
            Err(StoreError::InvalidInput(m)) => assert_eq!(m, format!("refused {i}")),
            other => panic!("change {i}: {other:?}"),
        }
    }
    assert_eq!(accepted, 56);
    let row = store.get_client("c1").await.unwrap().unwrap();
    assert_eq!(row.version, 1 + 56);
    for i in 0..64 {
        assert_eq!(row.doc.contains_key(&format!("k{i}")), i % 8 != 7, "k{i}");
    }
    // A change to a client that does not exist answers None, as the direct path does.
    let missing = store
        .update_client_queued("nope", |row: &ClientRow| -> Result<ClientRow, StoreError> {
            Ok(row.clone())
        })
        .await
        .unwrap();
    assert!(missing.is_none());
    // What was acknowledged is on disk: a second handle reads it from the file.
    let other = db.open(&key(1)).await;
    assert_eq!(other.get_client("c1").await.unwrap().unwrap().version, 57);
}

/// A change to one client leaves the owner's copies of the others current (no query),
/// and a write that may touch clients without naming them sends every read back to the
/// database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_voids_only_the_copies_it_may_have_changed() {
    let db = TestDb::sqlite();
    let store = db.open(&key(1)).await;
    assert!(store.claim_owner().unwrap());
    for (id, n) in [("c1", 1), ("c2", 2)] {
        store
            .insert_client(&client(id, n, json!({"name": id})))
            .await
            .unwrap();
    }
    let rename = |name: &'static str| {
        move |row: &ClientRow| -> Result<ClientRow, StoreError> {
            let mut doc = row.doc.clone();
            doc.insert("name".into(), json!(name));
            Ok(ClientRow { doc, ..row.clone() })
        }
    };
    // Warm both copies.
    store.get_client("c1").await.unwrap().unwrap();
    store.get_client("c2").await.unwrap().unwrap();
    let reads = store.owner_database_reads();

    store
        .update_client_queued("c1", rename("one"))
        .await
        .unwrap()
        .unwrap();
    let c2 = store.get_client("c2").await.unwrap().unwrap();
    let c1 = store.get_client("c1").await.unwrap().unwrap();
    assert_eq!(
        (c1.doc["name"].clone(), c2.doc["name"].clone()),
        (json!("one"), json!("c2"))
    );
    assert_eq!(
        store.owner_database_reads(),
        reads,
        "both answered from memory"
    );

    store
        .update_client("c2", rename("two"))
        .await
        .unwrap()
        .unwrap();
    let c2 = store.get_client("c2").await.unwrap().unwrap();
    assert_eq!(c2.doc["name"], "two");

    // A resource server write names no client: copies are no longer trusted.
    let before = store.owner_database_reads();
    store
        .insert_resource_server(&api("api1", "https://api.example.com/", 3))
        .await
        .unwrap();
    let c1 = store.get_client("c1").await.unwrap().unwrap();
    assert_eq!(c1.doc["name"], "one");
    assert_eq!(store.owner_database_reads(), before + 1);

    store.delete_client("c1").await.unwrap();
    assert!(store.get_client("c1").await.unwrap().is_none());
    assert_eq!(
        store.get_client("c2").await.unwrap().unwrap().doc["name"],
        "two"
    );
}

/// Concurrent creations queue with concurrent changes: each new client is answered once
/// committed, a taken id fails only its own creation, and readers see every new client
/// at once (no copy or page kept from before hides it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_creations_share_commits_with_changes() {
    let db = TestDb::sqlite();
    let store = db.open(&key(1)).await;
    assert!(store.claim_owner().unwrap());
    store
        .insert_client(&client("c0", 1, json!({})))
        .await
        .unwrap();
    let page = PageReq::Offset {
        page: 0,
        per_page: 100,
    };
    let before = store
        .list_stored_clients(&ClientFilter::default(), &page, true, false)
        .await
        .unwrap();
    assert_eq!(before.total, Some(1));
    let creations: Vec<_> = (0..64)
        .map(|i| {
            let s = store.clone();
            tokio::spawn(async move {
                let id = if i % 8 == 7 {
                    "c0".to_string()
                } else {
                    format!("n{i:02}")
                };
                s.insert_client_queued(client(&id, 10 + i, json!({"name": format!("new {i}")})))
                    .await
            })
        })
        .collect();
    let changes: Vec<_> = (0..16)
        .map(|i| {
            let s = store.clone();
            tokio::spawn(async move {
                s.update_client_queued(
                    "c0",
                    move |row: &ClientRow| -> Result<ClientRow, StoreError> {
                        let mut doc = row.doc.clone();
                        doc.insert(format!("k{i}"), json!(i));
                        Ok(ClientRow { doc, ..row.clone() })
                    },
                )
                .await
            })
        })
        .collect();
    for (i, call) in creations.into_iter().enumerate() {
        match call.await.unwrap() {
            Ok(row) => {
                assert_ne!(i % 8, 7, "a taken id was accepted");
                assert_eq!(row.client_id, format!("n{i:02}"));
                assert_eq!(row.doc["name"], json!(format!("new {i}")));
            }
            Err(StoreError::Conflict(_)) => assert_eq!(i % 8, 7, "creation {i} refused"),
            Err(e) => panic!("creation {i}: {e:?}"),
        }
    }
    for call in changes {
        assert!(call.await.unwrap().unwrap().is_some());
    }
    let after = store
        .list_stored_clients(&ClientFilter::default(), &page, true, false)
        .await
        .unwrap();
    assert_eq!(after.total, Some(1 + 56));
    assert_eq!(
        store.get_client("n00").await.unwrap().unwrap().doc["name"],
        "new 0"
    );
    let c0 = store.get_client("c0").await.unwrap().unwrap();
    assert_eq!(c0.version, 1 + 16);
    assert!(
        c0.doc.get("name").is_none(),
        "a refused creation changed nothing"
    );
    // Acknowledged means on disk: a second handle reads them from the file.
    let other = db.open(&key(1)).await;
    let listed = other
        .list_stored_clients(&ClientFilter::default(), &page, true, false)
        .await
        .unwrap();
    assert_eq!(listed.total, Some(57));
    // A lone creation with a taken id is refused the same way.
    let again = store
        .insert_client_queued(client("n00", 99, json!({})))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store
        .insert_client_queued(client("solo", 99, json!({})))
        .await
        .unwrap();
    assert!(other.get_client("solo").await.unwrap().is_some());
}

/// A lone change commits at once on the owner's own connection, and never turns a lock
/// held elsewhere into an error: it waits its turn in the queue and then commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lone_change_waits_out_a_write_lock_held_elsewhere() {
    use sqlx::Connection as _;

    let db = TestDb::sqlite();
    let store = owner_of_c1(&db, json!({"name": "one"})).await;
    let rename = |name: &'static str| {
        move |row: &ClientRow| -> Result<ClientRow, StoreError> {
            let mut doc = row.doc.clone();
            doc.insert("name".into(), json!(name));
            Ok(ClientRow { doc, ..row.clone() })
        }
    };
    let first = store.update_client_queued("c1", rename("two")).await;
    assert_eq!(first.unwrap().unwrap().doc["name"], "two");
    let reader = db.open(&key(1)).await;
    let on_disk = reader.get_client("c1").await.unwrap().unwrap();
    assert_eq!(
        (on_disk.doc["name"].as_str(), on_disk.version),
        (Some("two"), 2)
    );

    // Another connection to the file takes SQLite's write lock and keeps it a while.
    let mut blocker = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut blocker)
        .await
        .unwrap();
    let s = store.clone();
    let waiting = tokio::spawn(async move { s.update_client_queued("c1", rename("three")).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the change waits for the lock");
    sqlx::query("ROLLBACK").execute(&mut blocker).await.unwrap();
    let done = waiting.await.unwrap().unwrap().unwrap();
    assert_eq!(
        (done.doc["name"].as_str(), done.version),
        (Some("three"), 3)
    );
    let on_disk = reader.get_client("c1").await.unwrap().unwrap();
    assert_eq!(
        (on_disk.doc["name"].as_str(), on_disk.version),
        (Some("three"), 3)
    );
}

/// The owner writes tenant log batches on its own connection: every row lands, on disk,
/// and a batch that cannot be written whole leaves nothing of itself behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owners_log_batches_are_whole_or_nothing() {
    let db = TestDb::sqlite();
    let store = db.open(&key(1)).await;
    assert!(store.claim_owner().unwrap());
    let row = |i: i64| LogRow {
        log_id: format!("log{i:04}"),
        date: 1_000 + i,
        log_type: if i % 2 == 0 { "sapi" } else { "seccft" }.into(),
        client_id: (i % 3 == 0).then(|| format!("c{i}")),
        doc: obj(json!({"description": format!("event {i}")})),
    };
    let rows: Vec<LogRow> = (0..300).map(row).collect();
    store.insert_logs(&rows).await.unwrap();
    let page = LogPage::Offset {
        page: 0,
        per_page: 1000,
        newest_first: false,
    };
    let reader = db.open(&key(1)).await;
    let got = reader
        .list_logs(&LogFilter::default(), &page, true)
        .await
        .unwrap();
    assert_eq!(got.total, Some(300));
    for (want, have) in rows.iter().zip(&got.items) {
        assert_eq!(have.log_id, want.log_id);
        assert_eq!((have.date, &have.log_type), (want.date, &want.log_type));
        assert_eq!(have.client_id, want.client_id);
        assert_eq!(have.doc["description"], want.doc["description"]);
    }

    // The last row reuses a stored id: the whole batch is refused.
    let mut again: Vec<LogRow> = (300..400).map(row).collect();
    again.push(row(7));
    assert!(store.insert_logs(&again).await.is_err());
    let got = reader
        .list_logs(&LogFilter::default(), &page, true)
        .await
        .unwrap();
    assert_eq!(
        got.total,
        Some(300),
        "nothing of the refused batch was kept"
    );
}
