//! SQLite's durable commit rate with Zeroth's settings (WAL, synchronous=FULL): one
//! connection updating one client-sized row, each statement its own transaction, through
//! sqlx (a hand-off to its connection thread per statement, as the pool's writes pay) and
//! through rusqlite on the calling thread (as the owner's direct connection commits), and
//! the time of one commit when the disk has sat idle before it, as a lone request's does.

use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Executor as _};

/// About the size of a stored client document.
const DOC_LEN: usize = 2_000;

const CREATE: &str =
    "CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL)";
const UPDATE: &str = "UPDATE t SET doc = ?1, version = version + 1 WHERE id = 'c' AND version = ?2";

fn fresh(dir: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(dir).join("ceiling.db");
    remove(&path);
    path
}

fn remove(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

pub async fn commits_per_sec(dir: &str, window: Duration) -> anyhow::Result<f64> {
    let path = fresh(dir);
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    conn.execute(CREATE).await?;
    let doc = "x".repeat(DOC_LEN);
    sqlx::query("INSERT INTO t VALUES ('c', ?, 1)")
        .bind(&doc)
        .execute(&mut conn)
        .await?;
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < window {
        sqlx::query(UPDATE)
            .bind(&doc)
            .bind(i64::try_from(n + 1)?)
            .execute(&mut conn)
            .await?;
        n += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    drop(conn);
    remove(&path);
    Ok(n as f64 / elapsed)
}

pub fn direct_commits_per_sec(dir: &str, window: Duration) -> anyhow::Result<f64> {
    let run = direct_loop(dir, window, Duration::ZERO)?;
    Ok(run.commits as f64 / run.wall.as_secs_f64())
}

/// The mean time of one durable commit (µs) when the thread sleeps `gap` before each, as
/// a lone PATCH's commit follows the rest of its round trip. The ceiling above commits back
/// to back, and on a virtual disk that is faster per commit than a lone request's can be.
pub fn paced_commit_micros(dir: &str, window: Duration, gap: Duration) -> anyhow::Result<f64> {
    let run = direct_loop(dir, window, gap)?;
    Ok(run.committing.as_secs_f64() * 1e6 / run.commits.max(1) as f64)
}

struct DirectRun {
    commits: u64,
    wall: Duration,
    committing: Duration,
}

/// Commits through rusqlite on this thread for `window`, sleeping `gap` before each.
fn direct_loop(dir: &str, window: Duration, gap: Duration) -> anyhow::Result<DirectRun> {
    let path = fresh(dir);
    let conn = rusqlite::Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute(CREATE, [])?;
    let doc = "x".repeat(DOC_LEN);
    conn.execute("INSERT INTO t VALUES ('c', ?1, 1)", [&doc])?;
    let mut update = conn.prepare(UPDATE)?;
    let start = Instant::now();
    let mut commits = 0u64;
    let mut committing = Duration::ZERO;
    while start.elapsed() < window {
        if !gap.is_zero() {
            std::thread::sleep(gap);
        }
        let commit = Instant::now();
        update.execute(rusqlite::params![doc, i64::try_from(commits + 1)?])?;
        committing += commit.elapsed();
        commits += 1;
    }
    let wall = start.elapsed();
    drop(update);
    drop(conn);
    remove(&path);
    Ok(DirectRun {
        commits,
        wall,
        committing,
    })
}
