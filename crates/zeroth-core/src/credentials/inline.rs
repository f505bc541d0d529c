//! Credentials given whole in `POST /clients` (`client_authentication_methods`): they
//! become credential records, and the client keeps only their ids, as Auth0 stores them.

use serde_json::{json, Map, Value};

use super::{check_body, render, schema};
use crate::store::CredentialRow;
use crate::{creation_ms, ids, Error};

/// Replaces each full credential under `client_authentication_methods.*.credentials` with
/// `{"id": …}` of a new record for `client_id`, returned for the caller to store with the
/// client. Each is validated as `POST /clients/{id}/credentials` validates it.
pub fn take(doc: &mut Map<String, Value>, client_id: &str) -> Result<Vec<CredentialRow>, Error> {
    let mut rows = Vec::new();
    let Some(methods) = doc
        .get_mut("client_authentication_methods")
        .and_then(Value::as_object_mut)
    else {
        return Ok(rows);
    };
    for method in methods.values_mut() {
        let Some(list) = method.get_mut("credentials").and_then(Value::as_array_mut) else {
            continue;
        };
        for item in list.iter_mut() {
            check_body(&schema::create(), item)?;
            let doc = schema::new_doc(item)?;
            let kid = doc.get("kid").cloned();
            if rows
                .iter()
                .any(|r: &CredentialRow| r.doc.get("kid") == kid.as_ref())
            {
                return Err(Error::Conflict {
                    code: "conflict",
                    message: format!(
                        "The client already has a credential with kid {}",
                        kid.as_ref().and_then(Value::as_str).unwrap_or_default()
                    ),
                });
            }
            let row = CredentialRow {
                id: ids::credential_id(),
                client_id: client_id.to_string(),
                doc,
                created_at: creation_ms(),
            };
            *item = json!({ "id": row.id });
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The create response shows the new credentials whole where the client lists their ids.
pub fn show(client: &mut Map<String, Value>, rows: &[CredentialRow]) {
    let Some(methods) = client
        .get_mut("client_authentication_methods")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for method in methods.values_mut() {
        let Some(list) = method.get_mut("credentials").and_then(Value::as_array_mut) else {
            continue;
        };
        for item in list.iter_mut() {
            let id = item.get("id").and_then(Value::as_str);
            if let Some(row) = rows.iter().find(|r| Some(r.id.as_str()) == id) {
                *item = Value::Object(render(row, false));
            }
        }
    }
}
