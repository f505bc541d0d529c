//! The link between a client and its credentials: ids under `client_authentication_methods`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::schema::{payload_error, Problem};
use crate::store::Store;
use crate::Error;

/// `(path, id)` of every credential id a client document (or PATCH body) refers to.
fn references(doc: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut collect = |prefix: String, list: Option<&Value>| {
        for (i, item) in list
            .and_then(Value::as_array)
            .map(|l| l.iter().enumerate().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                out.push((format!("{prefix}[{i}].id"), id.to_string()));
            }
        }
    };
    if let Some(methods) = doc
        .get("client_authentication_methods")
        .and_then(Value::as_object)
    {
        for (name, method) in methods {
            collect(
                format!("client_authentication_methods.{name}.credentials"),
                method.get("credentials"),
            );
        }
    }
    if let Some(sro) = doc.get("signed_request_object") {
        collect(
            "signed_request_object.credentials".into(),
            sro.get("credentials"),
        );
    }
    out
}

/// Every credential id the client uses.
pub fn linked_ids(doc: &Map<String, Value>) -> Vec<String> {
    references(doc).into_iter().map(|(_, id)| id).collect()
}

/// For PATCH /clients/{id}: each referenced credential id must be one of that
/// client's credentials. An unknown client passes, so the update answers its 404.
pub async fn check_links(
    store: &Store,
    client_id: &str,
    patch: &Map<String, Value>,
) -> Result<(), Error> {
    let refs = references(patch);
    if refs.is_empty() || store.get_client(client_id).await?.is_none() {
        return Ok(());
    }
    let own: HashSet<String> = store
        .list_credentials(client_id)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let problems: Vec<Problem> = refs
        .into_iter()
        .filter(|(_, id)| !own.contains(id))
        .map(|(path, id)| Problem::new(path, format!("Credential not found: {id}")))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(payload_error(&problems)))
    }
}
