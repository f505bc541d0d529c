//! The clients resource's operations, shared by the Management API, the CLI and the dashboard.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::clients::rendered::Renders;
use crate::clients::{defaults, fields, merge, rules, schema};
use crate::scopes::Granted;
use crate::store::{ClientFilter, ClientRow, PageReq, Store, StoreError, StoredClient};
use crate::tenant::Tenant;
use crate::{ids, now_ms, Error, Secret};

pub const READ_SCOPES: &[&str] = &[
    "read:clients",
    "read:client_keys",
    "read:client_credentials",
    "read:client_summary",
];
pub const UPDATE_SCOPES: &[&str] = &[
    "update:clients",
    "update:client_keys",
    "update:client_credentials",
    "update:client_token_vault_privileged_access",
];

/// What every clients operation needs from the tenant.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub tenant: &'a Tenant,
    /// The tenant's signing certificates as Auth0 shows them in `signing_keys`, built
    /// once per key change and shared by every request.
    pub signing_keys: Arc<Value>,
    /// Already rendered clients, shared by every request of this process.
    pub renders: &'a Renders,
}

/// How the caller asked for a list (already parsed and range-checked).
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filter: ClientFilter,
    pub page: PageReq,
    pub include_totals: bool,
    pub fields: Option<Vec<String>>,
    pub include_fields: bool,
}

/// The client as a reader with `access` sees it, narrowed by `fields`: one pass over
/// the owned row, copying nothing the caller cannot see.
fn view(
    row: ClientRow,
    signing_keys: &Value,
    access: fields::ReadAccess,
    selection: Option<&[String]>,
    include_fields: bool,
) -> Result<Map<String, Value>, Error> {
    let client_id = row.client_id;
    let secret = row.client_secret;
    let keep = |k: &str| access.can_read(k);
    let visible = defaults::arrange(
        row.doc,
        defaults::Generated {
            client_id: &client_id,
            client_secret: secret.as_ref().map(Secret::expose),
            signing_keys: keep("signing_keys").then(|| signing_keys.clone()),
        },
        keep,
    );
    match selection {
        None => Ok(visible),
        Some(_) => fields::project(&visible, access, selection, include_fields),
    }
}

/// Whether the response can show `client_secret`, so the store need not unseal it otherwise.
fn shows_secret(
    access: fields::ReadAccess,
    selection: Option<&[String]>,
    include_fields: bool,
) -> bool {
    let named = || selection.is_some_and(|f| f.iter().any(|n| n == "client_secret"));
    access.keys && (selection.is_none() || named() == include_fields)
}

