//! Create-time defaults (notes §3.3) and Auth0's response key order for a new client.
//!
//! Decisions: refresh-token defaults are "tenant A" (30 days absolute, 15 days idle);
//! the default grant list drops `client_credentials` for any public client
//! (`token_endpoint_auth_method: none`); a provided `jwt_configuration` gains
//! `secret_encoded:false` when missing and keeps a numeric-string lifetime as an integer;
//! top-level `null`s in a create body are dropped (Auth0 omits unset keys).

use super::merge;
use serde_json::{json, Map, Value};

const TOKEN_LIFETIME: i64 = 2_592_000;
const IDLE_TOKEN_LIFETIME: i64 = 1_296_000;
const EXPRESS_CALLBACK: &str = "https://system-admin.okta.com/admin/app/generic/oauth20redirect";

/// Keys Auth0 emits first, in this order, on a freshly created client.
const HEAD: &[&str] = &[
    "tenant",
    "global",
    "is_token_endpoint_ip_header_trusted",
    "name",
    "description",
    "is_first_party",
    "oidc_conformant",
    "cross_origin_authentication",
    "sso_disabled",
    "cross_origin_auth",
    "refresh_token",
];

/// Keys Auth0 emits after the free-form middle; the service generates the starred ones
/// (`signing_keys`, `client_id`, `client_secret`) and should place them with [`place_generated`].
const TAIL: &[&str] = &[
    "signing_keys",
    "client_id",
    "callback_url_template",
    "client_secret",
    "jwt_configuration",
    "client_aliases",
    "token_endpoint_auth_method",
    "app_type",
    "grant_types",
];

/// Fills in everything Auth0 sets on create and reorders `body` the way Auth0 returns it.
pub fn apply_create_defaults(body: &mut Map<String, Value>, tenant_name: &str) {
    body.retain(|_, v| !v.is_null());
    let app_type = body
        .get("app_type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let express = app_type.as_deref() == Some("express_configuration");
    let resource_server = app_type.as_deref() == Some("resource_server");
    let strict_third_party = body
        .get("third_party_security_mode")
        .and_then(Value::as_str)
        == Some("strict")
        && body.get("is_first_party") == Some(&Value::Bool(false));
    let public = body
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
        == Some("none");

    body.insert("tenant".into(), json!(tenant_name));
    body.insert("global".into(), json!(false));
    body.insert("callback_url_template".into(), json!(false));
    or_insert(body, "is_token_endpoint_ip_header_trusted", json!(false));
    or_insert(body, "is_first_party", json!(true));
    let conformant_by_type = express || resource_server || strict_third_party;
    or_insert(body, "oidc_conformant", json!(conformant_by_type));
    or_insert(body, "cross_origin_authentication", json!(false));
    or_insert(body, "sso_disabled", json!(false));
    or_insert(body, "custom_login_page_on", json!(true));
    let coa = body
        .get("cross_origin_authentication")
        .cloned()
        .unwrap_or(json!(false));
    body.insert("cross_origin_auth".into(), coa);

    let refresh = refresh_token(body.get("refresh_token"));
    body.insert("refresh_token".into(), refresh);
    let jwt = jwt_configuration(
        body.get("jwt_configuration"),
        express || resource_server,
        strict_third_party,
    );
    body.insert("jwt_configuration".into(), jwt);

    if !body.contains_key("grant_types") {
        let grants: &[&str] = if express {
            &["authorization_code", "client_credentials"]
        } else if resource_server {
            &[]
        } else if strict_third_party {
            &["authorization_code"]
        } else if public {
            &["authorization_code", "implicit", "refresh_token"]
        } else {
            &[
                "authorization_code",
                "implicit",
                "refresh_token",
                "client_credentials",
            ]
        };
        body.insert("grant_types".into(), json!(grants));
    }
    if express {
        or_insert(body, "organization_usage", json!("require"));
        or_insert(
            body,
            "organization_require_behavior",
            json!("pre_login_prompt"),
        );
        or_insert(body, "callbacks", json!([EXPRESS_CALLBACK]));
        or_insert(
            body,
            "client_authentication_methods",
            json!({"private_key_jwt": {"credentials": []}}),
        );
    }
    // Either spelling of back-channel logout given on create yields both in the response.
    let touched = body.clone();
    merge::sync_mirrors(body, &touched);
    reorder(body);
}

/// Inserts the generated values at the positions Auth0 returns them in.
pub fn place_generated(
    client: &mut Map<String, Value>,
    client_id: &str,
    client_secret: Option<&str>,
    signing_keys: Value,
) {
    client.insert("signing_keys".into(), signing_keys);
    client.insert("client_id".into(), json!(client_id));
    if let Some(secret) = client_secret {
        client.insert("client_secret".into(), json!(secret));
    }
    reorder(client);
}

/// What [`arrange`] puts in besides the stored document; `None` leaves a field out.
pub struct Generated<'a> {
    pub client_id: &'a str,
    pub client_secret: Option<&'a str>,
    pub signing_keys: Option<Value>,
}

