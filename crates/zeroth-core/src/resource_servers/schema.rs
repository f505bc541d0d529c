//! The resource-server Create and Update body schemas (Auth0's
//! `Create/UpdateResourceServerRequestContent`).
//!
//! Deliberate deviation (see docs/API.md): `signing_alg` accepts `HS256`, `RS256` and
//! `PS256` only; Zeroth cannot sign `RS512` tokens, so it refuses such an API up front
//! instead of failing at the token endpoint.

use std::sync::OnceLock;

use serde_json::Value;

use crate::schema::{self, Schema};
use crate::Error;

/// The algorithms an API may sign its tokens with.
pub const SIGNING_ALGS: &[&str] = &["HS256", "RS256", "PS256"];

const TOKEN_DIALECTS: &[&str] = &[
    "access_token",
    "access_token_authz",
    "rfc9068_profile",
    "rfc9068_profile_authz",
];

/// The only properties a PATCH may change on the system Management API: Auth0 lets
/// config-as-code tools adjust these two and nothing else.
pub const SYSTEM_MUTABLE: &[&str] = &[
    "token_lifetime",
    "skip_consent_for_verifiable_first_party_clients",
];

fn scope() -> Schema {
    Schema::object()
        .prop("value", Schema::string().min_len(1).max_len(280))
        .prop("description", Schema::string().max_len(500))
        .required(&["value"])
        .closed()
}

fn nullable_enum(values: &[&str]) -> Schema {
    Schema::string_enum(values).nullable()
}

fn subject_type_authorization() -> Schema {
    Schema::object()
        .prop(
            "client",
            Schema::object().prop(
                "policy",
                Schema::string_enum(&["deny_all", "require_client_grant"]),
            ),
        )
        .prop(
            "user",
            Schema::object().prop(
                "policy",
                Schema::string_enum(&["allow_all", "deny_all", "require_client_grant"]),
            ),
        )
        .closed()
}

fn token_encryption() -> Schema {
    let key = Schema::object()
        .prop(
            "alg",
            Schema::string_enum(&["RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"]),
        )
        .prop("kid", Schema::string().min_len(1).max_len(128))
        .prop("name", Schema::string().min_len(1).max_len(128))
        .prop("pem", Schema::string().min_len(1).max_len(4096))
        .required(&["alg", "pem"])
        .closed();
    Schema::object()
        .prop("format", Schema::string_enum(&["compact-nested-jwe"]))
        .prop("encryption_key", key)
        .required(&["format", "encryption_key"])
        .closed()
        .nullable()
}

fn resource_server(create: bool) -> Schema {
    let mut s = Schema::object();
    if create {
        s = s
            .prop("identifier", Schema::string().min_len(1).max_len(600))
            .required(&["identifier"]);
    }
    s.prop("name", Schema::string().max_len(200).pattern("^[^<>]+$"))
        .prop("scopes", Schema::array(scope()))
        .prop("signing_alg", Schema::string_enum(SIGNING_ALGS))
        .prop("signing_secret", Schema::string().min_len(16))
        .prop("allow_offline_access", Schema::boolean())
        .prop("allow_online_access", Schema::boolean())
        .prop(
            "token_lifetime",
            Schema::integer().min(0.0).max(2_592_000.0),
        )
        .prop(
            "skip_consent_for_verifiable_first_party_clients",
            Schema::boolean(),
        )
        .prop("enforce_policies", Schema::boolean())
        .prop("token_dialect", Schema::string_enum(TOKEN_DIALECTS))
        .prop(
            "consent_policy",
            nullable_enum(&["transactional-authorization-with-mfa"]),
        )
        .prop(
            "authorization_details",
            Schema::array(Schema::any()).nullable(),
        )
        .prop(
            "authorization_policy",
            Schema::object()
                .prop("policy_id", Schema::string().min_len(1).max_len(1024))
                .required(&["policy_id"])
                .closed()
                .nullable(),
        )
        .prop(
            "proof_of_possession",
            Schema::object()
                .prop("mechanism", Schema::string_enum(&["mtls", "dpop"]))
                .prop("required", Schema::boolean())
                .prop(
                    "required_for",
                    Schema::string_enum(&["public_clients", "all_clients"]),
                )
                .required(&["mechanism", "required"])
                .closed()
                .nullable(),
        )
        .prop("subject_type_authorization", subject_type_authorization())
        .prop("token_encryption", token_encryption())
        .closed()
}

pub fn create_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(|| resource_server(true))
}

pub fn update_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(|| resource_server(false))
}

fn run(schema: &Schema, body: &Value) -> Result<(), Error> {
    let problems = schema::validate(schema, body);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(schema::payload_error(&problems)))
    }
}

pub fn validate_create(body: &Value) -> Result<(), Error> {
    run(create_schema(), body)
}

pub fn validate_update(body: &Value) -> Result<(), Error> {
    run(update_schema(), body)
}

/// A PATCH of the system API may touch only [`SYSTEM_MUTABLE`]; anything else is
/// reported as Auth0 reports it, as if the schema did not know the property.
pub fn validate_system_update(body: &Value) -> Result<(), Error> {
    let Some(obj) = body.as_object() else {
        return Ok(());
    };
    let extra: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| !SYSTEM_MUTABLE.contains(k))
        .collect();
    if extra.is_empty() {
        return Ok(());
    }
    let problem = schema::Problem::new(
        "",
        format!("Additional properties not allowed: {}", extra.join(",")),
    );
    Err(Error::InvalidBody(schema::payload_error(&[problem])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(r: Result<(), Error>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn create_needs_an_identifier_and_rejects_unknown_keys() {
        assert_eq!(
            msg(validate_create(&json!({"name": "x"}))),
            "Payload validation error: 'Missing required property: identifier'."
        );
        assert_eq!(
            msg(validate_create(
                &json!({"identifier": "a", "is_system": true})
            )),
            "Payload validation error: 'Additional properties not allowed: is_system'."
        );
        assert!(
            validate_create(&json!({"identifier": "https://api", "scopes": [
            {"value": "read:x", "description": "Read"}]}))
            .is_ok()
        );
        assert!(msg(validate_create(
            &json!({"identifier": "a", "token_lifetime": 2_592_001})
        ))
        .contains("token_lifetime"));
        assert!(msg(validate_create(
            &json!({"identifier": "a", "signing_alg": "RS512"})
        ))
        .contains("No enum match for: \"RS512\""));
    }

    #[test]
    fn update_cannot_change_the_identifier_and_system_api_is_locked() {
        assert_eq!(
            msg(validate_update(&json!({"identifier": "b"}))),
            "Payload validation error: 'Additional properties not allowed: identifier'."
        );
        assert_eq!(
            msg(validate_system_update(&json!({"scopes": []}))),
            "Payload validation error: 'Additional properties not allowed: scopes'."
        );
        assert!(validate_system_update(&json!({"token_lifetime": 60})).is_ok());
    }
}
