//! Durable storage for a tenant over SQLite or PostgreSQL through one code path.
//!
//! INTERFACE STUB: the signatures below are the contract the rest of the code is
//! written against. The storage work replaces the bodies (and may split this file
//! into store/{clients,resource_servers,grants,keys,settings,...}.rs).

use serde_json::{Map, Value};

use crate::crypto::seal::MasterKey;
use crate::Secret;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (duplicate id, duplicate grant …).
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(String),
    /// The master key cannot open what is stored (wrong key) or sealing failed.
    #[error("{0}")]
    Seal(String),
    #[error("not implemented yet")]
    Unimplemented,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// One application. `doc` is the client object as served (without `client_id`,
/// `client_secret` and `signing_keys`, which are kept apart).
#[derive(Debug, Clone)]
pub struct ClientRow {
    pub client_id: String,
    pub doc: Map<String, Value>,
    pub client_secret: Option<Secret>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped on every update; used for compare-and-swap.
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ClientFilter {
    pub is_global: Option<bool>,
    pub is_first_party: Option<bool>,
    /// Any of these `app_type`s.
    pub app_types: Option<Vec<String>>,
}

/// How a list is paged: Auth0's offset pages or its checkpoint (`from`/`take`) pages.
#[derive(Debug, Clone)]
pub enum PageReq {
    Offset { page: u64, per_page: u64 },
    Checkpoint { from: Option<String>, take: u64 },
}

#[derive(Debug, Clone)]
pub struct PageOut<T> {
    pub items: Vec<T>,
    /// Filled when asked for (`include_totals`).
    pub total: Option<u64>,
    /// Opaque checkpoint for the next page, if there is one.
    pub next: Option<String>,
}

/// An API (resource server). `doc` excludes `id` and `signing_secret`.
#[derive(Debug, Clone)]
pub struct ResourceServerRow {
    pub id: String,
    pub identifier: String,
    pub doc: Map<String, Value>,
    pub signing_secret: Option<Secret>,
    pub is_system: bool,
    pub created_at: i64,
    pub version: i64,
}

/// A client grant. `doc` excludes `id`, `client_id` and `audience`.
#[derive(Debug, Clone)]
pub struct ClientGrantRow {
    pub id: String,
    pub client_id: Option<String>,
    pub audience: String,
    pub doc: Map<String, Value>,
    pub created_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ClientGrantFilter {
    pub client_id: Option<String>,
    pub audience: Option<String>,
    pub allow_any_organization: Option<bool>,
    pub subject_type: Option<String>,
}

/// A credential of a client (public key for private_key_jwt …). `doc` excludes `id`.
#[derive(Debug, Clone)]
pub struct CredentialRow {
    pub id: String,
    pub client_id: String,
    pub doc: Map<String, Value>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Published in JWKS, not yet signing.
    Next,
    /// Signing now.
    Current,
    /// Retired but still published and trusted.
    Previous,
    /// Never trusted again.
    Revoked,
}

/// A tenant signing key. The private key is PKCS#8 DER, sealed at rest.
#[derive(Debug, Clone)]
pub struct SigningKeyRow {
    pub kid: String,
    pub private_pkcs8: SecretBytes,
    pub cert_pem: String,
    pub pkcs7_pem: String,
    pub state: KeyState,
    pub created_at: i64,
    pub current_since: Option<i64>,
    pub current_until: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Bytes that are secret: redacted in `Debug`.
#[derive(Clone)]
pub struct SecretBytes(pub Vec<u8>);

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBytes(<redacted>)")
    }
}

/// The tenant's storage. Cheap to clone (a pool inside).
#[derive(Clone)]
pub struct Store {
    _master: MasterKey,
}

impl Store {
    /// Opens `url` (`sqlite://path` or `postgres://…`), runs migrations, and checks
    /// that `master` opens what is sealed (a wrong key fails here with a clear message).
    pub async fn open(_url: &str, master: MasterKey) -> Result<Store, StoreError> {
        Ok(Store { _master: master })
    }

    pub fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- clients -------------------------------------------------------

