//! Many writers at once over HTTPS: no acknowledged change is lost, no id is handed out twice.

use std::collections::{HashMap, HashSet};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

use crate::api::Api;
use crate::harness::{engine, Tenant};

const IN_FLIGHT: usize = 64;
/// Auth0 allows at most 10 `client_metadata` keys.
const KEYS: usize = 10;
const ROUNDS: usize = 3;

/// Each round sends 64 PATCHes at once to one client, PATCH `i` setting `k{i % 10}` to a
/// value only it writes. A lost update (a writer merging into a stale copy) shows up as a
/// missing key or a value from an earlier round, since every round starts from `{}`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_lose_nothing() {
    let tenant = Tenant::new(engine()).await;
    let node = tenant.serve();
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let client = api.create_m2m("storm").await;
    let id = client["client_id"].as_str().unwrap().to_string();

    for round in 0..ROUNDS {
        let patches = (0..IN_FLIGHT).map(|i| {
            let api = api.clone();
            let id = id.clone();
            async move {
                let value = format!("r{round}-w{i}");
                let body = json!({"client_metadata": {format!("k{}", i % KEYS): value}});
                (i, value, api.patch_client(&id, &body).await)
            }
        });
        let mut written: HashMap<String, HashSet<String>> = HashMap::new();
        for (i, value, (status, body)) in join_all(patches).await {
            // Every PATCH must be acknowledged: 64 writers is ordinary load, not abuse.
            assert_eq!(status, StatusCode::OK, "round {round} PATCH {i}: {body}");
            let key = format!("k{}", i % KEYS);
            assert_eq!(body["client_metadata"][&key], json!(value), "echo of {i}");
            written.entry(key).or_default().insert(value);
        }

        let (status, now) = api.get_client(&id).await;
        assert_eq!(status, StatusCode::OK);
        let meta = now["client_metadata"].as_object().unwrap();
        assert_eq!(meta.len(), KEYS, "round {round}: keys lost: {meta:?}");
        for (key, values) in &written {
            let got = meta[key].as_str().unwrap();
            assert!(
                values.contains(got),
                "round {round}: {key} = {got:?}, not one of this round's acknowledged writes"
            );
        }

        // Delete every key at once; the next round must start from nothing.
        let clear: Map<String, Value> = (0..KEYS).map(|k| (format!("k{k}"), Value::Null)).collect();
        let (status, body) = api
            .patch_client(&id, &json!({"client_metadata": clear}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, now) = api.get_client(&id).await;
        assert_eq!(now["client_metadata"], json!({}), "round {round} clear");
    }
}

/// 64 creates at once: 64 acknowledgements, 64 distinct ids, all 64 listed afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_are_all_kept() {
    let tenant = Tenant::new(engine()).await;
    let node = tenant.serve();
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let before: HashSet<String> = api.all_client_ids().await.into_iter().collect();

    let creates = (0..IN_FLIGHT).map(|i| {
        let api = api.clone();
        async move {
            let (status, body) = api
                .send(
                    reqwest::Method::POST,
                    "/clients",
                    Some(&json!({"name": format!("parallel-{i}")})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "create {i}: {body}");
            assert_eq!(body["name"], json!(format!("parallel-{i}")));
            body["client_id"].as_str().unwrap().to_string()
        }
    });
    let ids: Vec<String> = join_all(creates).await;
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), IN_FLIGHT, "duplicate client ids handed out");

    let after: HashSet<String> = api.all_client_ids().await.into_iter().collect();
    for id in &ids {
        assert!(after.contains(id), "{id} acknowledged but not listed");
    }
    assert_eq!(
        after.len(),
        before.len() + IN_FLIGHT,
        "unexpected extra clients"
    );
}
