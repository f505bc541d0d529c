//! The client-grant Create and Update body schemas (Auth0's
//! `Create/UpdateClientGrantRequestContent`).

use std::sync::OnceLock;

use serde_json::Value;

use crate::schema::{self, Schema};
use crate::Error;

pub const SUBJECT_TYPES: &[&str] = &["client", "user"];
pub const DEFAULT_FOR: &[&str] = &["third_party_clients"];
const ORG_USAGE: &[&str] = &["deny", "allow", "require"];

fn scope_list() -> Schema {
    Schema::array(Schema::string().min_len(1).max_len(280))
}

fn detail_types() -> Schema {
    Schema::array(Schema::string().min_len(1).max_len(255))
}

fn create() -> Schema {
    Schema::object()
        .prop("client_id", Schema::string())
        .prop("audience", Schema::string().min_len(1))
        .prop("scope", scope_list())
        .prop("organization_usage", Schema::string_enum(ORG_USAGE))
        .prop("allow_any_organization", Schema::boolean())
        .prop("allow_all_scopes", Schema::boolean())
        .prop("authorization_details_types", detail_types())
        .prop("subject_type", Schema::string_enum(SUBJECT_TYPES))
        .prop("default_for", Schema::string_enum(DEFAULT_FOR))
        .required(&["audience"])
        .closed()
}

fn update() -> Schema {
    Schema::object()
        .prop("scope", scope_list().nullable())
        .prop(
            "organization_usage",
            Schema::string_enum(ORG_USAGE).nullable(),
        )
        .prop("allow_any_organization", Schema::boolean().nullable())
        .prop("allow_all_scopes", Schema::boolean().nullable())
        .prop("authorization_details_types", detail_types())
        .min_props(1)
        .closed()
}

fn run(schema: &Schema, body: &Value) -> Result<(), Error> {
    let problems = schema::validate(schema, body);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(schema::payload_error(&problems)))
    }
}

/// The Create body schema (also served in our OpenAPI document).
pub fn create_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(create)
}

/// The Update (PATCH) body schema.
pub fn update_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(update)
}

pub fn validate_create(body: &Value) -> Result<(), Error> {
    run(create_schema(), body)?;
    // Only a tenant-wide default grant (`default_for`) may leave out its client.
    if body.get("client_id").is_none() && body.get("default_for").is_none() {
        let p = schema::Problem::new("", "Missing required property: client_id");
        return Err(Error::InvalidBody(schema::payload_error(&[p])));
    }
    Ok(())
}

pub fn validate_update(body: &Value) -> Result<(), Error> {
    run(update_schema(), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(r: Result<(), Error>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn create_and_update_bodies() {
        assert!(
            validate_create(&json!({"client_id": "c", "audience": "a", "scope": ["x"]})).is_ok()
        );
        assert_eq!(
            msg(validate_create(&json!({"client_id": "c"}))),
            "Payload validation error: 'Missing required property: audience'."
        );
        assert_eq!(
            msg(validate_create(&json!({"audience": "a"}))),
            "Payload validation error: 'Missing required property: client_id'."
        );
        assert!(msg(validate_create(
            &json!({"client_id": "c", "audience": "a", "scope": [""]})
        ))
        .contains("on property scope[0]"));
        assert_eq!(
            msg(validate_update(&json!({"audience": "b"}))),
            "Payload validation error: 'Additional properties not allowed: audience'."
        );
        assert!(
            msg(validate_update(&json!({}))).contains("Too few properties defined (0), minimum 1")
        );
        assert!(validate_update(&json!({"scope": null})).is_ok());
    }
}
