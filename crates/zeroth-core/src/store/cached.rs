//! Short-lived copies of what `/oauth/token` reads (client, API, grant), so a busy
//! client pays for its RSA signature rather than for three database round trips.
//!
//! Correctness across nodes: an entry lives at most [`FRESH_FOR`], so a secret rotated
//! or a grant revoked on another node stops working here within that time (the
//! durability suite's two-node test allows one second). On this node every write
//! through the store bumps a generation counter and drops every entry at once, so local
//! changes are seen by the next request. Misses (unknown client, no grant) are not kept,
//! so something created elsewhere works as soon as it is committed. Callers that miss
//! together (a busy entry expiring) wait for one read instead of each making one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{ClientGrantRow, ClientRow, ResourceServerRow, Store, StoreError};

/// How long a copy may answer; half the cross-node staleness we promise.
pub const FRESH_FOR: Duration = Duration::from_millis(500);
/// Past this many entries of one kind the map is emptied rather than grown.
const MAX_ENTRIES: usize = 4096;

struct Entry<T> {
    at: Instant,
    generation: u64,
    value: Arc<T>,
}

struct Table<K, T> {
    map: Mutex<HashMap<K, Entry<T>>>,
    /// Held by the one caller filling a missing entry. When a busy entry expires, every
    /// request in flight misses it at once; without this each of them read and parsed
    /// the row (the Management API's 221 scopes), ~1.6 % of a token run at 64
    /// connections.
    filling: tokio::sync::Mutex<()>,
}

impl<K: std::hash::Hash + Eq, T> Default for Table<K, T> {
    fn default() -> Self {
        Table {
            map: Mutex::new(HashMap::new()),
            filling: tokio::sync::Mutex::new(()),
        }
    }
}

impl<K: std::hash::Hash + Eq, T> Table<K, T> {
    fn get<Q>(&self, key: &Q, generation: u64) -> Option<Arc<T>>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let map = self.map.lock().ok()?;
        let e = map.get(key)?;
        (e.generation == generation && e.at.elapsed() < FRESH_FOR).then(|| e.value.clone())
    }

    fn put(&self, key: K, generation: u64, at: Instant, value: Arc<T>) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    at,
                    generation,
                    value,
                },
            );
        }
    }

    /// The entry for `key`, else what `fetch` reads, kept. Callers that miss together
    /// wait for one fetch instead of each making their own.
    async fn get_or_fill<Q, Fut>(
        &self,
        reads: &ReadCache,
        key: &Q,
        owned: impl FnOnce() -> K,
        fetch: impl FnOnce() -> Fut,
    ) -> Result<Option<Arc<T>>, StoreError>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
        Fut: std::future::Future<Output = Result<Option<T>, StoreError>>,
    {
        if let Some(hit) = self.get(key, reads.generation()) {
            return Ok(Some(hit));
        }
        let _filling = self.filling.lock().await;
        // Taken before the query: a write committed meanwhile makes the entry stale.
        let (generation, at) = (reads.generation(), Instant::now());
        // Filled by the caller this one waited for.
        if let Some(hit) = self.get(key, generation) {
            return Ok(Some(hit));
        }
        reads.fills.fetch_add(1, Ordering::Relaxed);
        let Some(row) = fetch().await? else {
            return Ok(None);
        };
        let row = Arc::new(row);
        self.put(owned(), generation, at, row.clone());
        Ok(Some(row))
    }
}

/// The token endpoint's read cache; one per store (shared by its clones).
#[derive(Default)]
pub(super) struct ReadCache {
    generation: AtomicU64,
    clients: Table<String, ClientRow>,
    apis: Table<String, ResourceServerRow>,
    grants: Table<(String, String), ClientGrantRow>,
    /// Database reads made to fill the tables.
    fills: AtomicU64,
}

impl ReadCache {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

impl Store {
    /// Invalidates every cached read; called after each committed local write.
    pub(crate) fn wrote(&self) {
        let gen = self.bump_generation();
        self.wrote_unnamed_clients(gen);
    }

    /// The generation after one more committed local write.
    pub(super) fn bump_generation(&self) -> u64 {
        self.reads.generation.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Changes after every committed local write.
    pub(super) fn generation(&self) -> u64 {
        self.reads.generation()
    }

    /// Database reads the token endpoint's cache has made: what a burst of misses costs.
    pub fn read_cache_fills(&self) -> u64 {
        self.reads.fills.load(Ordering::Relaxed)
    }

    /// [`Store::get_client`] for the token endpoint: at most [`FRESH_FOR`] old.
    pub async fn get_client_recent(
        &self,
        client_id: &str,
    ) -> Result<Option<Arc<ClientRow>>, StoreError> {
        self.reads
            .clients
            .get_or_fill(
                &self.reads,
                client_id,
                || client_id.to_owned(),
                || self.get_client(client_id),
            )
            .await
    }

    /// [`Store::get_resource_server`] for the token endpoint: at most [`FRESH_FOR`] old.
    pub async fn get_resource_server_recent(
        &self,
        id_or_identifier: &str,
    ) -> Result<Option<Arc<ResourceServerRow>>, StoreError> {
        self.reads
            .apis
            .get_or_fill(
                &self.reads,
                id_or_identifier,
                || id_or_identifier.to_owned(),
                || self.get_resource_server(id_or_identifier),
            )
            .await
    }

    /// [`Store::find_client_grant`] for the token endpoint: at most [`FRESH_FOR`] old.
    pub async fn find_client_grant_recent(
        &self,
        client_id: &str,
        audience: &str,
    ) -> Result<Option<Arc<ClientGrantRow>>, StoreError> {
        let key = (client_id.to_owned(), audience.to_owned());
        self.reads
            .grants
            .get_or_fill(
                &self.reads,
                &key,
                || key.clone(),
                || self.find_client_grant(client_id, audience),
            )
            .await
    }
}
