//! Listing grants and APIs: filters, offset pages and checkpoints.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

mod common;

use common::*;
use serde_json::json;
use zeroth_core::store::*;

fn gid(g: &ClientGrantRow) -> &str {
    &g.id
}
fn rid(r: &ResourceServerRow) -> &str {
    &r.id
}

fn ids<T>(p: &PageOut<T>, id: fn(&T) -> &str) -> Vec<String> {
    p.items.iter().map(|x| id(x).to_string()).collect()
}

async fn grants_and_apis_filter_and_page(db: TestDb) {
    let s = db.open(&key(1)).await;
    for c in ["a", "b"] {
        s.insert_client(&client(c, 1, json!({}))).await.unwrap();
    }
    for i in 0..6i64 {
        s.insert_resource_server(&api(&format!("rs{i}"), &format!("aud{i}"), 100 + i))
            .await
            .unwrap();
        for c in ["a", "b"] {
            let doc = json!({"allow_any_organization": i % 2 == 0, "subject_type": if i == 5 { "user" } else { "client" }});
            s.insert_client_grant(&grant(
                &format!("g{c}{i}"),
                c,
                &format!("aud{i}"),
                100 + i,
                doc,
            ))
            .await
            .unwrap();
        }
    }
    let everything = PageReq::Offset {
        page: 0,
        per_page: 100,
    };
    let by_client = ClientGrantFilter {
        client_id: Some("a".into()),
        ..Default::default()
    };
    let p = s
        .list_client_grants(&by_client, &everything, true)
        .await
        .unwrap();
    assert_eq!(
        (p.total, ids(&p, gid)),
        (
            Some(6),
            ["ga0", "ga1", "ga2", "ga3", "ga4", "ga5"]
                .map(String::from)
                .to_vec()
        )
    );
    let by_aud = ClientGrantFilter {
        audience: Some("aud3".into()),
        ..Default::default()
    };
    assert_eq!(
        ids(
            &s.list_client_grants(&by_aud, &everything, false)
                .await
                .unwrap(),
            gid
        ),
        ["ga3", "gb3"]
    );
    let any_org = ClientGrantFilter {
        allow_any_organization: Some(true),
        client_id: Some("b".into()),
        ..Default::default()
    };
    assert_eq!(
        ids(
            &s.list_client_grants(&any_org, &everything, false)
                .await
                .unwrap(),
            gid
        ),
        ["gb0", "gb2", "gb4"]
    );
    let users = ClientGrantFilter {
        subject_type: Some("user".into()),
        ..Default::default()
    };
    assert_eq!(
        s.list_client_grants(&users, &everything, true)
            .await
            .unwrap()
            .total,
        Some(2)
    );

    // A default grant (no client) among twelve client grants: the filter is part of the
    // query, so the first small page holds it and the total counts only it.
    let mut default = grant("gdefault", "a", "aud0", 200, json!({}));
    default.client_id = None;
    s.insert_client_grant(&default).await.unwrap();
    let defaults = ClientGrantFilter {
        without_client: true,
        ..Default::default()
    };
    let p = s
        .list_client_grants(
            &defaults,
            &PageReq::Offset {
                page: 0,
                per_page: 2,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        (p.total, ids(&p, gid)),
        (Some(1), vec!["gdefault".to_string()])
    );
    s.delete_client_grant("gdefault").await.unwrap();

    let mut seen = Vec::new();
    let mut from = None;
    loop {
        let p = s
            .list_client_grants(
                &ClientGrantFilter::default(),
                &PageReq::Checkpoint { from, take: 5 },
                false,
            )
            .await
            .unwrap();
        seen.extend(ids(&p, gid));
        from = p.next;
        if from.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 12);
    assert_eq!(&seen[..4], ["ga0", "gb0", "ga1", "gb1"]);

    let p = s
        .list_resource_servers(
            &PageReq::Offset {
                page: 1,
                per_page: 4,
            },
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        (p.total, ids(&p, rid)),
        (Some(6), vec!["rs4".to_string(), "rs5".to_string()])
    );
    let p = s
        .list_resource_servers(
            &PageReq::Checkpoint {
                from: None,
                take: 4,
            },
            false,
        )
        .await
        .unwrap();
    let rest = s
        .list_resource_servers(
            &PageReq::Checkpoint {
                from: p.next,
                take: 4,
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(ids(&rest, rid), ["rs4", "rs5"]);
    assert!(rest.next.is_none());
}
both_engines!(grants_and_apis_filter_and_page);
