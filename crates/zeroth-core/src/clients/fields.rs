//! Field names, `fields=` parsing, read visibility by scope and write permissions by scope.
//!
//! Decisions (docs/API.md): an unknown or empty `fields` item is one `invalid_query_string`
//! problem per item (`Field is not allowed: x` / `Field name is empty`) on property `fields`;
//! denied field lists are joined with `, `; `tenant` is kept in `include_fields=true` output
//! (as Auth0 does) but an explicit exclusion removes it; writing `client_secret` or
//! `encryption_key` needs `update:client_keys` even for holders of `update:clients`.

use crate::schema::{self, Problem};
use crate::Error;
use serde_json::{Map, Value};

/// The 82 names Auth0 accepts in `fields` (its OAS regex), including dotted sub-fields.
#[rustfmt::skip]
pub const FIELDS: &[&str] = &[
    "name", "description", "callbacks", "oidc_backchannel_logout", "oidc_logout",
    "session_transfer", "allowed_origins", "web_origins", "client_id", "tenant", "global",
    "config_route", "callback_url_template", "jwt_configuration",
    "jwt_configuration.lifetime_in_seconds", "jwt_configuration.secret_encoded",
    "jwt_configuration.scopes", "jwt_configuration.alg", "api_type", "logo_uri",
    "allowed_clients", "owners", "custom_login_page", "custom_login_page_on", "sso", "addons",
    "form_template", "custom_login_page_preview", "encryption_key", "encryption_key.pub",
    "encryption_key.cert", "client_secret", "signing_keys", "mobile", "mobile.android",
    "mobile.ios", "token_endpoint_auth_method", "allowed_logout_urls", "app_type",
    "is_first_party", "oidc_conformant", "client_metadata", "is_token_endpoint_ip_header_trusted",
    "initiate_login_uri", "grant_types", "refresh_token", "refresh_token.rotation_type",
    "refresh_token.expiration_type", "refresh_token.leeway", "refresh_token.policies",
    "refresh_token.token_lifetime", "default_organization", "organization_usage",
    "organization_require_behavior", "organization_discovery_methods",
    "client_authentication_methods", "client_authentication_methods.private_key_jwt",
    "require_pushed_authorization_requests", "require_proof_of_possession", "id_token",
    "signed_request_object", "signed_request_object.required",
    "signed_request_object.credentials", "compliance_level",
    "skip_non_verifiable_callback_uri_confirmation_prompt", "token_exchange",
    "token_exchange.allow_any_profile_of_type", "token_quota",
    "identity_assertion_authorization_grant", "third_party_security_mode",
    "subject_type_authorization", "resource_server_identifier", "express_configuration",
    "my_organization_configuration", "async_approval_notification_channels",
    "token_vault_privileged_access", "token_vault_privileged_access.credentials",
    "registration_type", "external_metadata_type", "external_metadata_created_by",
    "external_client_id", "redirection_policy",
];

/// Readable with any client read scope (`read:client_summary` included).
pub const SUMMARY_FIELDS: &[&str] = &["client_id", "app_type", "name", "description"];

/// Readable only with `read:client_keys` or `read:client_credentials`.
pub const SECRET_FIELDS: &[&str] = &[
    "client_secret",
    "encryption_key",
    "signing_keys",
    "client_authentication_methods",
];

/// Splits and checks a raw `fields` query value.
pub fn parse_fields(raw: &str) -> Result<Vec<String>, Error> {
    let (out, problems) = check_fields(raw);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::InvalidQuery(schema::query_error(&problems)))
    }
}

/// The known names of a raw `fields` value and one problem per bad item, for callers
/// that report them together with other query problems.
pub fn check_fields(raw: &str) -> (Vec<String>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for item in raw.split(',') {
        if item.is_empty() {
            problems.push(Problem::new("fields", "Field name is empty"));
        } else if !FIELDS.contains(&item) {
            problems.push(Problem::new(
                "fields",
                format!("Field is not allowed: {item}"),
            ));
        } else {
            out.push(item.to_owned());
        }
    }
    (out, problems)
}

/// What a token may see of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadAccess {
    /// Non-secret configuration.
    pub config: bool,
    /// The secret fields.
    pub keys: bool,
}

impl ReadAccess {
    pub fn from_scopes(scopes: &[&str]) -> ReadAccess {
        let has = |s: &str| scopes.contains(&s);
        ReadAccess {
            config: has("read:clients") || has("read:client_keys"),
            keys: has("read:client_keys") || has("read:client_credentials"),
        }
    }

