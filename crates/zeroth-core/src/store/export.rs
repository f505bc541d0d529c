//! Whole-tenant export and import as one JSON document.
//!
//! The export holds every secret **in plaintext** (client secrets, signing secrets,
//! signing-key private keys) so it can be imported under another master key: treat the
//! file as a secret, like the master key itself.

use base64::Engine as _;
use serde_json::{json, Map, Value};
use sqlx::Row as _;

use super::{
    client_grants, clients, credentials, db_err, keys, resource_servers, ClientGrantRow, ClientRow,
    CredentialRow, Engine, KeyState, ResourceServerRow, SecretBytes, SigningKeyRow, Store,
    StoreError,
};
use crate::Secret;

const FORMAT: &str = "zeroth-tenant-export";
const VERSION: i64 = 1;
/// Tables that must be empty before an import.
const TENANT_TABLES: &[&str] = &[
    "clients",
    "resource_servers",
    "client_grants",
    "client_credentials",
    "signing_keys",
];

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Store {
    /// Everything in the tenant, secrets in plaintext, from one consistent snapshot.
    pub async fn export_tenant(&self) -> Result<Value, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        if self.engine == Engine::Postgres {
            // READ COMMITTED would give each SELECT its own snapshot.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        let q = |table: &str, cols: &str, id: &str| {
            format!("SELECT {cols} FROM {table} ORDER BY created_at, {id}")
        };
        let mut out_clients = Vec::new();
        for r in sqlx::query(&q("clients", clients::COLS, "client_id"))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let c = self.client_from(&r)?;
            out_clients.push(json!({
                "client_id": c.client_id, "doc": c.doc,
                "client_secret": c.client_secret.as_ref().map(Secret::expose),
                "created_at": c.created_at, "updated_at": c.updated_at, "version": c.version,
            }));
        }
        let mut out_rs = Vec::new();
        for r in sqlx::query(&q("resource_servers", resource_servers::COLS, "id"))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let s = self.resource_server_from(&r)?;
            out_rs.push(json!({
                "id": s.id, "identifier": s.identifier, "doc": s.doc,
                "signing_secret": s.signing_secret.as_ref().map(Secret::expose),
                "is_system": s.is_system, "created_at": s.created_at, "version": s.version,
            }));
        }
        let mut out_grants = Vec::new();
        for r in sqlx::query(&q("client_grants", client_grants::COLS, "id"))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let g = Store::grant_from(&r)?;
            out_grants.push(json!({
                "id": g.id, "client_id": g.client_id, "audience": g.audience, "doc": g.doc,
                "created_at": g.created_at, "version": g.version,
            }));
        }
        let mut out_creds = Vec::new();
        for r in sqlx::query(&q("client_credentials", credentials::COLS, "id"))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let c = credentials::credential_from(&r)?;
            out_creds.push(json!({
                "id": c.id, "client_id": c.client_id, "doc": c.doc, "created_at": c.created_at,
            }));
        }
        let mut out_keys = Vec::new();
        for r in sqlx::query(&q("signing_keys", keys::COLS, "kid"))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let k = self.key_from(&r)?;
            out_keys.push(json!({
                "kid": k.kid, "private_pkcs8": b64().encode(&k.private_pkcs8.0),
                "cert_pem": k.cert_pem, "pkcs7_pem": k.pkcs7_pem, "state": k.state.as_str(),
                "created_at": k.created_at, "current_since": k.current_since,
                "current_until": k.current_until, "revoked_at": k.revoked_at,
            }));
        }
        tx.commit().await.map_err(db_err)?;
        let settings: Map<String, Value> = self
            .user_settings()
            .await?
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        Ok(json!({
            "format": FORMAT, "version": VERSION, "exported_at": crate::now_ms(),
            "clients": out_clients, "resource_servers": out_rs, "client_grants": out_grants,
            "credentials": out_creds, "signing_keys": out_keys, "settings": settings,
        }))
    }

    /// Loads an `export_tenant` document into an empty tenant, in one transaction.
    /// `Conflict` when the tenant already holds clients, APIs, grants or keys.
    pub async fn import_tenant(&self, export: &Value) -> Result<(), StoreError> {
        if export.get("format").and_then(Value::as_str) != Some(FORMAT)
            || export.get("version").and_then(Value::as_i64) != Some(VERSION)
        {
            return Err(bad("not a version 1 Zeroth tenant export"));
        }
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // A write first takes SQLite's write lock while busy_timeout can wait for it.
        sqlx::query("UPDATE settings SET updated_at = updated_at WHERE name = $1")
            .bind(super::settings::CANARY)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for table in TENANT_TABLES {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                .fetch_one(&mut *tx)
                .await
                .and_then(|r| r.try_get("n"))
                .map_err(db_err)?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "the tenant is not empty ({table} has {n} rows): import needs a fresh database"
                )));
            }
        }
        for v in list(export, "clients")? {
            let row = ClientRow {
                client_id: text(v, "client_id")?,
                doc: doc(v)?,
                client_secret: opt_text(v, "client_secret").map(Secret::new),
                created_at: int(v, "created_at")?,
                updated_at: int(v, "updated_at")?,
                version: int(v, "version")?,
            };
            self.insert_client_in(&mut tx, &row).await?;
        }
        for v in list(export, "resource_servers")? {
            let row = ResourceServerRow {
                id: text(v, "id")?,
                identifier: text(v, "identifier")?,
                doc: doc(v)?,
                signing_secret: opt_text(v, "signing_secret").map(Secret::new),
                is_system: v.get("is_system").and_then(Value::as_bool).unwrap_or(false),
                created_at: int(v, "created_at")?,
                version: int(v, "version")?,
            };
            self.insert_resource_server_in(&mut tx, &row).await?;
        }
        for v in list(export, "client_grants")? {
            let row = ClientGrantRow {
                id: text(v, "id")?,
                client_id: opt_text(v, "client_id"),
                audience: text(v, "audience")?,
                doc: doc(v)?,
                created_at: int(v, "created_at")?,
                version: int(v, "version")?,
            };
            Store::insert_client_grant_in(&mut tx, &row).await?;
        }
        for v in list(export, "credentials")? {
            let row = CredentialRow {
                id: text(v, "id")?,
                client_id: text(v, "client_id")?,
                doc: doc(v)?,
                created_at: int(v, "created_at")?,
            };
            credentials::insert_credential_in(&mut tx, &row).await?;
        }
        for v in list(export, "signing_keys")? {
            let state = text(v, "state")?;
            let row = SigningKeyRow {
                kid: text(v, "kid")?,
                private_pkcs8: SecretBytes(
                    b64()
                        .decode(text(v, "private_pkcs8")?)
                        .map_err(|_| bad("private_pkcs8 is not base64"))?,
                ),
                cert_pem: text(v, "cert_pem")?,
                pkcs7_pem: text(v, "pkcs7_pem")?,
                state: KeyState::parse(&state).ok_or_else(|| bad("unknown signing key state"))?,
                created_at: int(v, "created_at")?,
                current_since: v.get("current_since").and_then(Value::as_i64),
                current_until: v.get("current_until").and_then(Value::as_i64),
                revoked_at: v.get("revoked_at").and_then(Value::as_i64),
            };
            self.insert_key_in(&mut tx, &row).await?;
        }
        if let Some(settings) = export.get("settings").and_then(Value::as_object) {
            for (name, value) in settings {
                let value = value
                    .as_str()
                    .ok_or_else(|| bad("settings values must be strings"))?;
                sqlx::query(
                    "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                )
                .bind(name.clone())
                .bind(value.to_string())
                .bind(crate::now_ms())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
        }
        tx.commit().await.map_err(db_err)?;
        self.wrote();
        Ok(())
    }
}

fn bad(msg: &str) -> StoreError {
    StoreError::InvalidInput(format!("tenant import: {msg}"))
}

fn list<'a>(export: &'a Value, key: &str) -> Result<&'a [Value], StoreError> {
    match export.get(key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(bad(&format!("{key} must be an array"))),
    }
}

fn text(v: &Value, key: &str) -> Result<String, StoreError> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| bad(&format!("{key} must be a string")))
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn int(v: &Value, key: &str) -> Result<i64, StoreError> {
    v.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| bad(&format!("{key} must be an integer")))
}

fn doc(v: &Value) -> Result<Map<String, Value>, StoreError> {
    v.get("doc")
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| bad("doc must be an object"))
}
