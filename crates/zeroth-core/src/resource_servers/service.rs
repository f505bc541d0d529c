//! The resource-servers operations, shared by the Management API and future front ends.

use serde_json::{Map, Value};

use super::{defaults, merge, schema};
use crate::scopes::Granted;
use crate::store::{PageReq, ResourceServerRow, Store, StoreError};
use crate::{creation_ms, ids, Error, Secret};

pub const READ: &[&str] = &["read:resource_servers"];
pub const CREATE: &[&str] = &["create:resource_servers"];
pub const UPDATE: &[&str] = &["update:resource_servers"];
pub const DELETE: &[&str] = &["delete:resource_servers"];

/// How the caller asked for a list (already parsed and range-checked).
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: PageReq,
    pub include_totals: bool,
    /// Only these identifiers, when given.
    pub identifiers: Option<Vec<String>>,
}

pub fn inexistent() -> Error {
    Error::NotFound {
        code: "inexistent_resource_server",
        message: "The resource server does not exist".into(),
    }
}

fn as_object(body: Value) -> Result<Map<String, Value>, Error> {
    match body {
        Value::Object(m) => Ok(m),
        _ => Err(Error::InvalidBody(
            "Payload validation error: 'Expected type object'.".into(),
        )),
    }
}

fn take_secret(doc: &mut Map<String, Value>) -> Option<Secret> {
    match doc.remove("signing_secret") {
        Some(Value::String(s)) => Some(Secret::new(s)),
        _ => None,
    }
}

pub async fn create(store: &Store, granted: &Granted, body: Value) -> Result<Value, Error> {
    granted.require_any(CREATE)?;
    schema::validate_create(&body)?;
    let mut doc = as_object(body)?;
    let given = take_secret(&mut doc);
    defaults::apply_create_defaults(&mut doc);
    let identifier = doc
        .get("identifier")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let row = ResourceServerRow {
        id: ids::resource_server_id(),
        signing_secret: defaults::settle_secret(&doc, given, None),
        identifier,
        doc,
        is_system: false,
        created_at: creation_ms(),
        version: 1,
    };
    match store.insert_resource_server(&row).await {
        Ok(()) => Ok(Value::Object(defaults::render(&row))),
        // The id is random, so a unique violation is the identifier.
        Err(StoreError::Conflict(_)) => Err(Error::Conflict {
            code: "resource_server_conflict",
            message: "A resource server with the same identifier already exists".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// By id or identifier, as Auth0 accepts both in the path.
pub async fn get(store: &Store, granted: &Granted, id: &str) -> Result<Value, Error> {
    granted.require_any(READ)?;
    let row = store
        .get_resource_server(id)
        .await?
        .ok_or_else(inexistent)?;
    Ok(Value::Object(defaults::render(&row)))
}

pub async fn list(store: &Store, granted: &Granted, q: &ListQuery) -> Result<Value, Error> {
    granted.require_any(READ)?;
    let items: Vec<Value>;
    let total: u64;
    if let Some(wanted) = &q.identifiers {
        // A short list of exact look-ups; paging applies to what was found.
        let mut found = Vec::new();
        for ident in wanted {
            if let Some(row) = store.get_resource_server(ident).await? {
                if row.identifier == *ident
                    && !found.iter().any(|r: &ResourceServerRow| r.id == row.id)
                {
                    found.push(row);
                }
            }
        }
        found.sort_by_key(|r| r.created_at);
        total = found.len() as u64;
        let (skip, take) = match &q.page {
            PageReq::Offset { page, per_page } => ((page * per_page) as usize, *per_page as usize),
            PageReq::Checkpoint { take, .. } => (0, *take as usize),
        };
        items = found
            .iter()
            .skip(skip)
            .take(take)
            .map(|r| Value::Object(defaults::render(r)))
            .collect();
    } else {
        let page = store
            .list_resource_servers(&q.page, q.include_totals)
            .await?;
        total = page.total.unwrap_or(0);
        items = page
            .items
            .iter()
            .map(|r| Value::Object(defaults::render(r)))
            .collect();
    }
    Ok(match &q.page {
        PageReq::Offset { page: n, per_page } if q.include_totals => serde_json::json!({
            "total": total,
            "start": n * per_page,
            "limit": per_page,
            "resource_servers": items,
        }),
        _ => Value::Array(items),
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
    let current = store
        .get_resource_server(id)
        .await?
        .ok_or_else(inexistent)?;
    if current.is_system {
        schema::validate_system_update(&body)?;
    }
    let mut patch = as_object(body)?;
    let given = take_secret(&mut patch);
    let updated = store
        .update_resource_server(&current.id, |row: &ResourceServerRow| -> Result<_, Error> {
            let doc = merge::merge_patch(&row.doc, &patch);
            Ok(ResourceServerRow {
                signing_secret: defaults::settle_secret(
                    &doc,
                    given.clone(),
                    row.signing_secret.clone(),
                ),
                doc,
                ..row.clone()
            })
        })
        .await?
        .ok_or_else(inexistent)?;
    Ok(Value::Object(defaults::render(&updated)))
}

/// Removes the API and every grant for it. Idempotent; the system API is refused.
pub async fn delete(store: &Store, granted: &Granted, id: &str) -> Result<(), Error> {
    granted.require_any(DELETE)?;
    let Some(row) = store.get_resource_server(id).await? else {
        return Ok(());
    };
    if row.is_system {
        return Err(Error::BadRequest {
            code: "operation_not_supported",
            message: "The Auth0 Management API (a system resource server) cannot be deleted".into(),
        });
    }
    store.delete_resource_server(&row.id).await?;
    Ok(())
}
