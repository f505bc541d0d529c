//! AES-256-GCM sealing of secrets at rest under the tenant's master key.

pub mod master_key;

pub use master_key::MasterKeySource;

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use base64::Engine as _;

use crate::store::StoreError;

/// The prefix of every sealed text; a new format gets a new prefix so old rows stay readable.
const V1: &str = "v1:";

/// Binds every ciphertext to this format, so a sealed value cannot be replayed as another kind.
const AAD_V1: &[u8] = b"zeroth-seal-v1";

/// The 256-bit key that seals every secret at rest.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
    /// The AES key schedule, made once: a list page unseals 50 secrets per request.
    aead: Option<std::sync::Arc<LessSafeKey>>,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let aead = UnboundKey::new(&AES_256_GCM, &bytes)
            .ok()
            .map(|k| std::sync::Arc::new(LessSafeKey::new(k)));
        MasterKey { bytes, aead }
    }

    fn aead(&self) -> Result<&LessSafeKey, StoreError> {
        self.aead
            .as_deref()
            .ok_or_else(|| StoreError::Seal("the master key is unusable for AES-256-GCM".into()))
    }

    /// Seals `plain` into printable text (version, nonce and ciphertext).
    pub fn seal(&self, plain: &[u8]) -> Result<String, StoreError> {
        let key = self.aead()?;
        // A random 96-bit nonce: collisions stay negligible for far more seals than a tenant makes.
        let nonce_bytes: [u8; NONCE_LEN] = crate::ids::random_array();
        let mut buf = plain.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(AAD_V1),
            &mut buf,
        )
        .map_err(|_| StoreError::Seal("sealing failed".into()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + buf.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&buf);
        Ok(format!(
            "{V1}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
        ))
    }

    /// Opens what `seal` made; a wrong key or tampered text is an error, never garbage.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, StoreError> {
        self.open_in(Self::decode(sealed)?)
    }

    /// The bytes (nonce, ciphertext, tag) a sealed text carries, still sealed: what a
    /// process keeps in memory so that opening later skips the base64 decoding.
    pub fn decode(sealed: &str) -> Result<Vec<u8>, StoreError> {
        let body = sealed
            .strip_prefix(V1)
            .ok_or_else(|| StoreError::Seal("sealed value has an unknown format".into()))?;
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(body)
            .map_err(|_| StoreError::Seal("sealed value is not valid base64".into()))
    }

    /// Opens what [`MasterKey::decode`] gave, as UTF-8.
    pub fn open_decoded_str(&self, decoded: &[u8]) -> Result<String, StoreError> {
        utf8(self.open_in(decoded.to_vec())?)
    }

    fn open_in(&self, mut raw: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        if raw.len() < NONCE_LEN + AES_256_GCM.tag_len() {
            return Err(StoreError::Seal("sealed value is truncated".into()));
        }
        let nonce = Nonce::try_assume_unique_for_key(&raw[..NONCE_LEN])
            .map_err(|_| StoreError::Seal("sealed value has a bad nonce".into()))?;
        // Opened in place in the decoded buffer: a list of 50 clients opens 50 secrets
        // per request, and each copy was an allocation.
        let plain_len = self
            .aead()?
            .open_in_place(nonce, Aad::from(AAD_V1), &mut raw[NONCE_LEN..])
            .map_err(|_| {
                StoreError::Seal(
                    "cannot open a sealed value: wrong master key or tampered data".into(),
                )
            })?
            .len();
        raw.copy_within(NONCE_LEN..NONCE_LEN + plain_len, 0);
        raw.truncate(plain_len);
        Ok(raw)
    }

    /// Seals a UTF-8 secret.
    pub fn seal_str(&self, plain: &str) -> Result<String, StoreError> {
        self.seal(plain.as_bytes())
    }

    /// Opens a value sealed by `seal_str`.
    pub fn open_str(&self, sealed: &str) -> Result<String, StoreError> {
        utf8(self.open(sealed)?)
    }
}

/// An opened secret as text.
fn utf8(plain: Vec<u8>) -> Result<String, StoreError> {
    String::from_utf8(plain).map_err(|_| StoreError::Seal("sealed value is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fresh_nonce_each_time() {
        let k = MasterKey::from_bytes([7; 32]);
        let a = k.seal(b"hunter2").unwrap();
        let b = k.seal(b"hunter2").unwrap();
        assert!(a.starts_with("v1:"));
        assert_ne!(a, b);
        assert!(!a.contains("hunter2"));
        assert_eq!(k.open(&a).unwrap(), b"hunter2");
        assert_eq!(k.open_str(&b).unwrap(), "hunter2");
        let decoded = MasterKey::decode(&b).unwrap();
        assert!(!decoded.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(k.open_decoded_str(&decoded).unwrap(), "hunter2");
        assert!(k.open_decoded_str(&decoded[..decoded.len() - 1]).is_err());
    }

    #[test]
    fn wrong_key_or_tampering_is_an_error() {
        let k = MasterKey::from_bytes([7; 32]);
        let other = MasterKey::from_bytes([8; 32]);
        let s = k.seal(b"secret").unwrap();
        assert!(matches!(other.open(&s), Err(StoreError::Seal(_))));
        let mut raw = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(&s[3..])
            .unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let tampered = format!(
            "v1:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(raw)
        );
        assert!(k.open(&tampered).is_err());
        assert!(k.open("v2:abc").is_err());
        assert!(k.open("v1:!!").is_err());
        assert!(k.open("v1:AAAA").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", MasterKey::from_bytes([1; 32])),
            "MasterKey(<redacted>)"
        );
    }
}
