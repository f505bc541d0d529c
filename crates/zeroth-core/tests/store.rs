//! Store behaviour on every engine: CRUD round trips, paging, filters and cascades.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

async fn crud_round_trips(db: TestDb) {
    let s = db.open(&key(1)).await;
    s.ping().await.unwrap();
    assert_eq!(s.engine(), db.engine);

    let c = client(
        "c1",
        1000,
        json!({"name": "App", "app_type": "spa", "client_metadata": {"a": "1"}}),
    );
    s.insert_client(&c).await.unwrap();
    let got = s.get_client("c1").await.unwrap().unwrap();
    assert_eq!(got.doc, c.doc);
    assert_eq!(got.client_secret, c.client_secret);
    assert_eq!(
        (got.created_at, got.updated_at, got.version),
        (1000, 1000, 1)
    );
    assert!(s.get_client("nope").await.unwrap().is_none());
    assert!(matches!(
        s.insert_client(&c).await,
        Err(StoreError::Conflict(_))
    ));

    let upd = s
        .update_client::<_, StoreError>("c1", |cur| {
            let mut n = cur.clone();
            n.doc.insert("name".into(), json!("Renamed"));
            n.client_secret = None;
            Ok(n)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(upd.version, 2);
    assert!(upd.updated_at > 1000);
    let got = s.get_client("c1").await.unwrap().unwrap();
    assert_eq!(
        (got.doc["name"].clone(), got.client_secret, got.version),
        (json!("Renamed"), None, 2)
    );
    let missing = s
        .update_client::<_, StoreError>("nope", |c| Ok(c.clone()))
        .await
        .unwrap();
    assert!(missing.is_none());

    let a = api("rs1", "https://api.example/", 1000);
    s.insert_resource_server(&a).await.unwrap();
    for lookup in ["rs1", "https://api.example/"] {
        let got = s.get_resource_server(lookup).await.unwrap().unwrap();
        assert_eq!(
            (got.id.as_str(), got.doc.clone(), got.signing_secret.clone()),
            ("rs1", a.doc.clone(), a.signing_secret.clone())
        );
    }
    let dup_identifier = api("rs2", "https://api.example/", 1001);
    assert!(matches!(
        s.insert_resource_server(&dup_identifier).await,
        Err(StoreError::Conflict(_))
    ));
    let upd = s
        .update_resource_server::<_, StoreError>("rs1", |cur| {
            let mut n = cur.clone();
            n.doc.insert("token_lifetime".into(), json!(60));
            n.identifier = "https://changed/".into();
            Ok(n)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (upd.version, upd.identifier.as_str()),
        (2, "https://api.example/")
    );
    assert_eq!(
        s.get_resource_server("rs1").await.unwrap().unwrap().doc["token_lifetime"],
        json!(60)
    );

    let g = grant(
        "cgr_1",
        "c1",
        "https://api.example/",
        1000,
        json!({"scope": ["read:x"]}),
    );
    s.insert_client_grant(&g).await.unwrap();
    let got = s.get_client_grant("cgr_1").await.unwrap().unwrap();
    assert_eq!(
        (got.client_id.as_deref(), got.doc.clone()),
        (Some("c1"), g.doc.clone())
    );
    let found = s
        .find_client_grant("c1", "https://api.example/")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, "cgr_1");
    let dup = grant("cgr_2", "c1", "https://api.example/", 1001, json!({}));
    assert!(matches!(
        s.insert_client_grant(&dup).await,
        Err(StoreError::Conflict(_))
    ));
    let orphan = grant(
        "cgr_3",
        "no-such-client",
        "https://api.example/",
        1001,
        json!({}),
    );
    assert!(matches!(
        s.insert_client_grant(&orphan).await,
        Err(StoreError::Conflict(_))
    ));
    let upd = s
        .update_client_grant::<_, StoreError>("cgr_1", |cur| {
            let mut n = cur.clone();
            n.doc.insert("scope".into(), json!(["read:x", "write:x"]));
            Ok(n)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(upd.version, 2);
    assert_eq!(
        s.get_client_grant("cgr_1").await.unwrap().unwrap().doc["scope"],
        json!(["read:x", "write:x"])
    );

    s.insert_credential(&credential("cred_b", "c1", 2000))
        .await
        .unwrap();
    s.insert_credential(&credential("cred_a", "c1", 2000))
        .await
        .unwrap();
    let creds = s.list_credentials("c1").await.unwrap();
    assert_eq!(
        creds.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["cred_a", "cred_b"]
    );
    let mut changed = creds[0].clone();
    changed
        .doc
        .insert("expires_at".into(), json!("2030-01-01T00:00:00.000Z"));
    assert!(s.update_credential(&changed).await.unwrap());
    assert_eq!(
        s.get_credential("c1", "cred_a").await.unwrap().unwrap().doc,
        changed.doc
    );
    assert!(s.get_credential("other", "cred_a").await.unwrap().is_none());
    assert!(!s.delete_credential("other", "cred_a").await.unwrap());
    assert!(s.delete_credential("c1", "cred_a").await.unwrap());
    assert_eq!(s.list_credentials("c1").await.unwrap().len(), 1);

    assert!(s.consume_jti("c1", "j1", 4_000_000_000).await.unwrap());
    assert!(!s.consume_jti("c1", "j1", 4_000_000_000).await.unwrap());
    assert!(s.consume_jti("c2", "j1", 4_000_000_000).await.unwrap());

    assert_eq!(s.get_setting("tenant.name").await.unwrap(), None);
    s.put_setting("tenant.name", "acme").await.unwrap();
    s.put_setting("tenant.name", "acme2").await.unwrap();
    assert_eq!(
        s.get_setting("tenant.name").await.unwrap().as_deref(),
        Some("acme2")
    );
    assert!(s
        .put_setting("__zeroth_master_key_canary", "x")
        .await
        .is_err());

    assert!(s.delete_client_grant("cgr_1").await.unwrap());
    assert!(!s.delete_client_grant("cgr_1").await.unwrap());
}
both_engines!(crud_round_trips);

async fn signing_keys_rotate_whole(db: TestDb) {
    let s = db.open(&key(1)).await;
    let k1 = signing_key("k1", KeyState::Current, 100);
    let k2 = signing_key("k2", KeyState::Next, 200);
    s.insert_signing_key(&k1).await.unwrap();
    s.insert_signing_key(&k2).await.unwrap();
    assert!(matches!(
        s.insert_signing_key(&k1).await,
        Err(StoreError::Conflict(_))
    ));

    let mut prev = k1.clone();
    prev.state = KeyState::Previous;
    prev.current_until = Some(300);
    let mut cur = k2.clone();
    cur.state = KeyState::Current;
    cur.current_since = Some(300);
    let k3 = signing_key("k3", KeyState::Next, 300);
    s.save_signing_keys(&[prev, cur], Some(&k3)).await.unwrap();
    let keys = s.list_signing_keys().await.unwrap();
    let summary: Vec<_> = keys
        .iter()
        .map(|k| (k.kid.as_str(), k.state, k.current_since, k.current_until))
        .collect();
    assert_eq!(
        summary,
        [
            ("k1", KeyState::Previous, Some(100), Some(300)),
            ("k2", KeyState::Current, Some(300), None),
            ("k3", KeyState::Next, None, None),
        ]
    );
    assert_eq!(keys[2].private_pkcs8.0, b"PRIVATE-KEY-BYTES-k3");

    // A rotation naming a missing key changes nothing at all.
    let mut revoked = keys[0].clone();
    revoked.state = KeyState::Revoked;
    let ghost = signing_key("ghost", KeyState::Previous, 1);
    assert!(s
        .save_signing_keys(
            &[revoked, ghost],
            Some(&signing_key("k4", KeyState::Next, 400))
        )
        .await
        .is_err());
    let after = s.list_signing_keys().await.unwrap();
    assert_eq!(after.len(), 3);
    assert_eq!(after[0].state, KeyState::Previous);
}
both_engines!(signing_keys_rotate_whole);

async fn deletes_cascade(db: TestDb) {
    let s = db.open(&key(1)).await;
    for id in ["c1", "c2"] {
        s.insert_client(&client(id, 1, json!({}))).await.unwrap();
        s.insert_credential(&credential(&format!("cred_{id}"), id, 1))
            .await
            .unwrap();
    }
    s.insert_resource_server(&api("rs1", "aud1", 1))
        .await
        .unwrap();
    s.insert_resource_server(&api("rs2", "aud2", 1))
        .await
        .unwrap();
    for (g, c, a) in [
        ("g1", "c1", "aud1"),
        ("g2", "c1", "aud2"),
        ("g3", "c2", "aud1"),
        ("g4", "c2", "aud2"),
    ] {
        s.insert_client_grant(&grant(g, c, a, 1, json!({})))
            .await
            .unwrap();
    }
    assert!(s.delete_client("c1").await.unwrap());
    assert!(!s.delete_client("c1").await.unwrap());
    assert!(s.get_client("c1").await.unwrap().is_none());
    assert!(s.list_credentials("c1").await.unwrap().is_empty());
    assert_eq!(s.list_credentials("c2").await.unwrap().len(), 1);
    let ids = |p: PageOut<ClientGrantRow>| p.items.into_iter().map(|g| g.id).collect::<Vec<_>>();
    let all = PageReq::Offset {
        page: 0,
        per_page: 50,
    };
    assert_eq!(
        ids(s
            .list_client_grants(&Default::default(), &all, false)
            .await
            .unwrap()),
        ["g3", "g4"]
    );

    assert!(s.delete_resource_server("rs1").await.unwrap());
    assert!(!s.delete_resource_server("rs1").await.unwrap());
    assert!(s.get_resource_server("aud1").await.unwrap().is_none());
    assert_eq!(
        ids(s
            .list_client_grants(&Default::default(), &all, false)
            .await
            .unwrap()),
        ["g4"]
    );
}
both_engines!(deletes_cascade);

/// A batch of log events larger than one multi-row INSERT keeps every row and field.
async fn log_batches_keep_every_row(db: TestDb) {
    let s = db.open(&key(1)).await;
    let rows: Vec<LogRow> = (0..300)
        .map(|i| LogRow {
            log_id: format!("log{i:04}"),
            date: 1_000 + i,
            log_type: if i % 2 == 0 { "sapi" } else { "seccft" }.into(),
            client_id: (i % 3 == 0).then(|| format!("c{i}")),
            doc: obj(json!({"description": format!("event {i}"), "n": i})),
        })
        .collect();
    s.insert_logs(&rows).await.unwrap();
    let page = LogPage::Offset {
        page: 0,
        per_page: 1000,
        newest_first: false,
    };
    let got = s
        .list_logs(&LogFilter::default(), &page, true)
        .await
        .unwrap();
    assert_eq!(got.total, Some(300));
    assert_eq!(got.items.len(), 300);
    for (want, have) in rows.iter().zip(&got.items) {
        assert_eq!(have.log_id, want.log_id);
        assert_eq!((have.date, &have.log_type), (want.date, &want.log_type));
        assert_eq!(have.client_id, want.client_id);
        assert_eq!(have.doc["description"], want.doc["description"]);
    }
}
both_engines!(log_batches_keep_every_row);
