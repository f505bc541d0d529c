//! The single serving process of a SQLite database answers client reads from memory.
//!
//! `zeroth serve` takes an OS lock on `<database>.owner`; while one process holds it,
//! every write to the file goes through that process's store (maintenance commands
//! refuse to run, a second server runs without this cache), so a generation counter
//! bumped after each local commit is an exact freshness test, not a time bound: a
//! client kept from generation g is current unless a later write named it, or changed
//! clients without naming them. List pages are kept only for one exact generation.
//! Entries keep the client secret sealed, never in the clear. PostgreSQL, where several
//! nodes write, never takes this path.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use sqlx::any::AnyRow;
use sqlx::Row as _;

use super::direct::Direct;
use super::{db_err, ClientFilter, ClientRow, PageOut, PageReq, Store, StoreError, StoredClient};
use crate::crypto::seal::MasterKey;

/// Clients kept at most; past it the map starts over.
const MAX_CLIENTS: usize = 4096;
/// List pages kept at most (each holds shared entries, not copies).
const MAX_PAGES: usize = 64;
/// The request path's checkpoint backstop, in WAL pages (SQLite's default is 1,000).
const REQUEST_PATH_CHECKPOINT_AT: u32 = 10_000;

/// A client as read, its secret still sealed.
#[derive(Clone)]
pub(super) struct Held {
    client: StoredClient,
    /// Still sealed, but base64-decoded once rather than at every read.
    sealed_secret: Option<Box<[u8]>>,
}

type Page = PageOut<Arc<Held>>;

#[derive(Default)]
pub(super) struct Owner {
    /// Where the lock lives; `None` for in-memory databases and PostgreSQL.
    lock_path: Option<PathBuf>,
    /// Set once this process holds the lock; the open file keeps it held.
    held: OnceLock<File>,
    clients: Mutex<HashMap<String, (u64, Arc<Held>)>>,
    /// The generation of each client's last local write; a kept client read before it
    /// is stale.
    client_writes: Mutex<HashMap<String, u64>>,
    /// The generation of the last write that may have changed clients without naming
    /// them: every client kept from before it is stale.
    client_floor: AtomicU64,
    /// Taken around this process's busiest write transactions (client changes, client
    /// creation, tenant log batches) on the owned file, so they queue here in order
    /// instead of in SQLite's busy handler, which sleeps in steps of up to 100 ms.
    write_gate: tokio::sync::Mutex<()>,
    /// Client reads that had to query the database (an operator's and a test's view of
    /// how well the copies serve).
    database_reads: AtomicU64,
    /// The shared-commit writer for client changes (store/batch.rs), while owner.
    writer: Mutex<Option<tokio::sync::mpsc::Sender<super::batch::Job>>>,
    pages: Mutex<HashMap<String, (u64, Arc<Page>)>>,
    /// The database file, for the direct connections.
    db_path: Option<PathBuf>,
    /// While owner: the request path's connection for lone client changes.
    pub(super) direct_clients: OnceLock<Direct>,
    /// While owner: the log writer's connection.
    pub(super) direct_logs: OnceLock<Arc<Direct>>,
}

impl Owner {
    pub(super) fn writer(&self) -> Option<tokio::sync::mpsc::Sender<super::batch::Job>> {
        self.writer.lock().ok().and_then(|w| w.clone())
    }

    pub(super) fn for_sqlite(db: Option<&Path>) -> Owner {
        Owner {
            db_path: db.map(Path::to_path_buf),
            lock_path: db.map(|p| {
                let mut name = p.as_os_str().to_owned();
                name.push(".owner");
                PathBuf::from(name)
            }),
            ..Owner::default()
        }
    }

    /// Opens the direct connections (store/direct.rs) once this process owns the file.
    fn open_direct(&self) -> Result<(), StoreError> {
        let Some(path) = &self.db_path else {
            return Ok(());
        };
        let clients = Direct::open(path, Duration::ZERO, REQUEST_PATH_CHECKPOINT_AT)?;
        let logs = Direct::open(path, super::open::SQLITE_BUSY_TIMEOUT, 1_000)?;
        let _ = self.direct_clients.set(clients);
        let _ = self.direct_logs.set(Arc::new(logs));
        Ok(())
    }

