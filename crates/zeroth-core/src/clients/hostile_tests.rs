//! Arbitrary JSON into the request validators, the PATCH merges and the client rules: refused, never a panic.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::clients::{apply_create_defaults, merge_patch, rules, schema};
use crate::schema::Schema;
use crate::{client_grants, resource_servers};

/// Every property name the schemas know, at any depth, so generated bodies reach deep
/// validation paths instead of stopping at "Additional properties not allowed".
fn names() -> Vec<String> {
    fn walk(s: &Schema, out: &mut Vec<String>) {
        for (name, sub) in &s.properties {
            out.push((*name).to_string());
            walk(sub, out);
        }
        if let Some(items) = &s.items {
            walk(items, out);
        }
        for sub in s.one_of.iter().chain(s.any_of.iter()) {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(schema::update_schema(), &mut out);
    walk(resource_servers::schema::update_schema(), &mut out);
    out.sort();
    out.dedup();
    out
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(names()),
        1 => "[a-z_]{0,12}",
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            "x",
            "https://example.com/cb",
            "client_credentials",
            "none",
            "spa",
            "non_interactive",
            "RS256",
            "HS256",
            "*",
            "<script>",
            "2024-01-01T00:00:00Z",
        ])
        .prop_map(|s| json!(s)),
        any::<String>().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A body: usually an object of known keys, sometimes any JSON at all.
fn body() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::vec((key(), value()), 0..8)
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        1 => value(),
    ]
}

fn current_client() -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("name".into(), json!("existing"));
    doc.insert("callbacks".into(), json!(["https://example.com/cb"]));
    doc.insert("client_metadata".into(), json!({"a": "b"}));
    apply_create_defaults(&mut doc, "tenant");
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn client_bodies_never_panic(body in body()) {
        let _ = schema::validate_create(&body);
        let _ = schema::validate_update(&body);
        if let Value::Object(patch) = &body {
            // The service merges only validated patches, but the merge and the rules must
            // survive anything: a future caller may not validate first.
            let current = current_client();
            let merged = merge_patch(&current, patch);
            let _ = rules::check(&merged);
            let _ = rules::check(patch);
        }
    }

    #[test]
    fn api_and_grant_bodies_never_panic(body in body()) {
        let _ = resource_servers::schema::validate_create(&body);
        let _ = resource_servers::schema::validate_update(&body);
        let _ = resource_servers::schema::validate_system_update(&body);
        let _ = client_grants::schema::validate_create(&body);
        let _ = client_grants::schema::validate_update(&body);
        if let Value::Object(patch) = &body {
            let mut current = Map::new();
            current.insert("identifier".into(), json!("https://api.example.com/"));
            current.insert("scopes".into(), json!([{"value": "read:x"}]));
            resource_servers::defaults::apply_create_defaults(&mut current);
            let _ = resource_servers::merge::merge_patch(&current, patch);
        }
    }
}