/// The response object in one pass: the same order as [`place_generated`], keeping only
/// the top-level keys `keep` accepts. Values move out of `doc` instead of being copied
/// and no key is shifted, so rendering a page of clients stays linear in its size.
pub fn arrange(
    doc: Map<String, Value>,
    generated: Generated<'_>,
    keep: impl Fn(&str) -> bool,
) -> Map<String, Value> {
    let mut head: [Option<Value>; HEAD.len()] = Default::default();
    let mut tail: [Option<Value>; TAIL.len()] = Default::default();
    let mut middle = Vec::with_capacity(doc.len());
    let mut page_flag = None;
    for (key, value) in doc {
        if !keep(&key) {
            continue;
        }
        if let Some(i) = HEAD.iter().position(|h| *h == key) {
            head[i] = Some(value);
        } else if let Some(i) = TAIL.iter().position(|t| *t == key) {
            tail[i] = Some(value);
        } else if key == "custom_login_page_on" {
            page_flag = Some(value);
        } else {
            middle.push((key, value));
        }
    }
    let mut put = |name: &str, value: Option<Value>| {
        if let (Some(i), true) = (TAIL.iter().position(|t| *t == name), keep(name)) {
            if value.is_some() {
                tail[i] = value;
            }
        }
    };
    put("signing_keys", generated.signing_keys);
    put("client_id", Some(json!(generated.client_id)));
    put("client_secret", generated.client_secret.map(|s| json!(s)));

    let mut out = Map::with_capacity(HEAD.len() + middle.len() + TAIL.len() + 1);
    for (key, value) in HEAD.iter().zip(head) {
        if let Some(v) = value {
            out.insert((*key).to_owned(), v);
        }
    }
    out.extend(middle);
    for (key, value) in TAIL.iter().zip(tail) {
        if let Some(v) = value {
            out.insert((*key).to_owned(), v);
        }
    }
    if let Some(v) = page_flag {
        out.insert("custom_login_page_on".into(), v);
    }
    out
}

fn or_insert(body: &mut Map<String, Value>, key: &str, value: Value) {
    if !body.contains_key(key) {
        body.insert(key.into(), value);
    }
}

/// HEAD keys, then the caller's other keys in their order, then TAIL keys, then the page flag.
fn reorder(body: &mut Map<String, Value>) {
    let mut rest = std::mem::take(body);
    for key in HEAD {
        if let Some(v) = rest.shift_remove(*key) {
            body.insert((*key).into(), v);
        }
    }
    let tail: Vec<(String, Value)> = TAIL
        .iter()
        .filter_map(|k| rest.shift_remove(*k).map(|v| ((*k).to_owned(), v)))
        .collect();
    let page_flag = rest.shift_remove("custom_login_page_on");
    body.extend(rest);
    body.extend(tail);
    if let Some(v) = page_flag {
        body.insert("custom_login_page_on".into(), v);
    }
}

fn jwt_configuration(given: Option<&Value>, rs256: bool, strict: bool) -> Value {
    let Some(Value::Object(given)) = given else {
        return if rs256 {
            json!({"secret_encoded": false, "alg": "RS256"})
        } else if strict {
            json!({"secret_encoded": false, "alg": "RS256", "lifetime_in_seconds": 3600})
        } else {
            json!({"lifetime_in_seconds": 36000, "secret_encoded": false})
        };
    };
    let mut out = Map::new();
    if !given.contains_key("secret_encoded") {
        out.insert("secret_encoded".into(), json!(false));
    }
    for (k, v) in given {
        out.insert(k.clone(), v.clone());
    }
    // Older SDKs send the lifetime as a numeric string; we store and emit an integer.
    if let Some(Value::String(s)) = out.get("lifetime_in_seconds") {
        if let Ok(n) = s.parse::<i64>() {
            out.insert("lifetime_in_seconds".into(), json!(n));
        }
    }
    Value::Object(out)
}

fn refresh_token(given: Option<&Value>) -> Value {
    let Some(Value::Object(given)) = given else {
        return json!({
            "rotation_type": "non-rotating",
            "expiration_type": "non-expiring",
            "leeway": 0,
            "token_lifetime": TOKEN_LIFETIME,
            "infinite_token_lifetime": true,
            "infinite_idle_token_lifetime": true,
            "idle_token_lifetime": IDLE_TOKEN_LIFETIME,
        });
    };
    let mut out = given.clone();
    // Expiring tokens must really expire, so the tenant lifetimes fill in and infinity is off.
    let infinite = out.get("expiration_type").and_then(Value::as_str) != Some("expiring");
    or_insert(&mut out, "leeway", json!(0));
    or_insert(&mut out, "token_lifetime", json!(TOKEN_LIFETIME));
    or_insert(&mut out, "infinite_token_lifetime", json!(infinite));
    or_insert(&mut out, "infinite_idle_token_lifetime", json!(infinite));
    or_insert(&mut out, "idle_token_lifetime", json!(IDLE_TOKEN_LIFETIME));
    Value::Object(out)
}

#[cfg(test)]
#[path = "defaults_tests.rs"]
mod tests;
