//! Forward-only schema migrations, embedded in the binary and applied in order.
//!
//! Our own `schema_migrations` table rather than sqlx's migrator: one code path for
//! both engines through `Any`, and each migration commits together with its record.

use sqlx::AnyPool;
use sqlx::Row as _;

use super::{db_err, Engine, StoreError};

/// (version, name, SQL). Append only; never edit a released migration.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../../../migrations/0001_initial.sql"),
    ),
    (
        2,
        "logs",
        include_str!("../../../../migrations/0002_logs.sql"),
    ),
    (
        3,
        "dashboard_sessions",
        include_str!("../../../../migrations/0003_dashboard_sessions.sql"),
    ),
];

/// Arbitrary but fixed: every Zeroth node takes the same PostgreSQL advisory lock.
const PG_LOCK_ID: i64 = 0x5a65_726f_7468;

pub(super) async fn run(pool: &AnyPool, engine: Engine) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await.map_err(db_err)?;
    if engine == Engine::Postgres {
        // Session-level lock on this connection: a second node starting at the same time
        // waits here, then finds the migrations already recorded. The COUNT wrapper gives
        // the Any driver a column type it can decode (pg_advisory_lock returns void).
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_lock($1)) AS l")
            .bind(PG_LOCK_ID)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    let result = apply_pending(&mut conn).await;
    if engine == Engine::Postgres {
        let unlocked = sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_unlock($1)) AS l")
            .bind(PG_LOCK_ID)
            .execute(&mut *conn)
            .await
            .map_err(db_err);
        result?;
        unlocked?;
        return Ok(());
    }
    result
}

async fn apply_pending(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    let applied: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| r.try_get("v"))
        .map_err(db_err)?;
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > applied) {
        let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db_err)?;
        // Recording first takes the write lock; if another process (sharing a SQLite
        // file) applied this version meanwhile, the primary key says so and we skip it.
        let recorded = sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(*version)
        .bind(*name)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await
        .map_err(db_err);
        match recorded {
            Err(StoreError::Conflict(_)) => continue,
            other => other?,
        };
        for stmt in statements(sql) {
            sqlx::query(&stmt).execute(&mut *tx).await.map_err(|e| {
                StoreError::Database(format!("migration {version} ({name}) failed: {e}"))
            })?;
        }
        tx.commit().await.map_err(db_err)?;
        tracing::info!(version, name, "applied database migration");
    }
    Ok(())
}

/// Splits a migration into statements: `--` comment lines dropped, then split at `;`
/// (our migrations keep semicolons out of literals).
fn statements(sql: &str) -> Vec<String> {
    let body: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    body.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_split_into_statements_and_are_ordered() {
        let s =
            statements("-- a; comment\nCREATE TABLE a (x TEXT);\n\n CREATE INDEX i ON a (x);\n");
        assert_eq!(
            s,
            vec!["CREATE TABLE a (x TEXT)", "CREATE INDEX i ON a (x)"]
        );
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(statements(MIGRATIONS[0].2).len() > 5);
    }
}
