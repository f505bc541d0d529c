//! Durable storage for a tenant over SQLite or PostgreSQL through one code path.
//!
//! Every query is one SQL string with `$n` placeholders run through sqlx's `Any`
//! driver, so both engines share each line of this module. Secrets (client secrets,
//! resource-server signing secrets, signing-key private keys) are sealed with the
//! master key before they reach the database.

mod batch;
mod cached;
mod client_grants;
mod clients;
mod credentials;
mod dashboard;
mod direct;
mod export;
mod keys;
mod lock;
mod logs;
mod migrate;
mod open;
mod owner;
mod paging;
mod rename;
mod resource_servers;
mod settings;
mod types;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::AnyPool;

pub use cached::FRESH_FOR;
pub use dashboard::DashboardSessionRow;
pub use lock::BootstrapLock;
pub use logs::{LogFilter, LogPage, LogRow};
pub use owner::{HeldPage, PageTag};
pub use types::*;

use crate::crypto::seal::MasterKey;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (duplicate id, duplicate grant …).
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(String),
    /// The master key cannot open what is stored (wrong key) or sealing failed.
    #[error("{0}")]
    Seal(String),
    /// A caller-supplied value the store cannot use, such as a malformed checkpoint
    /// (`from`); the HTTP layer should answer 400.
    #[error("{0}")]
    InvalidInput(String),
    #[error("not implemented yet")]
    Unimplemented,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// How often a compare-and-swap update re-reads and retries before giving up.
const CAS_TRIES: u32 = 100;

/// The tenant's storage. Cheap to clone (a pool inside).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    // Shared between clones so that a rotation is seen by every handle at once.
    master: Arc<RwLock<MasterKey>>,
    reads: Arc<cached::ReadCache>,
    owner: Arc<owner::Owner>,
}

impl Store {
    /// Opens `url` (`sqlite://path` or `postgres://…`), runs migrations, and checks
    /// that `master` opens what is sealed (a wrong key fails here with a clear message).
    pub async fn open(url: &str, master: MasterKey) -> Result<Store, StoreError> {
        let (pool, engine) = open::connect(url).await?;
        migrate::run(&pool, engine).await?;
        let store = Store {
            pool,
            engine,
            master: Arc::new(RwLock::new(master)),
            reads: Arc::default(),
            owner: Arc::new(owner::Owner::for_sqlite(open::sqlite_file(url).as_deref())),
        };
        store.check_canary().await?;
        Ok(store)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(db_err)
    }

    /// Closes the pool; pending queries finish first.
    pub async fn close(&self) {
        self.stop_writer();
        self.pool.close().await;
        self.unlock_owner();
    }

    fn key(&self) -> MasterKey {
        // A poisoned lock still holds a whole key: a writer only ever swaps it in one step.
        match self.master.read() {
            Ok(k) => k.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn seal_opt(&self, s: Option<&crate::Secret>) -> Result<Option<String>, StoreError> {
        s.map(|s| self.key().seal_str(s.expose())).transpose()
    }

    fn open_opt(&self, sealed: Option<&str>) -> Result<Option<crate::Secret>, StoreError> {
        let key = self.key();
        sealed
            .map(|s| key.open_str(s).map(crate::Secret::new))
            .transpose()
    }
}

/// Maps a driver error at the storage boundary: unique and foreign-key violations
/// become `Conflict` on both engines, the rest `Database`.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        match d.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return StoreError::Conflict(format!("already exists: {}", d.message()))
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                return StoreError::Conflict(format!(
                    "refers to a row that does not exist: {}",
                    d.message()
                ))
            }
            _ => {}
        }
    }
    StoreError::Database(e.to_string())
}

/// A short jittered pause between compare-and-swap attempts, so that losers do not
/// all retry in lock-step with the next winner.
async fn backoff(attempt: u32) {
    let jitter = crate::ids::random(1).first().copied().unwrap_or(0) as u64;
    let micros = 100 + jitter * 4 * u64::from(attempt.min(10) + 1);
    tokio::time::sleep(Duration::from_micros(micros)).await;
}

fn gave_up(what: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{what} is being changed by too many writers at once; try again"
    ))
}

fn to_json(doc: &serde_json::Map<String, serde_json::Value>) -> Result<String, StoreError> {
    serde_json::to_string(doc).map_err(|e| StoreError::Database(format!("cannot encode: {e}")))
}

fn from_json(text: &str) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Database(format!("corrupt document: {e}")))
}