    fn open_lock(&self) -> Result<Option<File>, StoreError> {
        let Some(path) = &self.lock_path else {
            return Ok(None);
        };
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        // Empty, but it sits among the tenant's private files: owner-only like them.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let file = opts
            .open(path)
            .map_err(|e| StoreError::Database(format!("cannot open {}: {e}", path.display())))?;
        Ok(Some(file))
    }
}

fn get_cached<T>(
    map: &Mutex<HashMap<String, (u64, Arc<T>)>>,
    key: &str,
    gen: u64,
) -> Option<Arc<T>> {
    let map = map.lock().ok()?;
    map.get(key)
        .filter(|(g, _)| *g == gen)
        .map(|(_, v)| Arc::clone(v))
}

fn put_cached<T>(
    map: &Mutex<HashMap<String, (u64, Arc<T>)>>,
    key: String,
    gen: u64,
    value: Arc<T>,
    max: usize,
) {
    if let Ok(mut map) = map.lock() {
        if map.len() >= max {
            map.retain(|_, (g, _)| *g == gen);
            if map.len() >= max {
                map.clear();
            }
        }
        map.insert(key, (gen, value));
    }
}

impl Store {
    /// Makes this process the database's owner when no other process is: afterwards
    /// client reads may come from memory. `false` (and nothing changes) when another
    /// process holds the lock, and always on PostgreSQL.
    pub fn claim_owner(&self) -> Result<bool, StoreError> {
        if self.owner.held.get().is_some() {
            return Ok(true);
        }
        let Some(file) = self.owner.open_lock()? else {
            return Ok(false);
        };
        match file.try_lock() {
            Ok(()) => {
                // Before the claim is made: if they cannot open, the lock drops with `file`.
                self.owner.open_direct()?;
                // A concurrent claim on a clone lost the race: its file (and lock) drops.
                if self.owner.held.set(file).is_ok() {
                    if let Ok(mut w) = self.owner.writer.lock() {
                        *w = Some(super::batch::start(self.clone()));
                    }
                }
                Ok(true)
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Database(format!(
                "cannot lock the database owner file: {e}"
            ))),
        }
    }

    /// For commands that write behind a server's back (import, master-key rotation):
    /// an error naming the problem while a running `zeroth serve` owns the database.
    pub fn refuse_if_owned(&self) -> Result<(), StoreError> {
        let Some(file) = self.owner.open_lock()? else {
            return Ok(());
        };
        match file.try_lock() {
            Ok(()) => Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Database(
                "a running `zeroth serve` is using this database; stop it first".into(),
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Database(format!(
                "cannot lock the database owner file: {e}"
            ))),
        }
    }

    /// For `close`, before the pool closes: no new changes join the shared-commit queue.
    pub(super) fn stop_writer(&self) {
        if let Ok(mut w) = self.owner.writer.lock() {
            w.take();
        }
        for direct in [
            self.owner.direct_clients.get(),
            self.owner.direct_logs.get().map(Arc::as_ref),
        ]
        .into_iter()
        .flatten()
        {
            direct.close();
        }
    }

    /// For `close`, after the pool closed (nothing of ours can write any more): gives up
    /// the lock at once, rather than when the last clone of this store drops.
    pub(super) fn unlock_owner(&self) {
        if let Some(file) = self.owner.held.get() {
            let _ = file.unlock();
        }
    }

    /// After a committed local write that changed only `ids` (and no client it does
    /// not name): the new generation, marked on those clients alone, so every other
    /// kept client stays current.
    pub(super) fn wrote_clients<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> u64 {
        let Ok(mut marks) = self.owner.client_writes.lock() else {
            self.wrote();
            return self.generation();
        };
        // Bumped under the lock, so a reader sees the mark and the generation together.
        let gen = self.bump_generation();
        if self.owns() {
            for id in ids {
                marks.insert(id.to_owned(), gen);
            }
            if marks.len() > MAX_CLIENTS {
                marks.clear();
                self.owner.client_floor.fetch_max(gen, Ordering::AcqRel);
            }
        }
        gen
    }

    /// After a committed local write that may change clients it does not name.
    pub(super) fn wrote_unnamed_clients(&self, gen: u64) {
        self.owner.client_floor.fetch_max(gen, Ordering::AcqRel);
    }

