//! Create defaults: the observed Auth0 shapes for each app type, and the key order.

use super::*;

fn created(body: Value) -> Map<String, Value> {
    let mut m = body.as_object().unwrap().clone();
    apply_create_defaults(&mut m, "mytenant");
    m
}

#[test]
fn minimal_create_matches_auth0_shape_and_order() {
    let mut m = created(json!({"name": "My App"}));
    place_generated(&mut m, "abc", Some("sec"), json!([]));
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "tenant",
            "global",
            "is_token_endpoint_ip_header_trusted",
            "name",
            "is_first_party",
            "oidc_conformant",
            "cross_origin_authentication",
            "sso_disabled",
            "cross_origin_auth",
            "refresh_token",
            "signing_keys",
            "client_id",
            "callback_url_template",
            "client_secret",
            "jwt_configuration",
            "grant_types",
            "custom_login_page_on"
        ]
    );
    assert_eq!(
        Value::Object(m),
        json!({
            "tenant": "mytenant", "global": false, "is_token_endpoint_ip_header_trusted": false,
            "name": "My App", "is_first_party": true, "oidc_conformant": false,
            "cross_origin_authentication": false, "sso_disabled": false, "cross_origin_auth": false,
            "refresh_token": {"rotation_type": "non-rotating", "expiration_type": "non-expiring",
                "leeway": 0, "token_lifetime": 2592000, "infinite_token_lifetime": true,
                "infinite_idle_token_lifetime": true, "idle_token_lifetime": 1296000},
            "signing_keys": [], "client_id": "abc", "callback_url_template": false,
            "client_secret": "sec",
            "jwt_configuration": {"lifetime_in_seconds": 36000, "secret_encoded": false},
            "grant_types": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
            "custom_login_page_on": true
        })
    );
}

#[test]
fn grant_types_by_app_type() {
    let g = |b: Value| created(b)["grant_types"].clone();
    assert_eq!(
        g(json!({"name": "a", "app_type": "spa", "token_endpoint_auth_method": "none"})),
        json!(["authorization_code", "implicit", "refresh_token"])
    );
    assert_eq!(
        g(json!({"name": "a", "app_type": "resource_server"})),
        json!([])
    );
    assert_eq!(
        g(
            json!({"name": "a", "app_type": "regular_web", "third_party_security_mode": "strict", "is_first_party": false})
        ),
        json!(["authorization_code"])
    );
    assert_eq!(
        g(json!({"name": "a", "grant_types": ["password"]})),
        json!(["password"])
    );
}

#[test]
fn express_and_resource_server_specials() {
    let e = created(
        json!({"name": "a", "app_type": "express_configuration", "organization_usage": "allow"}),
    );
    assert_eq!(
        e["grant_types"],
        json!(["authorization_code", "client_credentials"])
    );
    assert_eq!(e["oidc_conformant"], json!(true));
    assert_eq!(
        e["jwt_configuration"],
        json!({"secret_encoded": false, "alg": "RS256"})
    );
    assert_eq!(e["organization_usage"], json!("allow"));
    assert_eq!(
        e["organization_require_behavior"],
        json!("pre_login_prompt")
    );
    assert_eq!(e["callbacks"], json!([EXPRESS_CALLBACK]));
    assert_eq!(
        e["client_authentication_methods"],
        json!({"private_key_jwt": {"credentials": []}})
    );
    let r = created(
        json!({"name": "a", "app_type": "resource_server", "resource_server_identifier": "https://api"}),
    );
    assert_eq!(r["oidc_conformant"], json!(true));
    assert_eq!(
        r["jwt_configuration"],
        json!({"secret_encoded": false, "alg": "RS256"})
    );
}

#[test]
fn provided_objects_are_completed_not_replaced() {
    let m = created(json!({
        "name": "a",
        "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": "3600"},
        "refresh_token": {"rotation_type": "rotating", "expiration_type": "expiring"},
        "cross_origin_authentication": true,
        "oidc_logout": {"backchannel_logout_urls": ["https://a.com/bc"]},
        "par_request_expiry": null
    }));
    assert_eq!(
        m["jwt_configuration"],
        json!({"secret_encoded": false, "alg": "RS256", "lifetime_in_seconds": 3600})
    );
    assert_eq!(
        m["refresh_token"],
        json!({"rotation_type": "rotating", "expiration_type": "expiring", "leeway": 0,
            "token_lifetime": 2592000, "infinite_token_lifetime": false,
            "infinite_idle_token_lifetime": false, "idle_token_lifetime": 1296000})
    );
    assert_eq!(m["cross_origin_auth"], json!(true));
    assert_eq!(
        m["oidc_backchannel_logout"],
        json!({"backchannel_logout_urls": ["https://a.com/bc"]})
    );
    assert!(!m.contains_key("par_request_expiry"));
}

#[test]
fn arrange_matches_place_generated_for_any_stored_order() {
    let mut stored = created(json!({"name": "My App", "callbacks": ["https://a.example/cb"]}));
    // A patch appends new keys after the tail; an import may bring any order.
    stored.insert("client_metadata".into(), json!({"k": "v"}));
    let stored: Map<String, Value> = stored.into_iter().rev().collect();
    let mut expected = stored.clone();
    place_generated(&mut expected, "abc", Some("sec"), json!([{"cert": "c"}]));
    let got = arrange(
        stored.clone(),
        Generated {
            client_id: "abc",
            client_secret: Some("sec"),
            signing_keys: Some(json!([{"cert": "c"}])),
        },
        |_| true,
    );
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert_eq!(got, expected);

    // Hidden keys are left out, generated ones included.
    let summary = arrange(
        stored,
        Generated {
            client_id: "abc",
            client_secret: Some("sec"),
            signing_keys: Some(json!([])),
        },
        |k| ["name", "client_id"].contains(&k),
    );
    assert_eq!(
        json!(summary),
        json!({"name": "My App", "client_id": "abc"})
    );
}
