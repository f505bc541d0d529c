//! `/api/v2/client-grants`: which client may call which API with which scopes.

use serde_json::{json, Value};
use zeroth_core::client_grants::schema;
use zeroth_core::client_grants::service::{CREATE, DELETE, READ, UPDATE};
use zeroth_core::schema::to_json_schema;

use super::common::{list_of, mgmt, paging, string, Op};

const TAG: &str = "client-grants";

fn grant() -> Value {
    json!({"type": "object", "required": ["id", "audience"], "properties": {
        "id": {"type": "string"},
        "client_id": {"type": "string"},
        "audience": {"type": "string"},
        "scope": {"type": "array", "items": {"type": "string"}},
        "subject_type": {"type": "string"}
    }})
}

fn one_of(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

pub fn ops() -> Vec<Op> {
    let base = "/api/v2/client-grants";
    let one = "/api/v2/client-grants/{id}";
    let list = paging(mgmt(base, "get", TAG, "List client grants", READ), 1, true)
        .query("audience", string(), "Only grants for this API identifier.")
        .query("client_id", string(), "Only grants of this client.")
        .query(
            "allow_any_organization",
            json!({"type": "boolean", "enum": [true]}),
            "Only grants allowing any organization.",
        )
        .query(
            "subject_type",
            one_of(schema::SUBJECT_TYPES),
            "Only grants for this subject type.",
        )
        .query(
            "default_for",
            one_of(schema::DEFAULT_FOR),
            "Only tenant-wide default grants.",
        )
        .ok(200, "The grants", list_of("client_grants", grant()));
    let create = mgmt(base, "post", TAG, "Create a client grant", CREATE)
        .body(to_json_schema(schema::create_schema()), true)
        .errors(&[404, 409])
        .ok(201, "The new grant", grant());
    let get = mgmt(one, "get", TAG, "Get a client grant", READ)
        .errors(&[404])
        .ok(200, "The grant", grant());
    let update = mgmt(one, "patch", TAG, "Update a client grant", UPDATE)
        .body(to_json_schema(schema::update_schema()), true)
        .errors(&[404])
        .ok(200, "The updated grant", grant());
    let delete = mgmt(one, "delete", TAG, "Delete a client grant", DELETE)
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
