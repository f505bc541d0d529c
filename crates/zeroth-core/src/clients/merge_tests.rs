//! Merge tests: Auth0's observed PATCH results and merge invariants under proptest.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn observed_auth0_merges() {
    let current = obj(json!({
        "name": "a",
        "callbacks": ["https://a.com", "https://b.com"],
        "jwt_configuration": {"secret_encoded": false, "lifetime_in_seconds": 36000},
        "mobile": {"android": {"app_package_name": "x"}, "ios": {"team_id": "t"}},
        "addons": {"samlp": {"mappings": {"a": "b"}, "logout": {"callback": "x"}}},
        "client_metadata": {"only": "one"},
        "session_transfer": {"delegation": {"allow_delegated_access": true}, "allow_refresh_token": true},
        "cross_origin_authentication": false,
        "cross_origin_auth": false
    }));
    let patch = obj(json!({
        "callbacks": ["https://c.com"],
        "jwt_configuration": {"alg": "RS256"},
        "mobile": {"android": {"sha256_cert_fingerprints": ["AA"]}},
        "addons": {"samlp": {"mappings": {}}},
        "client_metadata": {"only": null},
        "session_transfer": {"delegation": null},
        "cross_origin_authentication": true,
        "name": null
    }));
    let got = merge_patch(&current, &patch);
    assert_eq!(
        Value::Object(got),
        json!({
            "callbacks": ["https://c.com"],
            "jwt_configuration": {"secret_encoded": false, "lifetime_in_seconds": 36000, "alg": "RS256"},
            "mobile": {"android": {"sha256_cert_fingerprints": ["AA"]}, "ios": {"team_id": "t"}},
            "addons": {"samlp": {"mappings": {}}},
            "client_metadata": {},
            "session_transfer": {"allow_refresh_token": true},
            "cross_origin_authentication": true,
            "cross_origin_auth": true
        })
    );
}

#[test]
fn top_level_null_removes_and_new_objects_drop_nulls() {
    let current = obj(json!({"addons": {"rms": {"url": "https://x"}}, "name": "a"}));
    let got = merge_patch(
        &current,
        &obj(json!({"addons": null, "mobile": {"ios": null, "android": {}}})),
    );
    assert_eq!(
        Value::Object(got),
        json!({"name": "a", "mobile": {"android": {}}})
    );
}

#[test]
fn oidc_logout_keeps_its_deprecated_mirror() {
    let current = obj(json!({"name": "a"}));
    let patch = obj(json!({"oidc_logout": {"backchannel_logout_urls": ["https://a.com/bc"]}}));
    let got = merge_patch(&current, &patch);
    assert_eq!(
        got["oidc_backchannel_logout"],
        json!({"backchannel_logout_urls": ["https://a.com/bc"]})
    );
    let gone = merge_patch(&got, &obj(json!({"oidc_logout": null})));
    assert!(!gone.contains_key("oidc_backchannel_logout"));
    let alias = merge_patch(
        &current,
        &obj(json!({"oidc_backchannel_logout": {"backchannel_logout_urls": ["https://b.com"]}})),
    );
    assert_eq!(
        alias["oidc_logout"],
        json!({"backchannel_logout_urls": ["https://b.com"]})
    );
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-c]{0,3}".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map(
                "[a-d]|oidc_logout|cross_origin_authentication",
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn map() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(
        "[a-e]|oidc_logout|oidc_backchannel_logout|cross_origin_authentication|client_metadata",
        value(),
        0..6,
    )
    .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn empty_patch_is_identity(current in map()) {
        prop_assert_eq!(merge_patch(&current, &Map::new()), current);
    }

    #[test]
    fn patch_is_idempotent(current in map(), patch in map()) {
        let once = merge_patch(&current, &patch);
        let twice = merge_patch(&once, &patch);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn patched_scalars_win(current in map(), patch in map()) {
        let got = merge_patch(&current, &patch);
        for (k, v) in &patch {
            match v {
                Value::Null => prop_assert!(!got.contains_key(k) || k == "oidc_logout" || k == "oidc_backchannel_logout"),
                Value::Object(_) => prop_assert!(got.get(k).is_some_and(Value::is_object) || k == "oidc_logout" || k == "oidc_backchannel_logout"),
                other if k.len() == 1 => prop_assert_eq!(got.get(k), Some(other)),
                _ => {}
            }
        }
    }
}
