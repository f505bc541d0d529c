//! A client's credentials (`/clients/{id}/credentials`): public keys for `private_key_jwt`.

pub mod assertion;
pub mod inline;
mod links;
mod pem;
pub mod schema;

pub use links::{check_links, linked_ids};
pub use pem::RsaPublic;

use serde_json::{json, Map, Value};

use crate::iso_ms;
use crate::schema::{payload_error, validate};
use crate::scopes::Granted;
use crate::store::{CredentialRow, Store};
use crate::{ids, now_ms, Error};

pub fn inexistent_credential() -> Error {
    Error::NotFound {
        code: "inexistent_credential",
        message: "The credential does not exist".into(),
    }
}

/// The credential as Auth0 shows it. `expires_at` is `null` when unset, except in the
/// create response, which leaves it out (as Auth0 does).
pub fn render(row: &CredentialRow, show_unset_expiry: bool) -> Map<String, Value> {
    let d = &row.doc;
    let mut out = Map::new();
    out.insert("id".into(), json!(row.id));
    for k in ["name", "credential_type", "kid", "alg"] {
        if let Some(v) = d.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    out.insert("created_at".into(), iso_ms(row.created_at));
    let updated = d.get("updated_at").and_then(Value::as_i64);
    out.insert(
        "updated_at".into(),
        iso_ms(updated.unwrap_or(row.created_at)),
    );
    match d.get("expires_at").and_then(Value::as_i64) {
        Some(ms) => {
            out.insert("expires_at".into(), iso_ms(ms));
        }
        None if show_unset_expiry => {
            out.insert("expires_at".into(), Value::Null);
        }
        None => {}
    }
    out
}

async fn require_client(store: &Store, client_id: &str) -> Result<(), Error> {
    match store.get_client(client_id).await? {
        Some(_) => Ok(()),
        None => Err(Error::inexistent_client()),
    }
}

fn check_body(schema: &crate::schema::Schema, body: &Value) -> Result<(), Error> {
    let problems = validate(schema, body);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(payload_error(&problems)))
    }
}

/// RFC 3339 → Unix milliseconds (the schema already checked the format).
fn parse_time(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp_millis())
}

/// Every credential of the client, as a bare array (Auth0 ignores paging here).
pub async fn list(store: &Store, granted: &Granted, client_id: &str) -> Result<Value, Error> {
    granted.require_any(&["read:client_credentials"])?;
    require_client(store, client_id).await?;
    let rows = store.list_credentials(client_id).await?;
    Ok(Value::Array(
        rows.iter()
            .map(|r| Value::Object(render(r, true)))
            .collect(),
    ))
}

pub async fn get(
    store: &Store,
    granted: &Granted,
    client_id: &str,
    id: &str,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(&["read:client_credentials"])?;
    require_client(store, client_id).await?;
    let row = store
        .get_credential(client_id, id)
        .await?
        .ok_or_else(inexistent_credential)?;
    Ok(render(&row, true))
}

pub async fn create(
    store: &Store,
    granted: &Granted,
    client_id: &str,
    body: Value,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(&["create:client_credentials"])?;
    check_body(&schema::create(), &body)?;
    require_client(store, client_id).await?;
    let doc = schema::new_doc(&body)?;
    let kid = doc.get("kid").and_then(Value::as_str).unwrap_or_default();
    let existing = store.list_credentials(client_id).await?;
    if existing
        .iter()
        .any(|c| c.doc.get("kid").and_then(Value::as_str) == Some(kid))
    {
        return Err(Error::Conflict {
            code: "conflict",
            message: format!("The client already has a credential with kid {kid}"),
        });
    }
    let row = CredentialRow {
        id: ids::credential_id(),
        client_id: client_id.to_string(),
        doc,
        created_at: crate::creation_ms(),
    };
    store.insert_credential(&row).await?;
    Ok(render(&row, false))
}

/// Only `expires_at` can change (Auth0's rule); `null` clears it.
pub async fn update(
    store: &Store,
    granted: &Granted,
    client_id: &str,
    id: &str,
    body: Value,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(&["update:client_credentials"])?;
    check_body(&schema::update(), &body)?;
    require_client(store, client_id).await?;
    let mut row = store
        .get_credential(client_id, id)
        .await?
        .ok_or_else(inexistent_credential)?;
    let expires = body.get("expires_at").and_then(parse_time);
    row.doc.insert("expires_at".into(), json!(expires));
    row.doc.insert("updated_at".into(), json!(now_ms()));
    if !store.update_credential(&row).await? {
        return Err(inexistent_credential());
    }
    Ok(render(&row, true))
}

/// Idempotent like Auth0 (204 for an unknown credential). A credential the client
/// still lists under `client_authentication_methods` is refused: unlink it first.
pub async fn delete(
    store: &Store,
    granted: &Granted,
    client_id: &str,
    id: &str,
) -> Result<(), Error> {
    granted.require_any(&["delete:client_credentials"])?;
    if let Some(client) = store.get_client(client_id).await? {
        if linked_ids(&client.doc).iter().any(|l| l == id) {
            return Err(Error::BadRequest {
                code: "operation_not_supported",
                message: format!(
                    "The credential {id} is in use by the client; remove it from \
                     client_authentication_methods first"
                ),
            });
        }
    }
    store.delete_credential(client_id, id).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
