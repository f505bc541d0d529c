//! Connecting to the database a URL names, with each engine's durability settings.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool};
use sqlx::{Connection as _, Executor as _};

use super::{Engine, StoreError};

/// Long enough to ride out a burst of concurrent writers, short enough to surface a stuck lock.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;
/// The same wait, for the direct connections (store/direct.rs).
pub(super) const SQLITE_BUSY_TIMEOUT: Duration =
    Duration::from_millis(SQLITE_BUSY_TIMEOUT_MS as u64);

pub(super) fn engine_of(url: &str) -> Result<Engine, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(StoreError::InvalidInput(
            "the database URL must start with sqlite:// or postgres://".into(),
        ))
    }
}

pub(super) async fn connect(url: &str) -> Result<(AnyPool, Engine), StoreError> {
    sqlx::any::install_default_drivers();
    let engine = engine_of(url)?;
    let pool = match engine {
        Engine::Sqlite => connect_sqlite(url).await?,
        Engine::Postgres => AnyPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await
            .map_err(|e| StoreError::Database(format!("cannot connect to PostgreSQL: {e}")))?,
    };
    Ok((pool, engine))
}

async fn connect_sqlite(url: &str) -> Result<AnyPool, StoreError> {
    let (path, query) = split_sqlite_url(url);
    let memory = path == ":memory:" || query.contains("mode=memory");
    if !memory {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Database(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
    }
    if !memory {
        make_private(std::path::Path::new(path))?;
    }
    let url = if query.contains("mode=") || memory {
        url.to_string()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    };
    if !memory {
        set_wal(&url).await?;
    }
    let mut opts = AnyPoolOptions::new().after_connect(|conn, _meta| {
        Box::pin(async move {
            conn.execute("PRAGMA foreign_keys = ON").await?;
            conn.execute("PRAGMA synchronous = FULL").await?;
            conn.execute(format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str())
                .await?;
            Ok(())
        })
    });
    opts = if memory {
        // Every connection to :memory: is a new empty database: keep exactly one alive.
        opts.max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        // SQLite has one writer at a time, and the serving process answers most client
        // reads from memory: four connections (each its own worker thread, with its own
        // allocator arena) serve as well as eight for less memory under load.
        opts.max_connections(4)
    };
    // A local file does not drop connections; the ping sqlx sends before handing one out
    // would be a second round trip to the connection's worker thread on every query.
    opts = opts.test_before_acquire(false);
    opts.connect(&url)
        .await
        .map_err(|e| StoreError::Database(format!("cannot open SQLite database: {e}")))
}

/// Switches the file to WAL once; the mode sticks to the file, so pooled connections
/// need not repeat it.
///
/// The switch needs an exclusive lock that SQLite's busy handler does not wait for, so
/// nodes opening one new file together would fail with "database is locked": we wait
/// ourselves, with the same bound as busy_timeout.
async fn set_wal(url: &str) -> Result<(), StoreError> {
    let deadline =
        std::time::Instant::now() + Duration::from_millis(u64::from(SQLITE_BUSY_TIMEOUT_MS));
    let mut pause = Duration::from_millis(2);
    loop {
        let attempt = async {
            let mut conn = AnyConnection::connect(url).await?;
            let set = conn.execute("PRAGMA journal_mode = WAL").await.map(|_| ());
            let closed = conn.close().await;
            set.and(closed)
        }
        .await;
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            Err(e) => {
                return Err(StoreError::Database(format!(
                    "cannot open SQLite database: {e}"
                )))
            }
        }
    }
}

/// SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        _ => false,
    }
}

/// The database holds sealed secrets and everything else about the tenant: owner-only.
/// Creating the file 0600 before SQLite opens it matters because SQLite gives the `-wal`
/// and `-shm` files the database file's mode; files an older version made 0644 are
/// tightened on the next open.
fn make_private(db: &std::path::Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        let fail = |e: std::io::Error, p: &std::path::Path| {
            StoreError::Database(format!("cannot make {} private: {e}", p.display()))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(db)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail(e, db)),
        }
        let mut files = vec![db.to_path_buf()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            files.push(name.into());
        }
        for f in files {
            match std::fs::metadata(&f) {
                Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600))
                        .map_err(|e| fail(e, &f))?;
                }
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}

/// The file a SQLite URL names; `None` for PostgreSQL and in-memory databases.
pub(super) fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if engine_of(url).ok()? != Engine::Sqlite {
        return None;
    }
    let (path, query) = split_sqlite_url(url);
    let memory = path == ":memory:" || query.contains("mode=memory");
    (!memory).then(|| std::path::PathBuf::from(path))
}

/// `sqlite://a/b.db?x=y` -> (`a/b.db`, `x=y`).
fn split_sqlite_url(url: &str) -> (&str, &str) {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    rest.split_once('?').unwrap_or((rest, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_and_paths() {
        assert_eq!(engine_of("sqlite://x.db").unwrap(), Engine::Sqlite);
        assert_eq!(engine_of("postgres://u@h/db").unwrap(), Engine::Postgres);
        assert_eq!(engine_of("postgresql://u@h/db").unwrap(), Engine::Postgres);
        assert!(engine_of("mysql://x").is_err());
        assert_eq!(
            split_sqlite_url("sqlite://a/b.db?mode=rw"),
            ("a/b.db", "mode=rw")
        );
        assert_eq!(split_sqlite_url("sqlite:///tmp/z.db"), ("/tmp/z.db", ""));
        assert_eq!(split_sqlite_url("sqlite::memory:"), (":memory:", ""));
    }
}
