//! AES-256-GCM sealing of secrets at rest under the tenant's master key.
//!
//! INTERFACE STUB: the storage work implements these.

use crate::store::StoreError;

/// The 256-bit key that seals every secret at rest.
#[derive(Clone)]
pub struct MasterKey {
    _bytes: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterKey { _bytes: bytes }
    }

    /// Seals `plain` into printable text (version, nonce and ciphertext).
    pub fn seal(&self, _plain: &[u8]) -> Result<String, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Opens what `seal` made; a wrong key or tampered text is an error, never garbage.
    pub fn open(&self, _sealed: &str) -> Result<Vec<u8>, StoreError> {
        Err(StoreError::Unimplemented)
    }
}
