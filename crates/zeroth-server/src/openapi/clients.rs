//! `/api/v2/clients` and its rotate-secret and credentials sub-resources.

use serde_json::{json, Value};
use zeroth_core::clients::schema as client_schema;
use zeroth_core::clients::service::{READ_SCOPES, UPDATE_SCOPES};
use zeroth_core::credentials::schema as credential_schema;
use zeroth_core::schema::to_json_schema;

use super::common::{boolean, list_of, mgmt, paging, string, Op};

const TAG: &str = "clients";

/// What a client looks like on the wire; with `fields` any property may be left out.
fn client() -> Value {
    json!({"type": "object", "properties": {
        "client_id": {"type": "string"},
        "tenant": {"type": "string"},
        "name": {"type": "string"},
        "client_secret": {"type": "string"},
        "app_type": {"type": "string"},
        "is_first_party": {"type": "boolean"},
        "global": {"type": "boolean"},
        "callbacks": {"type": "array", "items": {"type": "string"}},
        "grant_types": {"type": "array", "items": {"type": "string"}},
        "signing_keys": {"type": "array", "items": {"type": "object"}}
    }})
}

fn credential() -> Value {
    json!({"type": "object", "required": ["id", "credential_type"], "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "kid": {"type": "string"},
        "alg": {"type": "string"},
        "credential_type": {"type": "string"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "expires_at": {"type": "string"}
    }})
}

fn fields(b: super::common::OpBuilder) -> super::common::OpBuilder {
    b.query(
        "fields",
        string(),
        "Comma-separated fields to include or exclude.",
    )
    .query(
        "include_fields",
        boolean(),
        "Whether `fields` lists fields to include (true) or exclude.",
    )
}

pub fn ops() -> Vec<Op> {
    let list = paging(
        fields(mgmt(
            "/api/v2/clients",
            "get",
            TAG,
            "List clients",
            READ_SCOPES,
        )),
        0,
        true,
    )
    .query("is_global", boolean(), "Only the global client, or not it.")
    .query(
        "is_first_party",
        boolean(),
        "Only first- or third-party clients.",
    )
    .query("app_type", string(), "Comma-separated application types.")
    .query("q", string(), "Accepted for compatibility; ignored.")
    .query(
        "external_client_id",
        string(),
        "Accepted for compatibility; ignored.",
    )
    .ok(200, "The clients", list_of("clients", client()));
    let create = mgmt(
        "/api/v2/clients",
        "post",
        TAG,
        "Create a client",
        &["create:clients"],
    )
    .body(to_json_schema(client_schema::create_schema()), true)
    .errors(&[409])
    .ok(201, "The new client, secret included", client());
    let get = fields(mgmt(
        "/api/v2/clients/{id}",
        "get",
        TAG,
        "Get a client",
        READ_SCOPES,
    ))
    .errors(&[404])
    .ok(200, "The client", client());
    let update = mgmt(
        "/api/v2/clients/{id}",
        "patch",
        TAG,
        "Update a client",
        UPDATE_SCOPES,
    )
    .body(to_json_schema(client_schema::update_schema()), true)
    .errors(&[404, 409])
    .ok(200, "The updated client", client());
    let delete = mgmt(
        "/api/v2/clients/{id}",
        "delete",
        TAG,
        "Delete a client",
        &["delete:clients"],
    )
    .errors(&[404])
    .no_content("Deleted");
    let rotate = mgmt(
        "/api/v2/clients/{id}/rotate-secret",
        "post",
        TAG,
        "Rotate a client's secret",
        &["update:client_keys"],
    )
    .errors(&[404, 413])
    .ok(200, "The client with its new secret", client());
    let mut out = vec![
        list.build(),
        create.build(),
        get.build(),
        update.build(),
        delete.build(),
        rotate.build(),
    ];
    out.extend(credentials());
    out
}

fn credentials() -> Vec<Op> {
    let base = "/api/v2/clients/{client_id}/credentials";
    let one = "/api/v2/clients/{client_id}/credentials/{credential_id}";
    let list = mgmt(
        base,
        "get",
        TAG,
        "List a client's credentials",
        &["read:client_credentials"],
    )
    .errors(&[404])
    .ok(
        200,
        "The credentials",
        json!({"type": "array", "items": credential()}),
    );
    let create = mgmt(
        base,
        "post",
        TAG,
        "Add a credential to a client",
        &["create:client_credentials"],
    )
    .body(to_json_schema(&credential_schema::create()), true)
    .errors(&[404, 409])
    .ok(201, "The new credential", credential());
    let get = mgmt(
        one,
        "get",
        TAG,
        "Get a credential",
        &["read:client_credentials"],
    )
    .errors(&[404])
    .ok(200, "The credential", credential());
    let update = mgmt(
        one,
        "patch",
        TAG,
        "Change a credential's expiry",
        &["update:client_credentials"],
    )
    .body(to_json_schema(&credential_schema::update()), true)
    .errors(&[404])
    .ok(200, "The updated credential", credential());
    let delete = mgmt(
        one,
        "delete",
        TAG,
        "Delete a credential",
        &["delete:client_credentials"],
    )
    .errors(&[404])
    .no_content("Deleted");
    vec![
        list.build(),
        create.build(),
        get.build(),
        update.build(),
        delete.build(),
    ]
}
