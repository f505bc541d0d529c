//! SQLite's durable commit rate with Zeroth's settings (WAL, synchronous=FULL): one
//! connection updating one client-sized row, each statement its own transaction.

use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Executor as _};

/// About the size of a stored client document.
const DOC_LEN: usize = 2_000;

pub async fn commits_per_sec(dir: &str, window: Duration) -> anyhow::Result<f64> {
    let path = std::path::Path::new(dir).join("ceiling.db");
    let _ = std::fs::remove_file(&path);
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    conn.execute(
        "CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL)",
    )
    .await?;
    let doc = "x".repeat(DOC_LEN);
    sqlx::query("INSERT INTO t VALUES ('c', ?, 1)")
        .bind(&doc)
        .execute(&mut conn)
        .await?;
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < window {
        sqlx::query("UPDATE t SET doc = ?, version = version + 1 WHERE id = 'c' AND version = ?")
            .bind(&doc)
            .bind(i64::try_from(n + 1)?)
            .execute(&mut conn)
            .await?;
        n += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(n as f64 / elapsed)
}
