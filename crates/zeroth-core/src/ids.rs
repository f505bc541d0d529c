//! Identifier and secret formats as Auth0 issues them.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn fill_random(buf: &mut [u8]) {
    // SystemRandom only fails when the OS has no entropy source; retrying is pointless.
    if SystemRandom::new().fill(buf).is_err() {
        tracing::error!("the operating system refused random bytes");
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    fill_random(&mut buf);
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

/// Tenant log ids in the order their events are committed: 16 hex digits of milliseconds,
/// then 16 of a sequence that starts at a random point for each process.
///
/// A tail reads forward from the last id it saw (`from`), so an event committed after
/// that read must never get a lower id. Ids drawn when events were recorded broke that:
/// events of one millisecond sorted by a random suffix, and those that missed a batch
/// landed below ids already read. Only the log writer holds one of these, and it numbers
/// each batch just before committing it. Two processes differ by their starting points.
pub(crate) struct LogIds {
    last_ms: i64,
    seq: u64,
}

impl LogIds {
    pub(crate) fn new() -> LogIds {
        // Below 2^62, so the sequence cannot wrap within any process's lifetime.
        LogIds {
            last_ms: 0,
            seq: u64::from_le_bytes(random_array()) >> 2,
        }
    }

    pub(crate) fn next_id(&mut self) -> String {
        self.last_ms = crate::now_ms().max(self.last_ms);
        self.seq += 1;
        format!("{:016x}{:016x}", self.last_ms, self.seq)
    }
}

/// Random bytes for keys and nonces.
pub fn random(n: usize) -> Vec<u8> {
    random_bytes(n)
}

/// [`random`] with a length known at compile time, as keys and nonces are.
pub fn random_array<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    fill_random(&mut buf);
    buf
}

/// A request id like Auth0's `x-auth0-requestid`: 20 lowercase hex characters.
pub fn request_id() -> [u8; 20] {
    let (prefix, mixed) = distinct();
    let mut bytes = [0u8; 10];
    bytes[..2].copy_from_slice(&prefix.to_be_bytes());
    bytes[2..].copy_from_slice(&mixed.to_be_bytes());
    let mut out = [0u8; 20];
    // Infallible: 10 bytes always fill 20 hex characters.
    let _ = hex::encode_to_slice(bytes, &mut out);
    out
}

/// 16 bits fixed per process and 64 that no other call in this process returns.
///
/// For ids that only need to be distinct, not secret (request ids): a draw from
/// the system's generator on every request cost ~2 % of a GET. A per-process random key
/// is drawn once and each value is a counter put through a bijection keyed by it, so
/// values of one process never repeat and those of two processes differ by their key.
fn distinct() -> (u16, u64) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::LazyLock;
    static KEY: LazyLock<(u16, u64)> = LazyLock::new(|| {
        let b = random_bytes(10);
        let mut k = [0u8; 8];
        k.copy_from_slice(&b[2..]);
        (u16::from_le_bytes([b[0], b[1]]), u64::from_le_bytes(k))
    });
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (prefix, key) = *KEY;
    (
        prefix,
        splitmix64(COUNTER.fetch_add(1, Ordering::Relaxed) ^ key),
    )
}

/// SplitMix64's finaliser: a bijection on `u64` that spreads a counter's bits.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
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

    #[test]
    fn request_ids_are_hex_and_do_not_repeat() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let id = request_id();
            assert!(id
                .iter()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
            assert!(seen.insert(id), "request id repeated");
        }
        // Consecutive ids share no visible counter: their last 16 characters differ widely.
        let (a, b) = (request_id(), request_id());
        let differing = a[4..].iter().zip(&b[4..]).filter(|(x, y)| x != y).count();
        assert!(differing > 6, "{a:?} {b:?}");
    }

    #[test]
    fn log_ids_grow_in_the_order_they_are_drawn() {
        let before = format!("{:016x}", crate::now_ms());
        let mut ids = LogIds::new();
        let drawn: Vec<String> = (0..10_000).map(|_| ids.next_id()).collect();
        assert!(drawn
            .iter()
            .all(|id| id.len() == 32 && id[..16] >= before[..]));
        assert!(drawn.windows(2).all(|w| w[0] < w[1]), "strictly increasing");
        let other: Vec<String> = (0..10_000).map(|_| LogIds::new().next_id()).collect();
        let unique: std::collections::HashSet<&String> = other.iter().collect();
        assert_eq!(unique.len(), other.len(), "processes start apart");
    }
}
