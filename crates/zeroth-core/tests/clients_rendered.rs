//! Reads answered from rendered copies are byte for byte what rendering afresh gives,
//! never stale after a write, and never keep a secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{key, TestDb};
use serde_json::{json, Value};
use zeroth_core::clients::rendered::Renders;
use zeroth_core::clients::service::{self, Ctx, ListQuery};
use zeroth_core::scopes::Granted;
use zeroth_core::store::{ClientFilter, PageReq};
use zeroth_core::tenant::Tenant;

fn query(page: PageReq, include_totals: bool) -> ListQuery {
    ListQuery {
        filter: ClientFilter::default(),
        page,
        include_totals,
        fields: None,
        include_fields: true,
    }
}

async fn rendered_reads_match_fresh_ones(db: TestDb) {
    let store = db.open(&key(1)).await;
    // On SQLite the store then holds list pages, and lists are rendered a page at a time.
    store.claim_owner().unwrap();
    let tenant = Tenant::new("localhost:8443", vec![]);
    let renders = Renders::default();
    let keys = Arc::new(
        json!([{"cert": "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n", "subject": "deprecated"}]),
    );
    let ctx = Ctx {
        store: &store,
        tenant: &tenant,
        signing_keys: Arc::clone(&keys),
        renders: &renders,
    };
    let all = Granted::from_claim(
        "read:clients read:client_keys create:clients update:clients update:client_keys",
    );
    let summary = Granted::from_claim("read:client_summary");
    let mut ids = Vec::new();
    for i in 0..5 {
        let c = service::create(
            &ctx,
            &all,
            json!({"name": format!("app {i}"), "app_type": "spa", "callbacks": ["https://a.example.com/\"quoted\""]}),
        )
        .await
        .unwrap();
        ids.push(c["client_id"].as_str().unwrap().to_owned());
    }
    let shapes = [
        query(
            PageReq::Offset {
                page: 0,
                per_page: 3,
            },
            false,
        ),
        query(
            PageReq::Offset {
                page: 1,
                per_page: 3,
            },
            true,
        ),
        query(
            PageReq::Checkpoint {
                from: None,
                take: 2,
            },
            false,
        ),
    ];
    for granted in [&all, &summary] {
        // Twice: the first renders and keeps, the second answers from what was kept.
        for _ in 0..2 {
            for q in &shapes {
                let fresh =
                    serde_json::to_vec(&service::list(&ctx, granted, q).await.unwrap()).unwrap();
                let fast = service::list_json(&ctx, granted, q).await.unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    String::from_utf8(fresh).unwrap()
                );
            }
            for id in &ids {
                let fresh = serde_json::to_vec(&Value::Object(
                    service::get(&ctx, granted, id, None, true).await.unwrap(),
                ))
                .unwrap();
                let fast = service::get_json(&ctx, granted, id, None, true)
                    .await
                    .unwrap();
                assert_eq!(fast, fresh);
            }
        }
    }
    let secret_of = |bytes: &[u8]| -> Value {
        serde_json::from_slice::<Value>(bytes).unwrap()["client_secret"].clone()
    };
    let before = secret_of(
        &service::get_json(&ctx, &all, &ids[0], None, true)
            .await
            .unwrap(),
    );
    assert!(before.as_str().is_some_and(|s| s.len() >= 32));

    // A write is seen at once, and a rotated secret is the one spliced in.
    service::update(&ctx, &all, &ids[0], json!({"name": "renamed"}))
        .await
        .unwrap();
    let rotated = service::rotate_secret(&ctx, &all, &ids[0]).await.unwrap();
    let after: Value = serde_json::from_slice(
        &service::get_json(&ctx, &all, &ids[0], None, true)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(after["name"], "renamed");
    assert_eq!(after["client_secret"], rotated["client_secret"]);
    assert_ne!(after["client_secret"], before);
    for q in &shapes {
        let fast = service::list_json(&ctx, &all, q).await.unwrap();
        let fresh = serde_json::to_vec(&service::list(&ctx, &all, q).await.unwrap()).unwrap();
        assert_eq!(fast, fresh);
    }
    for secret in [&before, &after["client_secret"]] {
        assert!(!renders.holds(secret.as_str().unwrap().as_bytes()));
    }
    assert!(
        renders.holds(b"renamed"),
        "the copies are there to be searched"
    );
    // Readers without key scopes never see a secret, even from a copy made for one who could.
    let hidden: Value = serde_json::from_slice(
        &service::get_json(&ctx, &summary, &ids[0], None, true)
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(hidden.get("client_secret").is_none());

    // New signing keys void every copy.
    let new_keys = Arc::new(json!([{"cert": "NEW", "subject": "deprecated"}]));
    let ctx2 = Ctx {
        signing_keys: new_keys,
        ..ctx
    };
    let shown: Value = serde_json::from_slice(
        &service::get_json(&ctx2, &all, &ids[1], None, true)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        shown["signing_keys"],
        json!([{"cert": "NEW", "subject": "deprecated"}])
    );
}
both_engines!(rendered_reads_match_fresh_ones);
