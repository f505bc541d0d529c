//! Cross-field business rules, checked on the full client after defaults or the PATCH merge.
//!
//! Wording: `Invalid grant types: <list>` is Auth0's (observed); the other messages are ours,
//! in the same terse style. `client_metadata` limits reuse the validator's tv4 wording.
//! All violations are reported together, joined with ` (also) `.

use crate::schema::{self, Problem};
use crate::Error;
use serde_json::{Map, Value};

/// Every grant type Auth0 knows (notes §3.1).
pub const KNOWN_GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "implicit",
    "refresh_token",
    "client_credentials",
    "password",
    "http://auth0.com/oauth/grant-type/password-realm",
    "http://auth0.com/oauth/grant-type/mfa-oob",
    "http://auth0.com/oauth/grant-type/mfa-otp",
    "http://auth0.com/oauth/grant-type/mfa-recovery-code",
    "urn:openid:params:grant-type:ciba",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token",
];

const METADATA_MAX_KEYS: usize = 10;
const METADATA_MAX_LEN: usize = 255;

/// `Ok` when the client satisfies every rule; otherwise one `invalid_body` naming them all.
pub fn check(client_after: &Map<String, Value>) -> Result<(), Error> {
    let mut messages = Vec::new();
    grant_types(client_after, &mut messages);
    let present = |k: &str| client_after.get(k).is_some_and(|v| !v.is_null());
    if present("client_authentication_methods") && present("token_endpoint_auth_method") {
        messages.push(
            "client_authentication_methods and token_endpoint_auth_method are mutually exclusive"
                .to_owned(),
        );
    }
    if client_after
        .get("organization_require_behavior")
        .and_then(Value::as_str)
        == Some("post_login_prompt")
        && client_after.get("oidc_conformant") != Some(&Value::Bool(true))
    {
        messages.push(
            "organization_require_behavior post_login_prompt requires oidc_conformant to be true"
                .to_owned(),
        );
    }
    let problems = metadata(client_after.get("client_metadata"));
    if !problems.is_empty() {
        messages.push(schema::payload_error(&problems));
    }
    if messages.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(messages.join(" (also) ")))
    }
}

fn grant_types(client: &Map<String, Value>, messages: &mut Vec<String>) {
    let Some(Value::Array(grants)) = client.get("grant_types") else {
        return;
    };
    let names: Vec<&str> = grants.iter().filter_map(Value::as_str).collect();
    let unknown: Vec<&str> = names
        .iter()
        .copied()
        .filter(|g| !KNOWN_GRANT_TYPES.contains(g))
        .collect();
    if !unknown.is_empty() {
        messages.push(format!("Invalid grant types: {}", unknown.join(", ")));
    }
    // A public client cannot authenticate, so it cannot use client credentials.
    let public = client
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
        == Some("none");
    if public && names.contains(&"client_credentials") {
        messages.push("Invalid grant types: client_credentials".to_owned());
    }
}

fn allowed_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ":,-+=_*?\"/\\()<>@\t ".contains(c)
}

fn metadata(value: Option<&Value>) -> Vec<Problem> {
    let Some(Value::Object(map)) = value else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    if map.len() > METADATA_MAX_KEYS {
        problems.push(Problem::new(
            "client_metadata",
            format!(
                "Too many properties defined ({}), maximum {METADATA_MAX_KEYS}",
                map.len()
            ),
        ));
    }
    for (key, v) in map {
        let path = format!("client_metadata.{key}");
        let key_len = key.encode_utf16().count();
        if key_len > METADATA_MAX_LEN {
            let msg =
                format!("Property name is too long ({key_len} chars), maximum {METADATA_MAX_LEN}");
            problems.push(Problem::new(&path, msg));
        }
        if !key.chars().all(allowed_key_char) {
            let msg = format!("Property name contains characters that are not allowed: {key}");
            problems.push(Problem::new(&path, msg));
        }
        match v {
            Value::String(s) => {
                let len = s.encode_utf16().count();
                if len > METADATA_MAX_LEN {
                    let msg =
                        format!("String is too long ({len} chars), maximum {METADATA_MAX_LEN}");
                    problems.push(Problem::new(&path, msg));
                }
            }
            other => {
                let msg = format!(
                    "Invalid type: {} (expected string)",
                    schema::type_name(other)
                );
                problems.push(Problem::new(&path, msg));
            }
        }
    }
    problems
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
