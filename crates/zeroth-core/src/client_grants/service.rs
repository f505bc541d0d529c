//! The client-grants operations, shared by the Management API and future front ends.

use serde_json::{json, Map, Value};

use super::schema;
use crate::scopes::Granted;
use crate::store::{ClientGrantFilter, ClientGrantRow, PageReq, Store, StoreError};
use crate::{creation_ms, ids, Error};

pub const READ: &[&str] = &["read:client_grants"];
pub const CREATE: &[&str] = &["create:client_grants"];
pub const UPDATE: &[&str] = &["update:client_grants"];
pub const DELETE: &[&str] = &["delete:client_grants"];

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filter: ClientGrantFilter,
    pub page: PageReq,
    pub include_totals: bool,
}

pub fn inexistent() -> Error {
    Error::NotFound {
        code: "inexistent_client_grant",
        message: "The client grant does not exist".into(),
    }
}

fn client_not_found() -> Error {
    Error::NotFound {
        code: "inexistent_client",
        message: "Client not found".into(),
    }
}

fn no_such_api(audience: &str) -> Error {
    Error::NotFound {
        code: "inexistent_resource_server",
        message: format!("No resource with identifier {audience}"),
    }
}

fn duplicate() -> Error {
    Error::Conflict {
        code: "conflict",
        message: "client_grant already exists".into(),
    }
}

/// The grant as Auth0 shows it: `id`, `client_id`, `audience`, then the rest.
pub fn render(row: &ClientGrantRow) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(row.id));
    if let Some(c) = &row.client_id {
        out.insert("client_id".into(), json!(c));
    }
    out.insert("audience".into(), json!(row.audience));
    for (k, v) in &row.doc {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

pub async fn create(store: &Store, granted: &Granted, body: Value) -> Result<Value, Error> {
    granted.require_any(CREATE)?;
    schema::validate_create(&body)?;
    let Value::Object(mut doc) = body else {
        return Err(Error::internal("validated body is not an object"));
    };
    let client_id = doc
        .remove("client_id")
        .and_then(|v| v.as_str().map(str::to_string));
    let audience = doc
        .remove("audience")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if let Some(c) = &client_id {
        store.get_client(c).await?.ok_or_else(client_not_found)?;
    }
    let api = store.get_resource_server(&audience).await?;
    if api.as_ref().is_none_or(|a| a.identifier != audience) {
        return Err(no_such_api(&audience));
    }
    if !doc.contains_key("scope") {
        doc.insert("scope".into(), json!([]));
    }
    if !doc.contains_key("subject_type") {
        doc.insert("subject_type".into(), json!("client"));
    }
    let row = ClientGrantRow {
        id: ids::client_grant_id(),
        client_id: client_id.clone(),
        audience,
        doc,
        created_at: creation_ms(),
        version: 1,
    };
    match store.insert_client_grant(&row).await {
        Ok(()) => Ok(render(&row)),
        // A foreign-key failure means the client vanished meanwhile; else a duplicate.
        Err(StoreError::Conflict(_)) => match &client_id {
            Some(c) if store.get_client(c).await?.is_none() => Err(client_not_found()),
            _ => Err(duplicate()),
        },
        Err(e) => Err(e.into()),
    }
}

pub async fn get(store: &Store, granted: &Granted, id: &str) -> Result<Value, Error> {
    granted.require_any(READ)?;
    let row = store.get_client_grant(id).await?.ok_or_else(inexistent)?;
    Ok(render(&row))
}

pub async fn list(store: &Store, granted: &Granted, q: &ListQuery) -> Result<Value, Error> {
    granted.require_any(READ)?;
    let page = store
        .list_client_grants(&q.filter, &q.page, q.include_totals)
        .await
        .map_err(crate::clients::service::list_error)?;
    let grants: Vec<Value> = page.items.iter().map(render).collect();
    Ok(match &q.page {
        PageReq::Checkpoint { .. } => {
            let mut out = Map::new();
            out.insert("client_grants".into(), Value::Array(grants));
            if let Some(next) = page.next {
                out.insert("next".into(), Value::String(next));
            }
            Value::Object(out)
        }
        PageReq::Offset { page: n, per_page } if q.include_totals => json!({
            "total": page.total.unwrap_or(0),
            "start": n * per_page,
            "limit": per_page,
            "client_grants": grants,
        }),
        PageReq::Offset { .. } => Value::Array(grants),
    })
}

pub async fn update(
    store: &Store,
    granted: &Granted,
    id: &str,
    body: Value,
) -> Result<Value, Error> {
    granted.require_any(UPDATE)?;
    schema::validate_update(&body)?;
    let Value::Object(patch) = body else {
        return Err(Error::internal("validated body is not an object"));
    };
    let updated = store
        .update_client_grant(id, |row: &ClientGrantRow| -> Result<_, Error> {
            let mut doc = row.doc.clone();
            for (k, v) in &patch {
                match (k.as_str(), v) {
                    // A grant always lists its scopes; `null` empties the list.
                    ("scope", Value::Null) => {
                        doc.insert(k.clone(), json!([]));
                    }
                    (_, Value::Null) => {
                        doc.remove(k);
                    }
                    _ => {
                        doc.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(ClientGrantRow { doc, ..row.clone() })
        })
        .await?
        .ok_or_else(inexistent)?;
    Ok(render(&updated))
}

/// Idempotent like Auth0's other deletes.
pub async fn delete(store: &Store, granted: &Granted, id: &str) -> Result<(), Error> {
    granted.require_any(DELETE)?;
    store.delete_client_grant(id).await?;
    Ok(())
}
