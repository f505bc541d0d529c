//! Fuzzed PATCH bodies over HTTP: a refused PATCH leaves the resource byte-for-byte as it was.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::TestApp;

/// Keys a client PATCH may carry, plus ones it may not.
const KEYS: &[&str] = &[
    "name",
    "description",
    "app_type",
    "callbacks",
    "allowed_origins",
    "grant_types",
    "token_endpoint_auth_method",
    "client_metadata",
    "jwt_configuration",
    "refresh_token",
    "oidc_logout",
    "mobile",
    "addons",
    "client_authentication_methods",
    "is_first_party",
    "logo_uri",
    "initiate_login_uri",
    "client_id",
    "client_secret",
    "tenant",
    "global",
    "signing_keys",
    "bogus",
    "",
];

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "",
            "x",
            "<b>",
            "spa",
            "client_credentials",
            "none",
            "http://insecure/cb",
            "https://ok.example.com/cb",
            "*",
            "RS256",
        ])
        .prop_map(|s| json!(s)),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn patch_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => prop::collection::vec((prop::sample::select(KEYS), value()), 0..5).prop_map(|kv| {
            Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        }),
        1 => value(),
    ]
}

/// Runs on the test's own runtime so each case can call the server.
#[test]
fn refused_client_patches_change_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(TestApp::spawn());
    let token = rt.block_on(app.admin_token());
    let id = rt.block_on(app.create_client(
        &token,
        json!({"name": "target", "app_type": "regular_web", "callbacks": ["https://ok.example.com/cb"],
               "client_metadata": {"k": "v"}}),
    ));
    let path = format!("/api/v2/clients/{id}");
    let get = |app: &TestApp| {
        let res = rt.block_on(app.call(Method::GET, &token, &path, None));
        assert_eq!(res.status, 200);
        res.bytes
    };
    let before = std::cell::RefCell::new(get(&app));
    let (refused, accepted) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    // Seeded, so a failure reproduces; each case is two or three HTTPS calls.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    runner
        .run(&patch_body(), |body| {
            let res = rt.block_on(app.call(Method::PATCH, &token, &path, Some(&body)));
            prop_assert!(res.status < 500, "{body}: {:#}", res.json);
            let after = get(&app);
            if res.status == 200 {
                accepted.set(accepted.get() + 1);
                *before.borrow_mut() = after;
            } else {
                refused.set(refused.get() + 1);
                prop_assert!(
                    res.json["statusCode"] == json!(res.status),
                    "{:#}",
                    res.json
                );
                prop_assert!(after == *before.borrow(), "{} changed the client", body);
            }
            Ok(())
        })
        .unwrap();
    let (refused, accepted) = (refused.get(), accepted.get());
    assert!(
        refused > 10,
        "too few refused bodies to mean anything: {refused}"
    );
    eprintln!("PATCH fuzz: {refused} refused, {accepted} accepted");
    rt.block_on(app.assert_alive());
}