    /// `Conflict` when the id exists.
    pub async fn insert_client(&self, _row: &ClientRow) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn get_client(&self, _client_id: &str) -> Result<Option<ClientRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Read-modify-write without lost updates: `f` gets the current row and returns the
    /// new one; the write is a compare-and-swap on `version`, retried with a fresh read
    /// when another writer won. `Ok(None)` when the client does not exist.
    pub async fn update_client<F, E>(&self, _client_id: &str, _f: F) -> Result<Option<ClientRow>, E>
    where
        F: FnMut(&ClientRow) -> Result<ClientRow, E>,
        E: From<StoreError>,
    {
        Err(StoreError::Unimplemented.into())
    }

    /// Deletes the client with its grants and credentials, in one transaction.
    /// `Ok(false)` when there was nothing to delete.
    pub async fn delete_client(&self, _client_id: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Clients in creation order.
    pub async fn list_clients(
        &self,
        _filter: &ClientFilter,
        _page: &PageReq,
        _with_total: bool,
    ) -> Result<PageOut<ClientRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- resource servers ----------------------------------------------

    /// `Conflict` when the id or identifier exists.
    pub async fn insert_resource_server(&self, _row: &ResourceServerRow) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// By `id` or, failing that, by `identifier` (Auth0 accepts both in the path).
    pub async fn get_resource_server(
        &self,
        _id_or_identifier: &str,
    ) -> Result<Option<ResourceServerRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn update_resource_server<F, E>(
        &self,
        _id: &str,
        _f: F,
    ) -> Result<Option<ResourceServerRow>, E>
    where
        F: FnMut(&ResourceServerRow) -> Result<ResourceServerRow, E>,
        E: From<StoreError>,
    {
        Err(StoreError::Unimplemented.into())
    }

    /// Deletes it and every grant whose audience is its identifier.
    pub async fn delete_resource_server(&self, _id: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn list_resource_servers(
        &self,
        _page: &PageReq,
        _with_total: bool,
    ) -> Result<PageOut<ResourceServerRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- client grants -------------------------------------------------

    /// `Conflict` when a grant for the same (client_id, audience) exists.
    pub async fn insert_client_grant(&self, _row: &ClientGrantRow) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn get_client_grant(&self, _id: &str) -> Result<Option<ClientGrantRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn find_client_grant(
        &self,
        _client_id: &str,
        _audience: &str,
    ) -> Result<Option<ClientGrantRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn update_client_grant<F, E>(
        &self,
        _id: &str,
        _f: F,
    ) -> Result<Option<ClientGrantRow>, E>
    where
        F: FnMut(&ClientGrantRow) -> Result<ClientGrantRow, E>,
        E: From<StoreError>,
    {
        Err(StoreError::Unimplemented.into())
    }

    pub async fn delete_client_grant(&self, _id: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn list_client_grants(
        &self,
        _filter: &ClientGrantFilter,
        _page: &PageReq,
        _with_total: bool,
    ) -> Result<PageOut<ClientGrantRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- client credentials --------------------------------------------

    pub async fn insert_credential(&self, _row: &CredentialRow) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn list_credentials(
        &self,
        _client_id: &str,
    ) -> Result<Vec<CredentialRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn update_credential(&self, _row: &CredentialRow) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn delete_credential(&self, _client_id: &str, _id: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Records a `client_assertion` `jti`; `Ok(false)` when it was already used
    /// (replay). Entries past `exp` may be purged.
    pub async fn consume_jti(
        &self,
        _client_id: &str,
        _jti: &str,
        _exp: i64,
    ) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- signing keys --------------------------------------------------

    pub async fn list_signing_keys(&self) -> Result<Vec<SigningKeyRow>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn insert_signing_key(&self, _row: &SigningKeyRow) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Writes the new states of several keys (and inserts `new_key`) in one
    /// transaction, so that a rotation is seen whole or not at all.
    pub async fn save_signing_keys(
        &self,
        _changed: &[SigningKeyRow],
        _new_key: Option<&SigningKeyRow>,
    ) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    // ---- tenant settings -----------------------------------------------

    pub async fn get_setting(&self, _key: &str) -> Result<Option<String>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    pub async fn put_setting(&self, _key: &str, _value: &str) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }
}
