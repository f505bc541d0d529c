//! `/api/v2/resource-servers`: the APIs a tenant issues tokens for.

use serde_json::{json, Value};
use zeroth_core::resource_servers::schema;
use zeroth_core::resource_servers::service::{CREATE, DELETE, READ, UPDATE};
use zeroth_core::schema::to_json_schema;

use super::common::{boolean, list_of, mgmt, paging, Op};

const TAG: &str = "resource-servers";

fn api() -> Value {
    json!({"type": "object", "required": ["id", "identifier"], "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "identifier": {"type": "string"},
        "is_system": {"type": "boolean"},
        "scopes": {"type": "array", "items": {"type": "object"}},
        "signing_alg": {"type": "string"},
        "token_lifetime": {"type": "integer"}
    }})
}

pub fn ops() -> Vec<Op> {
    let base = "/api/v2/resource-servers";
    let one = "/api/v2/resource-servers/{id}";
    let list = paging(mgmt(base, "get", TAG, "List APIs", READ), 1, false)
        .query(
            "identifiers",
            json!({"type": "array", "items": {"type": "string", "minLength": 1}}),
            "Only the APIs with these identifiers (repeat the parameter).",
        )
        .query(
            "include_fields",
            boolean(),
            "Accepted; every field is returned.",
        )
        .ok(200, "The APIs", list_of("resource_servers", api()));
    let create = mgmt(base, "post", TAG, "Create an API", CREATE)
        .body(to_json_schema(schema::create_schema()), true)
        .errors(&[409])
        .ok(201, "The new API", api());
    let get = mgmt(one, "get", TAG, "Get an API by id or identifier", READ)
        .query(
            "include_fields",
            boolean(),
            "Accepted; every field is returned.",
        )
        .errors(&[404])
        .ok(200, "The API", api());
    let update = mgmt(one, "patch", TAG, "Update an API", UPDATE)
        .body(to_json_schema(schema::update_schema()), true)
        .errors(&[404, 409])
        .ok(200, "The updated API", api());
    let delete = mgmt(one, "delete", TAG, "Delete an API", DELETE)
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
