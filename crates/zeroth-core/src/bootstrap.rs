//! First start of a tenant: the Management API, the global client and the admin client.

use serde_json::{json, Map, Value};

use crate::clients::defaults;
use crate::scopes::MANAGEMENT_SCOPES;
use crate::store::{ClientGrantRow, ClientRow, ResourceServerRow, Store, StoreError};
use crate::tenant::Tenant;
use crate::{ids, now_ms, Error, Secret};

const ADMIN_CLIENT_KEY: &str = "admin_client_id";
const GLOBAL_CLIENT_KEY: &str = "global_client_id";

/// The admin machine-to-machine client's credentials, shown to the operator once.
#[derive(Debug, Clone)]
pub struct AdminCredentials {
    pub client_id: String,
    pub client_secret: Secret,
    /// Whether this start created them (and so should print them).
    pub created: bool,
}

/// Credentials the operator pinned with `ZEROTH_ADMIN_CLIENT_ID` / `_SECRET`.
#[derive(Debug, Clone, Default)]
pub struct PinnedAdmin {
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// The dashboard password (`ZEROTH_ADMIN_PASSWORD[_FILE]`); generated when unset.
    pub password: Option<Secret>,
}

/// Makes sure the tenant has what every Auth0 tenant has. Safe to run on every start
/// and from several nodes at once: each piece is looked up before it is created and a
/// lost creation race is read back instead of failing.
pub async fn ensure_tenant(
    store: &Store,
    tenant: &Tenant,
    pinned: &PinnedAdmin,
) -> Result<AdminCredentials, Error> {
    crate::creation_floor(store.newest_created_at().await?);
    let api = ensure_management_api(store, tenant).await?;
    ensure_global_client(store, tenant).await?;
    ensure_admin_client(store, tenant, &api, pinned).await
}

/// The system resource server; its identifier follows the tenant's current domain.
pub async fn ensure_management_api(
    store: &Store,
    tenant: &Tenant,
) -> Result<ResourceServerRow, Error> {
    let identifier = tenant.management_audience();
    if let Some(api) = system_api(store).await? {
        if api.identifier == identifier {
            return Ok(api);
        }
        // The tenant's domain changed (another port or --domain): the Management API and
        // its grants follow, or every admin token would be refused for the new audience.
        tracing::info!(from = %api.identifier, to = %identifier, "the Management API follows the tenant domain");
        store.change_identifier(&api.id, &identifier).await?;
        return system_api(store)
            .await?
            .ok_or_else(|| Error::internal("the Management API vanished during bootstrap"));
    }
    let scopes: Vec<Value> = MANAGEMENT_SCOPES
        .iter()
        .map(|(value, description)| json!({"value": value, "description": description}))
        .collect();
    let doc = json!({
        "name": "Auth0 Management API",
        "identifier": identifier,
        "is_system": true,
        "scopes": scopes,
        "signing_alg": "RS256",
        "allow_offline_access": false,
        "skip_consent_for_verifiable_first_party_clients": false,
        "token_lifetime": 86400,
        "token_lifetime_for_web": 7200,
        "token_dialect": "access_token",
    });
    let row = ResourceServerRow {
        id: ids::resource_server_id(),
        identifier: identifier.clone(),
        doc: into_map(doc),
        signing_secret: None,
        is_system: true,
        created_at: crate::creation_ms(),
        version: 1,
    };
    match store.insert_resource_server(&row).await {
        Ok(()) => Ok(row),
        Err(StoreError::Conflict(_)) => system_api(store)
            .await?
            .ok_or_else(|| Error::internal("the Management API vanished during bootstrap")),
        Err(e) => Err(e.into()),
    }
}

/// The tenant's system API, whatever domain it was created under.
pub async fn system_api(store: &Store) -> Result<Option<ResourceServerRow>, Error> {
    let page = crate::store::PageReq::Offset {
        page: 0,
        per_page: 1000,
    };
    let all = store.list_resource_servers(&page, false).await?;
    Ok(all.items.into_iter().find(|rs| rs.is_system))
}

