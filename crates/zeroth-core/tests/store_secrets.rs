//! Secrets at rest: sealed in the database, guarded by the canary, re-sealed on
//! rotation, and carried whole through export and import.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

/// One row of every kind that holds a secret, plus a credential and a grant.
async fn fill(s: &Store) {
    s.insert_client(&client("c1", 10, json!({"name": "App"})))
        .await
        .unwrap();
    s.insert_client(&client("c2", 11, json!({"name": "Other"})))
        .await
        .unwrap();
    s.insert_resource_server(&api("rs1", "https://api/", 10))
        .await
        .unwrap();
    s.insert_client_grant(&grant(
        "g1",
        "c1",
        "https://api/",
        10,
        json!({"scope": ["a"]}),
    ))
    .await
    .unwrap();
    s.insert_credential(&credential("cred_1", "c1", 10))
        .await
        .unwrap();
    s.insert_signing_key(&signing_key("k1", KeyState::Current, 10))
        .await
        .unwrap();
    s.put_setting("tenant.friendly_name", "Acme").await.unwrap();
}

const PLAINTEXTS: &[&str] = &[
    "plaintext-secret-of-c1",
    "plaintext-secret-of-c2",
    "plaintext-signing-secret-rs1",
    "PRIVATE-KEY-BYTES-k1",
];

async fn secrets_are_sealed_at_rest(db: TestDb) {
    let s = db.open(&key(1)).await;
    fill(&s).await;
    // Updates re-seal too.
    s.update_client::<_, StoreError>("c2", |c| Ok(c.clone()))
        .await
        .unwrap();
    let raw = db.raw_dump(&s).await;
    assert!(raw.contains("App"), "the dump should hold the documents");
    assert!(raw.contains("v1:"), "the dump should hold sealed values");
    for p in PLAINTEXTS {
        assert!(!raw.contains(p), "{p} is stored in plaintext");
    }
    assert_eq!(
        s.get_client("c1")
            .await
            .unwrap()
            .unwrap()
            .client_secret
            .unwrap()
            .expose(),
        PLAINTEXTS[0]
    );
}
both_engines!(secrets_are_sealed_at_rest);

async fn wrong_master_key_fails_open(db: TestDb) {
    let s = db.open(&key(1)).await;
    fill(&s).await;
    s.close().await;
    let err = Store::open(&db.url, key(2)).await.err().unwrap();
    assert!(matches!(err, StoreError::Seal(_)));
    assert!(
        err.to_string()
            .contains("the master key does not match this database"),
        "{err}"
    );
    db.open(&key(1)).await;
}
both_engines!(wrong_master_key_fails_open);

async fn rotation_reseals_everything(db: TestDb) {
    let s = db.open(&key(1)).await;
    fill(&s).await;
    let before = db.raw_dump(&s).await;
    s.rotate_master_key(key(3)).await.unwrap();
    // This handle (and its clones) switch at once.
    let clone = s.clone();
    assert_eq!(
        clone
            .get_client("c1")
            .await
            .unwrap()
            .unwrap()
            .client_secret
            .unwrap()
            .expose(),
        PLAINTEXTS[0]
    );
    clone
        .insert_client(&client("c3", 12, json!({})))
        .await
        .unwrap();
    s.close().await;

    let err = Store::open(&db.url, key(1)).await.err().unwrap();
    assert!(err.to_string().contains("does not match"), "{err}");
    let s = db.open(&key(3)).await;
    for id in ["c1", "c2", "c3"] {
        let c = s.get_client(id).await.unwrap().unwrap();
        assert_eq!(
            c.client_secret.unwrap().expose(),
            format!("plaintext-secret-of-{id}")
        );
    }
    let rs = s.get_resource_server("rs1").await.unwrap().unwrap();
    assert_eq!(rs.signing_secret.unwrap().expose(), PLAINTEXTS[2]);
    assert_eq!(
        s.list_signing_keys().await.unwrap()[0].private_pkcs8.0,
        PLAINTEXTS[3].as_bytes()
    );
    let after = db.raw_dump(&s).await;
    for p in PLAINTEXTS {
        assert!(!after.contains(p));
    }
    if db.engine == Engine::Postgres {
        // Every sealed value changed (fresh nonces under a new key).
        let sealed = |d: &str| {
            d.split([',', '(', ')'])
                .filter(|t| t.starts_with("v1:"))
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let old = sealed(&before);
        assert!(old.len() >= 4);
        assert!(sealed(&after).iter().all(|v| !old.contains(v)));
    }
}
both_engines!(rotation_reseals_everything);

/// Export from `src`, import into `dst` (another engine, another master key).
async fn export_import(src: TestDb, dst: TestDb) {
    let a = src.open(&key(1)).await;
    fill(&a).await;
    let export = a.export_tenant().await.unwrap();
    assert_eq!(export["clients"][0]["client_secret"], json!(PLAINTEXTS[0]));
    let b = dst.open(&key(9)).await;
    b.import_tenant(&export).await.unwrap();
    let again = b.export_tenant().await.unwrap();
    for k in [
        "clients",
        "resource_servers",
        "client_grants",
        "credentials",
        "signing_keys",
        "settings",
    ] {
        assert_eq!(export[k], again[k], "{k} differs after the round trip");
    }
    assert_eq!(
        b.get_client("c2")
            .await
            .unwrap()
            .unwrap()
            .client_secret
            .unwrap()
            .expose(),
        PLAINTEXTS[1]
    );
    assert_eq!(
        b.get_setting("tenant.friendly_name")
            .await
            .unwrap()
            .as_deref(),
        Some("Acme")
    );
    let raw = dst.raw_dump(&b).await;
    assert!(PLAINTEXTS.iter().all(|p| !raw.contains(p)));
    // Only into an empty tenant.
    let err = b.import_tenant(&export).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref m) if m.contains("not empty")),
        "{err}"
    );
    assert!(b.import_tenant(&json!({"format": "other"})).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_import_sqlite_to_sqlite() {
    export_import(TestDb::sqlite(), TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_import_sqlite_to_postgres() {
    match TestDb::postgres().await {
        Some(pg) => export_import(TestDb::sqlite(), pg).await,
        None => eprintln!("ZEROTH_TEST_POSTGRES_URL unset: PostgreSQL variant skipped"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_import_postgres_to_sqlite() {
    match TestDb::postgres().await {
        Some(pg) => export_import(pg, TestDb::sqlite()).await,
        None => eprintln!("ZEROTH_TEST_POSTGRES_URL unset: PostgreSQL variant skipped"),
    }
}

async fn failed_import_leaves_nothing(db: TestDb) {
    let src = TestDb::sqlite();
    let a = src.open(&key(1)).await;
    fill(&a).await;
    let mut export = a.export_tenant().await.unwrap();
    // A grant for a client the export does not hold fails the whole import.
    export["client_grants"][0]["client_id"] = json!("missing");
    let b = db.open(&key(1)).await;
    assert!(b.import_tenant(&export).await.is_err());
    assert!(b.get_client("c1").await.unwrap().is_none());
    assert!(b.list_signing_keys().await.unwrap().is_empty());
}
both_engines!(failed_import_leaves_nothing);
