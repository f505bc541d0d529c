//! A tenant-wide lock so that nodes starting together bootstrap one after another.

use sqlx::pool::PoolConnection;
use sqlx::Any;

use super::{db_err, Engine, Store, StoreError};

/// Not the migrations' lock id: a node may hold this one while another migrates.
const PG_BOOTSTRAP_LOCK_ID: i64 = 0x5a65_726f_7469;

/// Held while one node creates what every tenant needs (signing keys, the Management API,
/// the admin client). Without it two nodes starting on a fresh PostgreSQL database each
/// create a "current" signing key, or collide on the pinned admin client and one fails.
pub struct BootstrapLock {
    // The PostgreSQL session holding the advisory lock; `None` on SQLite, where one
    // process owns the file and start-up is already sequential.
    conn: Option<PoolConnection<Any>>,
}

impl Store {
    /// Waits for the tenant's bootstrap lock. Release it with [`BootstrapLock::release`];
    /// if it is dropped instead, its connection is closed, which frees the lock too.
    pub async fn lock_bootstrap(&self) -> Result<BootstrapLock, StoreError> {
        if self.engine != Engine::Postgres {
            return Ok(BootstrapLock { conn: None });
        }
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        // Never hand a connection that may still hold the lock back to the pool.
        conn.close_on_drop();
        // COUNT wrapper: the Any driver cannot decode pg_advisory_lock's `void`.
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_lock($1)) AS l")
            .bind(PG_BOOTSTRAP_LOCK_ID)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        Ok(BootstrapLock { conn: Some(conn) })
    }
}

impl BootstrapLock {
    pub async fn release(self) -> Result<(), StoreError> {
        let Some(mut conn) = self.conn else {
            return Ok(());
        };
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_unlock($1)) AS l")
            .bind(PG_BOOTSTRAP_LOCK_ID)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        conn.close().await.map_err(db_err)
    }
}
