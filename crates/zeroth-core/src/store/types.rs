//! The rows the store reads and writes, and how lists are filtered and paged.

use serde_json::{Map, Value};

use super::StoreError;
use crate::Secret;

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

/// A client row with its document still the JSON text the database holds, for readers
/// that may answer from an already rendered copy and need not parse it.
#[derive(Debug, Clone)]
pub struct StoredClient {
    pub client_id: String,
    /// Shared: readers answered from memory get the held text without copying it.
    pub doc: std::sync::Arc<str>,
    pub client_secret: Option<Secret>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl StoredClient {
    pub fn parse(self) -> Result<ClientRow, StoreError> {
        Ok(ClientRow {
            doc: super::from_json(&self.doc)?,
            client_id: self.client_id,
            client_secret: self.client_secret,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
        })
    }
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
    /// Only tenant-wide default grants, which name no client.
    pub without_client: bool,
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
