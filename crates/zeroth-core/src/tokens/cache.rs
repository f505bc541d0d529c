//! A bounded cache of tokens whose signature already verified, so each Management API
//! call does not pay for an RSA verification.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_lc_rs::digest;

use super::{Alg, Claims, LEEWAY_SECS};

struct Entry {
    alg: Alg,
    claims: Arc<Claims>,
}

struct Inner {
    map: HashMap<[u8; 32], Entry>,
    /// Bumped by `clear`; an insert computed against an older generation is dropped,
    /// so a verification racing a key revocation cannot repopulate the cache.
    generation: u64,
}

/// Keyed by the SHA-256 of the token, so tokens themselves are not kept in memory.
/// Only the signature result is cached: time, issuer and audience are checked on
/// every use, and entries past `exp` are dropped.
pub struct VerifiedCache {
    inner: Mutex<Inner>,
    capacity: usize,
}

fn key(token: &str) -> [u8; 32] {
    let d = digest::digest(&digest::SHA256, token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

impl VerifiedCache {
    pub fn new(capacity: usize) -> Self {
        VerifiedCache {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                generation: 0,
            }),
            capacity: capacity.max(1),
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
        let k = key(token);
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
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.map.len() >= self.capacity {
            inner.map.retain(|_, e| e.claims.exp + LEEWAY_SECS > now);
        }
        if inner.map.len() >= self.capacity {
            // Still full of live tokens: drop an eighth, arbitrary (hash order) ones.
            let drop: Vec<[u8; 32]> = inner
                .map
                .keys()
                .take(self.capacity / 8 + 1)
                .copied()
                .collect();
            for k in drop {
                inner.map.remove(&k);
            }
        }
        inner.map.insert(key(token), Entry { alg, claims });
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
