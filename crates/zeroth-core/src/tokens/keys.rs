//! The live key ring plus the verified-token cache, shared by the token endpoint and
//! the Management API's bearer check.

use std::sync::{Arc, RwLock};

use serde_json::Value;

use super::jwt::{encode_rsa, verify_rsa_signature};
use super::{check_claims, now_secs, Alg, Claims, TokenError, Validation, VerifiedCache};
use crate::crypto::keys::{ensure_signing_keys, KeyError, KeyRing};
use crate::store::Store;

/// How many verified tokens are remembered.
const CACHE_CAPACITY: usize = 10_000;

pub struct TokenKeys {
    ring: RwLock<Arc<KeyRing>>,
    cache: VerifiedCache,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("ring", &self.ring())
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    pub fn new(ring: KeyRing) -> Self {
        TokenKeys {
            ring: RwLock::new(Arc::new(ring)),
            cache: VerifiedCache::new(CACHE_CAPACITY),
        }
    }

    /// Start-up: creates the current and next keys when missing, then parses them.
    pub async fn load(store: &Store, domain: &str) -> Result<Self, KeyError> {
        let rows = ensure_signing_keys(store, domain).await?;
        Ok(TokenKeys::new(KeyRing::from_rows(&rows)?))
    }

    /// Re-reads the keys after a rotation or revocation (this node's or another's).
    pub async fn reload(&self, store: &Store) -> Result<(), KeyError> {
        let rows = store.list_signing_keys().await?;
        self.replace(KeyRing::from_rows(&rows)?);
        Ok(())
    }

    /// Swaps in a new ring and forgets every cached verification, so a revoked key's
    /// tokens stop working at once.
    pub fn replace(&self, ring: KeyRing) {
        let mut slot = self.ring.write().unwrap_or_else(|p| p.into_inner());
        *slot = Arc::new(ring);
        self.cache.clear();
    }

    pub fn ring(&self) -> Arc<KeyRing> {
        self.ring.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn jwks(&self) -> Value {
        self.ring().jwks().clone()
    }

    /// An RS256 token for `claims`, signed by the current key.
    pub fn sign(&self, claims: &Claims) -> Result<String, TokenError> {
        encode_rsa(&self.ring(), Alg::RS256, claims)
    }

    pub fn sign_with(&self, alg: Alg, claims: &Claims) -> Result<String, TokenError> {
        encode_rsa(&self.ring(), alg, claims)
    }

    /// Verifies `token` now: signature (cached), then time, issuer and audience.
    pub fn verify(&self, token: &str, v: &Validation) -> Result<Arc<Claims>, TokenError> {
        self.verify_at(token, v, now_secs())
    }

    pub fn verify_at(
        &self,
        token: &str,
        v: &Validation,
        now: i64,
    ) -> Result<Arc<Claims>, TokenError> {
        let claims = match self.cache.get(token, now) {
            Some((alg, claims)) if v.algs.contains(&alg) => claims,
            Some((alg, _)) => return Err(TokenError::AlgNotAllowed(alg.as_str().into())),
            None => {
                let generation = self.cache.generation();
                let (alg, claims) = verify_rsa_signature(&self.ring(), token, &v.algs)?;
                let claims = Arc::new(claims);
                self.cache
                    .insert(token, alg, claims.clone(), generation, now);
                claims
            }
        };
        check_claims(&claims, v, now)?;
        Ok(claims)
    }

    pub fn cache(&self) -> &VerifiedCache {
        &self.cache
    }
}