    /// Held for one write transaction on the owned SQLite file; `None` elsewhere (other
    /// writers exist there, and PostgreSQL waits on row locks, not by sleeping).
    pub(super) async fn write_gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        if !self.owns() {
            return None;
        }
        Some(self.owner.write_gate.lock().await)
    }

    /// The write gate if no one holds it, for writes that queue rather than wait.
    pub(super) fn try_write_gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.owner.write_gate.try_lock().ok()
    }

    /// How many single-client reads this owner answered from the database rather than
    /// from its copies.
    pub fn owner_database_reads(&self) -> u64 {
        self.owner.database_reads.load(Ordering::Relaxed)
    }

    /// The kept copy of a client, when nothing has written it since it was read.
    fn kept_client(&self, client_id: &str) -> Option<Arc<Held>> {
        let (mark, floor) = {
            let marks = self.owner.client_writes.lock().ok()?;
            // Read under the lock: clearing the marks raises the floor under it too.
            let floor = self.owner.client_floor.load(Ordering::Acquire);
            (marks.get(client_id).copied().unwrap_or(0), floor)
        };
        let map = self.owner.clients.lock().ok()?;
        map.get(client_id)
            .filter(|(g, _)| *g >= mark && *g >= floor)
            .map(|(_, v)| Arc::clone(v))
    }

    /// Keeps `held` as read (or written) at `gen`, unless a newer copy is kept already.
    fn keep_client(&self, client_id: &str, gen: u64, held: Arc<Held>) {
        if let Ok(mut map) = self.owner.clients.lock() {
            if map.get(client_id).is_some_and(|(g, _)| *g > gen) {
                return;
            }
            if map.len() >= MAX_CLIENTS {
                map.clear();
            }
            map.insert(client_id.to_owned(), (gen, held));
        }
    }

    /// After a local commit at `gen` (from [`Store::wrote_clients`]): keeps the row just
    /// written as this process's copy, so the next read or change needs no query.
    pub(super) fn keep_written(&self, gen: u64, row: &ClientRow, w: super::batch::Written) {
        if !self.owns() {
            return;
        }
        let Ok(sealed_secret) = decode_sealed(w.sealed.as_deref()) else {
            // Cannot happen for what was just sealed; the next read goes to the database.
            return;
        };
        let held = Held {
            client: StoredClient {
                client_id: row.client_id.clone(),
                doc: w.doc.into(),
                client_secret: None,
                created_at: row.created_at,
                updated_at: row.updated_at,
                version: row.version,
            },
            sealed_secret,
        };
        self.keep_client(&row.client_id, gen, Arc::new(held));
    }

    fn owns(&self) -> bool {
        self.owner.held.get().is_some()
    }

    fn held_from(&self, r: &AnyRow) -> Result<Held, StoreError> {
        Ok(Held {
            // Without unsealing: the secret stays sealed until a reader asks for it.
            client: self.stored_from(r, false)?,
            sealed_secret: decode_sealed(
                r.try_get::<Option<String>, _>("client_secret_sealed")
                    .map_err(db_err)?
                    .as_deref(),
            )?,
        })
    }

    /// `None` when this process does not own the database (the caller reads it).
    pub(super) async fn owned_client(
        &self,
        client_id: &str,
        secret: bool,
    ) -> Option<Result<Option<StoredClient>, StoreError>> {
        if !self.owns() {
            return None;
        }
        let gen = self.generation();
        if let Some(h) = self.kept_client(client_id) {
            return Some(unheld(&self.key(), &h, secret).map(Some));
        }
        self.owner.database_reads.fetch_add(1, Ordering::Relaxed);
        let read = async {
            let row = sqlx::query(&format!(
                "SELECT {} FROM clients WHERE client_id = $1",
                super::clients::COLS
            ))
            .bind(client_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
            let Some(row) = row else { return Ok(None) };
            let held = Arc::new(self.held_from(&row)?);
            self.keep_client(client_id, gen, Arc::clone(&held));
            unheld(&self.key(), &held, secret).map(Some)
        };
        Some(read.await)
    }

    /// `None` when this process does not own the database (the caller reads it).
    pub(super) async fn owned_client_page(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
        secret: bool,
    ) -> Option<Result<PageOut<StoredClient>, StoreError>> {
        let held = match self.held_client_page(filter, page, with_total).await? {
            Ok(h) => h,
            Err(e) => return Some(Err(e)),
        };
        let items: Result<Vec<StoredClient>, StoreError> = held
            .page
            .items
            .iter()
            .map(|h| unheld(&held.key, h, secret))
            .collect();
        Some(items.map(|items| PageOut {
            items,
            total: held.page.total,
            next: held.page.next.clone(),
        }))
    }

    /// A list page as this process holds it, shared with every reader of the same page
    /// until the next write; `None` when this process does not own the database.
    pub async fn held_client_page(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
    ) -> Option<Result<HeldPage, StoreError>> {
        if !self.owns() {
            return None;
        }
        let key = format!("{filter:?}|{page:?}|{with_total}");
        let gen = self.generation();
        let held = match get_cached(&self.owner.pages, &key, gen) {
            Some(p) => p,
            None => {
                let read = match self
                    .fetch_client_rows(filter, page, with_total, super::clients::COLS)
                    .await
                {
                    Ok(raw) => raw.read(|r| self.held_from(r).map(Arc::new)),
                    Err(e) => Err(e),
                };
                let page = match read {
                    Ok(p) => Arc::new(p),
                    Err(e) => return Some(Err(e)),
                };
                put_cached(&self.owner.pages, key, gen, Arc::clone(&page), MAX_PAGES);
                page
            }
        };
        // One look at the master key for the page, not one per secret.
        Some(Ok(HeldPage {
            page: held,
            key: self.key(),
        }))
    }
}

