//! The owning process's own SQLite connections, for the two writes it makes most: a lone
//! client change, run on the request's own thread, and tenant log batches.
//!
//! Both went through sqlx, whose SQLite connection lives on a thread of its own: every
//! statement was a hand-off to that thread and back. A lone PATCH paid two more thread
//! wake-ups than its commit needed, and a log batch of a hundred events spent ~4 ms
//! binding parameters by name. These connections open the same file with the same
//! settings and share SQLite's locks with the pool (one SQLite library in the process);
//! [`super::owner`]'s write gate orders them with the pool's writers.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, TransactionBehavior};

use super::batch::{RowColumns, UPDATE_CLIENT};
use super::{ClientRow, StoreError};

/// One connection, or none once the store has closed.
pub(super) struct Direct {
    conn: Mutex<Option<Connection>>,
}

/// A stored log row: id, date, type, client id, document.
pub(super) type LogInsert = (String, i64, String, Option<String>, String);

impl Direct {
    /// `wait` is SQLite's busy timeout: zero for the request path, which never sleeps on
    /// a lock (the caller queues instead), SQLite's usual wait for the log writer.
    /// `checkpoint_at` is the WAL size in pages at which this connection's commits run a
    /// checkpoint. The request path's is far above SQLite's 1,000, so a checkpoint does
    /// not hold up an answer: the log writer's commits (one follows every write the API
    /// answers) and the pool's run it first, and the request path's only as a backstop.
    pub(super) fn open(
        path: &Path,
        wait: Duration,
        checkpoint_at: u32,
    ) -> Result<Self, StoreError> {
        let conn = Connection::open(path)
            .map_err(|e| StoreError::Database(format!("cannot open {}: {e}", path.display())))?;
        conn.busy_timeout(wait).map_err(sqlite_err)?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(sqlite_err)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint_at)
            .map_err(sqlite_err)?;
        Ok(Direct {
            conn: Mutex::new(Some(conn)),
        })
    }

    /// The compare-and-swap `UPDATE` of [`super::Store::write_client_row`], committed on
    /// this thread. Never waits: `false` when the connection or SQLite's write lock was
    /// held, or the row's version had moved on; nothing was written then.
    pub(super) fn try_update_client(
        &self,
        c: &RowColumns,
        new: &ClientRow,
        expected_version: i64,
    ) -> Result<bool, StoreError> {
        let Ok(guard) = self.conn.try_lock() else {
            return Ok(false);
        };
        let Some(conn) = guard.as_ref() else {
            return Ok(false);
        };
        let done = conn.prepare_cached(UPDATE_CLIENT).and_then(|mut st| {
            st.execute(params![
                c.doc,
                c.sealed,
                c.is_global,
                c.is_first_party,
                c.app_type,
                new.updated_at,
                new.version,
                new.client_id,
                expected_version,
            ])
        });
        match done {
            Ok(rows) => Ok(rows == 1),
            Err(e) if is_busy(&e) => Ok(false),
            Err(e) => Err(sqlite_err(e)),
        }
    }

    /// Inserts a batch of log rows in one transaction, one prepared statement reused for
    /// each row. Blocking: the log writer runs it off the runtime's threads.
    pub(super) fn insert_logs(&self, rows: &[LogInsert]) -> Result<(), StoreError> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| StoreError::Database("the log connection was poisoned".into()))?;
        let conn = guard
            .as_mut()
            .ok_or_else(|| StoreError::Database("the store is closed".into()))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite_err)?;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO logs (log_id, date, type, client_id, doc)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(sqlite_err)?;
            for (id, date, kind, client_id, doc) in rows {
                st.execute(params![id, date, kind, client_id, doc])
                    .map_err(sqlite_err)?;
            }
        }
        tx.commit().map_err(sqlite_err)
    }

    /// Closes the connection; later changes are not tried and log batches answer "closed".
    pub(super) fn close(&self) {
        let conn = match self.conn.lock() {
            Ok(mut g) => g.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        drop(conn);
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn sqlite_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(e.to_string()),
        _ => StoreError::Database(e.to_string()),
    }
}
