//! A bounded cache of tokens whose signature already verified, so each Management API
//! call does not pay for an RSA verification.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM, NONCE_LEN};

use super::{Alg, Claims, LEEWAY_SECS};

struct Entry {
    alg: Alg,
    claims: Arc<Claims>,
}

/// A token's name in the map: its GMAC under this process's random key.
type Key = [u8; 16];

struct Inner {
    map: HashMap<Key, Entry>,
    /// Bumped by `clear`; an insert computed against an older generation is dropped,
    /// so a verification racing a key revocation cannot repopulate the cache.
    generation: u64,
}

/// Keyed by a MAC of the token, so tokens themselves are not kept in memory.
/// Only the signature result is cached: time, issuer and audience are checked on
/// every use, and entries past `exp` are dropped.
///
/// The MAC is GMAC (AES-GCM over no plaintext, the token as associated data) under a key
/// drawn when the cache is made. Its tags never leave the process, so nobody can aim a
/// forged token at a cached one's name; and it runs at several GB/s where SHA-256 of a
/// 7 KB Management token was 3 % of a request's CPU.
pub struct VerifiedCache {
    inner: Mutex<Inner>,
    capacity: usize,
    mac: Option<LessSafeKey>,
}

impl VerifiedCache {
    /// `None` only if AES-GCM refused a fresh key, which leaves the cache unused.
    fn key(&self, token: &str) -> Option<Key> {
        let mac = self.mac.as_ref()?;
        let nonce = Nonce::assume_unique_for_key([0u8; NONCE_LEN]);
        let tag = mac
            .seal_in_place_separate_tag(nonce, Aad::from(token.as_bytes()), &mut [])
            .ok()?;
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_ref());
        Some(out)
    }
}

impl VerifiedCache {
    pub fn new(capacity: usize) -> Self {
        VerifiedCache {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                generation: 0,
            }),
            capacity: capacity.max(1),
            mac: UnboundKey::new(&AES_128_GCM, &crate::ids::random(16))
                .ok()
                .map(LessSafeKey::new),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves a plain map behind; it is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to pass to [`VerifiedCache::insert`]; read it before verifying.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn get(&self, token: &str, now: i64) -> Option<(Alg, Arc<Claims>)> {
        let k = self.key(token)?;
        let mut inner = self.lock();
        let entry = inner.map.get(&k)?;
        if entry.claims.exp + LEEWAY_SECS <= now {
            inner.map.remove(&k);
            return None;
        }
        Some((entry.alg, entry.claims.clone()))
    }

    pub fn insert(&self, token: &str, alg: Alg, claims: Arc<Claims>, generation: u64, now: i64) {
        if claims.exp + LEEWAY_SECS <= now {
            return;
        }
        let Some(k) = self.key(token) else {
            return;
        };
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.map.len() >= self.capacity {
            inner.map.retain(|_, e| e.claims.exp + LEEWAY_SECS > now);
        }
        if inner.map.len() >= self.capacity {
            // Still full of live tokens: drop an eighth, arbitrary (hash order) ones.
            let drop: Vec<Key> = inner
                .map
                .keys()
                .take(self.capacity / 8 + 1)
                .copied()
                .collect();
            for k in drop {
                inner.map.remove(&k);
            }
        }
        inner.map.insert(k, Entry { alg, claims });
    }

    /// Forgets everything, e.g. when a key is revoked.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.map.clear();
        inner.generation += 1;
    }

    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