/// A held copy for a reader, its secret opened with `key` when `secret`.
fn unheld(key: &MasterKey, held: &Held, secret: bool) -> Result<StoredClient, StoreError> {
    let mut c = held.client.clone();
    if secret {
        c.client_secret = open_held(key, held)?;
    }
    Ok(c)
}

fn open_held(key: &MasterKey, held: &Held) -> Result<Option<crate::Secret>, StoreError> {
    held.sealed_secret
        .as_deref()
        .map(|s| key.open_decoded_str(s).map(crate::Secret::new))
        .transpose()
}

/// A page of clients held by the owning process. The same page (same clients, same
/// versions) is the same allocation until a write replaces it, so what a reader derives
/// from it may be kept as long as [`PageTag::is`] says it is still this page.
pub struct HeldPage {
    page: Arc<Page>,
    key: MasterKey,
}

impl HeldPage {
    pub fn len(&self) -> usize {
        self.page.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.page.items.is_empty()
    }

    pub fn total(&self) -> Option<u64> {
        self.page.total
    }

    pub fn next(&self) -> Option<&str> {
        self.page.next.as_deref()
    }

    /// The `i`th client, its secret left out (`has_secret` tells whether it has one).
    pub fn client(&self, i: usize) -> Option<StoredClient> {
        self.page.items.get(i).map(|h| h.client.clone())
    }

    pub fn has_secret(&self, i: usize) -> bool {
        self.page
            .items
            .get(i)
            .is_some_and(|h| h.sealed_secret.is_some())
    }

    /// The `i`th client's secret, opened for this one read.
    pub fn open_secret(&self, i: usize) -> Result<Option<crate::Secret>, StoreError> {
        match self.page.items.get(i) {
            Some(h) => open_held(&self.key, h),
            None => Ok(None),
        }
    }

    pub fn tag(&self) -> PageTag {
        PageTag(Arc::downgrade(&self.page))
    }
}

/// Names a [`HeldPage`] without keeping its clients in memory.
pub struct PageTag(std::sync::Weak<Page>);

impl PageTag {
    /// Whether `page` is the page this tag was taken from. The weak reference keeps the
    /// allocation, so no later page can take its address.
    pub fn is(&self, page: &HeldPage) -> bool {
        std::ptr::eq(self.0.as_ptr(), Arc::as_ptr(&page.page))
    }

    /// Whether anyone still holds the page; a dropped page is never read again.
    pub fn alive(&self) -> bool {
        self.0.strong_count() > 0
    }
}

fn decode_sealed(sealed: Option<&str>) -> Result<Option<Box<[u8]>>, StoreError> {
    sealed
        .map(|s| MasterKey::decode(s).map(Vec::into_boxed_slice))
        .transpose()
}