/// Read access for responses to writes: whoever may write a client sees its
/// configuration; key material only with a key scope.
fn write_response_access(granted: &Granted) -> fields::ReadAccess {
    fields::ReadAccess {
        config: true,
        keys: granted.any(&[
            "read:client_keys",
            "read:client_credentials",
            "update:client_keys",
        ]),
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

pub async fn create(
    ctx: &Ctx<'_>,
    granted: &Granted,
    body: Value,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(&["create:clients"])?;
    schema::validate_create(&body)?;
    let mut doc = as_object(body)?;
    fields::check_create_scopes(&doc, &granted.as_strs())?;
    let secret = match doc.remove("client_secret") {
        Some(Value::String(s)) => s,
        _ => ids::client_secret(),
    };
    defaults::apply_create_defaults(&mut doc, &ctx.tenant.name());
    rules::check(&doc)?;
    let now = crate::creation_ms();
    let client_id = ids::client_id();
    let credentials = crate::credentials::inline::take(&mut doc, &client_id)?;
    let row = ClientRow {
        client_id,
        doc,
        client_secret: Some(Secret::new(secret)),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let row = if credentials.is_empty() {
        ctx.store.insert_client_queued(row).await?
    } else {
        ctx.store
            .insert_client_with_credentials(&row, &credentials)
            .await?;
        row
    };
    // The creator sees the secret once even without read:client_keys (docs/API.md).
    let access = fields::ReadAccess {
        config: true,
        keys: true,
    };
    let mut shown = view(row, &ctx.signing_keys, access, None, true)?;
    crate::credentials::inline::show(&mut shown, &credentials);
    Ok(shown)
}

pub async fn get(
    ctx: &Ctx<'_>,
    granted: &Granted,
    client_id: &str,
    selection: Option<&[String]>,
    include_fields: bool,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(READ_SCOPES)?;
    let access = fields::ReadAccess::from_scopes(&granted.as_strs());
    let row = ctx
        .store
        .get_client_with(client_id, shows_secret(access, selection, include_fields))
        .await?
        .ok_or_else(Error::inexistent_client)?;
    view(row, &ctx.signing_keys, access, selection, include_fields)
}

/// [`get`] as the JSON bytes of the response, from the rendered copy when the stored
/// row has not changed since it was made.
pub async fn get_json(
    ctx: &Ctx<'_>,
    granted: &Granted,
    client_id: &str,
    selection: Option<&[String]>,
    include_fields: bool,
) -> Result<Vec<u8>, Error> {
    if selection.is_some() {
        let v = get(ctx, granted, client_id, selection, include_fields).await?;
        return serde_json::to_vec(&v).map_err(|e| Error::Internal(e.to_string()));
    }
    granted.require_any(READ_SCOPES)?;
    let access = fields::ReadAccess::from_scopes(&granted.as_strs());
    let stored = ctx
        .store
        .get_stored_client(client_id, shows_secret(access, None, true))
        .await?
        .ok_or_else(Error::inexistent_client)?;
    let mut out = Vec::with_capacity(stored.doc.len() + 4096);
    render_into(ctx, &mut out, vec![stored], access)?;
    Ok(out)
}

/// `items` as readers with `access` see them, comma-separated, from kept renderings.
fn render_into(
    ctx: &Ctx<'_>,
    out: &mut Vec<u8>,
    items: Vec<StoredClient>,
    access: fields::ReadAccess,
) -> Result<(), Error> {
    ctx.renders
        .write_all(out, items, &ctx.signing_keys, access, |row| {
            view(row, &ctx.signing_keys, access, None, true).map(Value::Object)
        })
}

/// [`list`] as the JSON bytes of the response, each client from its rendered copy when
/// it has not changed; byte for byte what serialising [`list`]'s answer gives.
pub async fn list_json(ctx: &Ctx<'_>, granted: &Granted, q: &ListQuery) -> Result<Vec<u8>, Error> {
    let to_vec = |v: &Value| serde_json::to_vec(v).map_err(|e| Error::Internal(e.to_string()));
    if q.fields.is_some() {
        return to_vec(&list(ctx, granted, q).await?);
    }
    granted.require_any(READ_SCOPES)?;
    let access = fields::ReadAccess::from_scopes(&granted.as_strs());
    let shown = shows_secret(access, None, q.include_fields);
    if let Some(held) = ctx
        .store
        .held_client_page(&q.filter, &q.page, q.include_totals)
        .await
    {
        let held = held.map_err(list_error)?;
        let mut out = Vec::new();
        let wrapped = open_list(&mut out, q, held.total());
        ctx.renders
            .write_page(&mut out, &held, &ctx.signing_keys, access, shown, |row| {
                view(row, &ctx.signing_keys, access, None, true).map(Value::Object)
            })?;
        close_list(&mut out, q, held.next(), wrapped)?;
        return Ok(out);
    }
    let page = ctx
        .store
        .list_stored_clients(
            &q.filter,
            &q.page,
            q.include_totals,
            shows_secret(access, None, q.include_fields),
        )
        .await
        .map_err(list_error)?;
    let size: usize = page.items.iter().map(|c| c.doc.len() + 3072).sum();
    let mut out = Vec::with_capacity(size + 128);
    let wrapped = open_list(&mut out, q, page.total);
    render_into(ctx, &mut out, page.items, access)?;
    close_list(&mut out, q, page.next.as_deref(), wrapped)?;
    Ok(out)
}

/// Starts a list answer in the shape the paging asks for; `true` when it is an object.
fn open_list(out: &mut Vec<u8>, q: &ListQuery, total: Option<u64>) -> bool {
    match &q.page {
        PageReq::Checkpoint { .. } => {
            out.extend_from_slice(b"{\"clients\":[");
            true
        }
        PageReq::Offset { page: n, per_page } if q.include_totals => {
            let head = format!(
                "{{\"total\":{},\"start\":{},\"limit\":{},\"clients\":[",
                total.unwrap_or(0),
                n * per_page,
                per_page
            );
            out.extend_from_slice(head.as_bytes());
            true
        }
        PageReq::Offset { .. } => {
            out.push(b'[');
            false
        }
    }
}

/// Ends what [`open_list`] started, with the checkpoint of the next page if there is one.
fn close_list(
    out: &mut Vec<u8>,
    q: &ListQuery,
    next: Option<&str>,
    wrapped: bool,
) -> Result<(), Error> {
    out.push(b']');
    if let (PageReq::Checkpoint { .. }, Some(next)) = (&q.page, next) {
        out.extend_from_slice(b",\"next\":");
        serde_json::to_writer(&mut *out, next).map_err(|e| Error::Internal(e.to_string()))?;
    }
    if wrapped {
        out.push(b'}');
    }
    Ok(())
}

/// A `from` the store cannot decode came from the caller: a query error, not a 500.
pub fn list_error(e: StoreError) -> Error {
    match e {
        StoreError::InvalidInput(_) => {
            Error::InvalidQuery(crate::schema::query_error(&[crate::schema::Problem::new(
                "from",
                "Invalid checkpoint",
            )]))
        }
        other => other.into(),
    }
}

/// Lists clients; the JSON shape follows the paging the caller asked for.
pub async fn list(ctx: &Ctx<'_>, granted: &Granted, q: &ListQuery) -> Result<Value, Error> {
    granted.require_any(READ_SCOPES)?;
    let access = fields::ReadAccess::from_scopes(&granted.as_strs());
    let selection = q.fields.as_deref();
    let secret = shows_secret(access, selection, q.include_fields);
    let page = ctx
        .store
        .list_clients_with(&q.filter, &q.page, q.include_totals, secret)
        .await
        .map_err(list_error)?;
    let mut clients = Vec::with_capacity(page.items.len());
    for row in page.items {
        let item = view(row, &ctx.signing_keys, access, selection, q.include_fields)?;
        clients.push(Value::Object(item));
    }
    Ok(match &q.page {
        PageReq::Checkpoint { .. } => {
            let mut out = Map::new();
            out.insert("clients".into(), Value::Array(clients));
            if let Some(next) = page.next {
                out.insert("next".into(), Value::String(next));
            }
            Value::Object(out)
        }
        PageReq::Offset { page: n, per_page } if q.include_totals => serde_json::json!({
            "total": page.total.unwrap_or(0),
            "start": n * per_page,
            "limit": per_page,
            "clients": clients,
        }),
        PageReq::Offset { .. } => Value::Array(clients),
    })
}

pub async fn update(
    ctx: &Ctx<'_>,
    granted: &Granted,
    client_id: &str,
    body: Value,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(UPDATE_SCOPES)?;
    schema::validate_update(&body)?;
    let mut patch = as_object(body)?;
    fields::check_write_scopes(&patch, &granted.as_strs())?;
    crate::credentials::check_links(ctx.store, client_id, &patch).await?;
    let new_secret = match patch.remove("client_secret") {
        Some(Value::String(s)) => Some(Secret::new(s)),
        _ => None,
    };
    let updated = ctx
        .store
        .update_client_queued(
            client_id,
            move |row: &ClientRow| -> Result<ClientRow, Error> {
                let doc = merge::merge_patch(&row.doc, &patch);
                rules::check(&doc)?;
                // Field by field: `..row.clone()` copied the old document only to drop it.
                Ok(ClientRow {
                    client_id: row.client_id.clone(),
                    doc,
                    client_secret: new_secret.clone().or_else(|| row.client_secret.clone()),
                    created_at: row.created_at,
                    updated_at: now_ms(),
                    version: row.version,
                })
            },
        )
        .await?
        .ok_or_else(Error::inexistent_client)?;
    view(
        updated,
        &ctx.signing_keys,
        write_response_access(granted),
        None,
        true,
    )
}

pub async fn delete(ctx: &Ctx<'_>, granted: &Granted, client_id: &str) -> Result<(), Error> {
    granted.require_any(&["delete:clients"])?;
    if let Some(row) = ctx.store.get_client(client_id).await? {
        if row.doc.get("global") == Some(&Value::Bool(true)) {
            return Err(Error::BadRequest {
                code: "operation_not_supported",
                message: "The global client cannot be deleted".into(),
            });
        }
    }
    // Idempotent like Auth0: deleting twice answers 204 both times.
    ctx.store.delete_client(client_id).await?;
    Ok(())
}

pub async fn rotate_secret(
    ctx: &Ctx<'_>,
    granted: &Granted,
    client_id: &str,
) -> Result<Map<String, Value>, Error> {
    granted.require_any(&["update:client_keys"])?;
    let updated = ctx
        .store
        .update_client_queued(client_id, |row: &ClientRow| -> Result<ClientRow, Error> {
            if uses_private_key_jwt(&row.doc) {
                return Err(Error::BadRequest {
                    code: "operation_not_supported",
                    message: "The client secret cannot be rotated for a client that \
                              authenticates with private_key_jwt"
                        .into(),
                });
            }
            Ok(ClientRow {
                client_secret: Some(Secret::new(ids::client_secret())),
                updated_at: now_ms(),
                ..row.clone()
            })
        })
        .await?
        .ok_or_else(Error::inexistent_client)?;
    view(
        updated,
        &ctx.signing_keys,
        write_response_access(granted),
        None,
        true,
    )
}

fn uses_private_key_jwt(doc: &Map<String, Value>) -> bool {
    doc.get("client_authentication_methods")
        .and_then(|m| m.get("private_key_jwt"))
        .is_some()
}