    /// Whether the top-level field `name` is visible.
    pub fn can_read(self, name: &str) -> bool {
        if SUMMARY_FIELDS.contains(&name) {
            true
        } else if SECRET_FIELDS.contains(&name) {
            self.keys
        } else {
            self.config
        }
    }
}

fn top(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// The client as the caller may see it, narrowed or trimmed by `fields`.
pub fn project(
    client: &Map<String, Value>,
    access: ReadAccess,
    fields: Option<&[String]>,
    include_fields: bool,
) -> Result<Map<String, Value>, Error> {
    let visible = client
        .iter()
        .filter(|(k, _)| access.can_read(k))
        .map(|(k, v)| (k.clone(), v.clone()));
    let Some(fields) = fields else {
        return Ok(visible.collect());
    };
    if !include_fields {
        let mut out: Map<String, Value> = visible.collect();
        for f in fields {
            match f.split_once('.') {
                Some((parent, sub)) => {
                    if let Some(Value::Object(inner)) = out.get_mut(parent) {
                        inner.shift_remove(sub);
                    }
                }
                None => {
                    out.shift_remove(f.as_str());
                }
            }
        }
        return Ok(out);
    }
    let denied: Vec<&str> = fields
        .iter()
        .filter(|f| !access.can_read(top(f)))
        .map(String::as_str)
        .collect();
    if !denied.is_empty() {
        return Err(Error::InsufficientScope(format!(
            "You cannot read the following fields: {}",
            denied.join(", ")
        )));
    }
    let mut out = Map::new();
    for (key, value) in visible {
        let whole = key == "tenant" || fields.contains(&key);
        if whole {
            out.insert(key, value);
            continue;
        }
        let subs: Vec<&str> = fields
            .iter()
            .filter_map(|f| f.split_once('.'))
            .filter(|(parent, _)| *parent == key)
            .map(|(_, sub)| sub)
            .collect();
        if let (false, Value::Object(inner)) = (subs.is_empty(), &value) {
            let kept: Map<String, Value> = inner
                .iter()
                .filter(|(k, _)| subs.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            out.insert(key, Value::Object(kept));
        }
    }
    Ok(out)
}

/// The scope a PATCH of `field` needs, beyond any endpoint scope.
fn update_scope_for(field: &str) -> &'static str {
    match field {
        "client_secret" | "encryption_key" => "update:client_keys",
        "client_authentication_methods" => "update:client_credentials",
        "token_vault_privileged_access" => "update:client_token_vault_privileged_access",
        _ => "update:clients",
    }
}

const UPDATE_SCOPES: &[&str] = &[
    "update:clients",
    "update:client_keys",
    "update:client_credentials",
    "update:client_token_vault_privileged_access",
];

/// PATCH /clients/{id}: endpoint scope first, then each field's own scope.
pub fn check_write_scopes(patch: &Map<String, Value>, scopes: &[&str]) -> Result<(), Error> {
    if !UPDATE_SCOPES.iter().any(|s| scopes.contains(s)) {
        return Err(Error::InsufficientScope(format!(
            "Insufficient scope, expected any of: {}",
            UPDATE_SCOPES.join(", ")
        )));
    }
    denied_fields(
        "update",
        patch.keys().map(|k| (k.as_str(), update_scope_for(k))),
        scopes,
    )
}

/// POST /clients: `create:clients`, plus `create:client_credentials` for
/// `client_authentication_methods`.
pub fn check_create_scopes(body: &Map<String, Value>, scopes: &[&str]) -> Result<(), Error> {
    if !scopes.contains(&"create:clients") {
        return Err(Error::InsufficientScope(
            "Insufficient scope, expected any of: create:clients".to_owned(),
        ));
    }
    let needs = body
        .keys()
        .filter(|k| *k == "client_authentication_methods")
        .map(|k| (k.as_str(), "create:client_credentials"));
    denied_fields("create", needs, scopes)
}

fn denied_fields<'a>(
    verb: &str,
    needs: impl Iterator<Item = (&'a str, &'static str)>,
    scopes: &[&str],
) -> Result<(), Error> {
    let denied: Vec<&str> = needs
        .filter(|(_, scope)| !scopes.contains(scope))
        .map(|(field, _)| field)
        .collect();
    if denied.is_empty() {
        Ok(())
    } else {
        Err(Error::InsufficientScope(format!(
            "You cannot {verb} the following fields: {}",
            denied.join(", ")
        )))
    }
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
