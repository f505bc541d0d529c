//! Identifier and secret formats as Auth0 issues them.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    // SystemRandom only fails when the OS has no entropy source; retrying is pointless.
    if SystemRandom::new().fill(&mut buf).is_err() {
        tracing::error!("the operating system refused random bytes");
    }
    buf
}

/// `n` characters from `[A-Za-z0-9]`, uniform (rejection sampling avoids modulo bias).
pub fn alnum(n: usize) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in random_bytes(n * 2) {
            // 62 * 4 = 248: bytes at or above it would skew the distribution.
            if b < 248 && out.len() < n {
                out.push(ALNUM[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// A 32-character client id.
pub fn client_id() -> String {
    alnum(32)
}

/// A 64-character base64url client secret (48 random bytes).
pub fn client_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(48))
}

/// `cgr_` + 16 alphanumerics.
pub fn client_grant_id() -> String {
    format!("cgr_{}", alnum(16))
}

/// `cred_` + 22 alphanumerics.
pub fn credential_id() -> String {
    format!("cred_{}", alnum(22))
}

/// 24 lowercase hex characters.
pub fn resource_server_id() -> String {
    hex::encode(random_bytes(12))
}

/// A log event id, sortable by time: 14 hex of millis then random hex.
pub fn log_id() -> String {
    format!("{:016x}{}", crate::now_ms(), hex::encode(random_bytes(8)))
}

/// Random bytes for keys and nonces.
pub fn random(n: usize) -> Vec<u8> {
    random_bytes(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_auth0() {
        let id = client_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        let s = client_secret();
        assert_eq!(s.len(), 64);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert!(client_grant_id().starts_with("cgr_"));
        assert_eq!(client_grant_id().len(), 20);
        assert_eq!(credential_id().len(), 27);
        assert_eq!(resource_server_id().len(), 24);
        assert_ne!(client_id(), client_id());
    }
}