async fn ensure_global_client(store: &Store, tenant: &Tenant) -> Result<(), Error> {
    if let Some(id) = store.get_setting(GLOBAL_CLIENT_KEY).await? {
        if store.get_client(&id).await?.is_some() {
            return Ok(());
        }
    }
    let mut doc = into_map(json!({"name": "All Applications"}));
    defaults::apply_create_defaults(&mut doc, &tenant.name());
    doc.insert("global".into(), Value::Bool(true));
    doc.insert("owners".into(), json!([]));
    let row = new_client_row(ids::client_id(), doc, ids::client_secret());
    store.insert_client(&row).await?;
    store.put_setting(GLOBAL_CLIENT_KEY, &row.client_id).await?;
    Ok(())
}

async fn ensure_admin_client(
    store: &Store,
    tenant: &Tenant,
    api: &ResourceServerRow,
    pinned: &PinnedAdmin,
) -> Result<AdminCredentials, Error> {
    let wanted_id = match &pinned.client_id {
        Some(id) => Some(id.clone()),
        None => store.get_setting(ADMIN_CLIENT_KEY).await?,
    };
    let existing = match &wanted_id {
        Some(id) => store.get_client(id).await?,
        None => None,
    };
    let (row, created) = match existing {
        Some(row) => (sync_pinned_secret(store, row, pinned).await?, false),
        None => {
            let id = wanted_id.unwrap_or_else(ids::client_id);
            let secret = pinned
                .client_secret
                .as_ref()
                .map(|s| s.expose().to_string())
                .unwrap_or_else(ids::client_secret);
            let mut doc = into_map(json!({
                "name": "Zeroth Admin (Management API)",
                "app_type": "non_interactive",
                "token_endpoint_auth_method": "client_secret_post",
                "grant_types": ["client_credentials"],
            }));
            defaults::apply_create_defaults(&mut doc, &tenant.name());
            let row = new_client_row(id, doc, secret);
            store.insert_client(&row).await?;
            (row, true)
        }
    };
    store.put_setting(ADMIN_CLIENT_KEY, &row.client_id).await?;
    ensure_full_grant(store, &row.client_id, &api.identifier).await?;
    let client_secret = row
        .client_secret
        .clone()
        .ok_or_else(|| Error::internal("the admin client has no secret"))?;
    Ok(AdminCredentials {
        client_id: row.client_id,
        client_secret,
        created,
    })
}

async fn sync_pinned_secret(
    store: &Store,
    row: ClientRow,
    pinned: &PinnedAdmin,
) -> Result<ClientRow, Error> {
    let Some(secret) = &pinned.client_secret else {
        return Ok(row);
    };
    if row
        .client_secret
        .as_ref()
        .is_some_and(|s| s.matches(secret.expose()))
    {
        return Ok(row);
    }
    let updated = store
        .update_client(
            &row.client_id,
            |r: &ClientRow| -> Result<ClientRow, Error> {
                Ok(ClientRow {
                    client_secret: Some(secret.clone()),
                    updated_at: now_ms(),
                    ..r.clone()
                })
            },
        )
        .await?;
    updated.ok_or_else(Error::inexistent_client)
}

/// Grants the admin client every Management API scope, adding scopes newer
/// versions know to an older grant.
async fn ensure_full_grant(store: &Store, client_id: &str, audience: &str) -> Result<(), Error> {
    let all: Vec<Value> = MANAGEMENT_SCOPES.iter().map(|(s, _)| json!(s)).collect();
    if let Some(grant) = store.find_client_grant(client_id, audience).await? {
        if grant
            .doc
            .get("scope")
            .and_then(Value::as_array)
            .map(Vec::len)
            != Some(all.len())
        {
            let scope = Value::Array(all);
            store
                .update_client_grant(&grant.id, |g: &ClientGrantRow| -> Result<_, Error> {
                    let mut g = g.clone();
                    g.doc.insert("scope".into(), scope.clone());
                    Ok(g)
                })
                .await?;
        }
        return Ok(());
    }
    let row = ClientGrantRow {
        id: ids::client_grant_id(),
        client_id: Some(client_id.to_string()),
        audience: audience.to_string(),
        doc: into_map(json!({"scope": all, "subject_type": "client"})),
        created_at: crate::creation_ms(),
        version: 1,
    };
    match store.insert_client_grant(&row).await {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn new_client_row(client_id: String, doc: Map<String, Value>, secret: String) -> ClientRow {
    let now = crate::creation_ms();
    ClientRow {
        client_id,
        doc,
        client_secret: Some(Secret::new(secret)),
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

fn into_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
