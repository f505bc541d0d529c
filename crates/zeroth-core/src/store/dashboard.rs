//! Dashboard sessions: rows keyed by the SHA-256 of the cookie token, shared by all nodes.

use sqlx::Row as _;

use super::{db_err, Store, StoreError};

/// One signed-in dashboard user. The token itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSessionRow {
    pub token_hash: String,
    pub username: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Store {
    pub async fn insert_dashboard_session(
        &self,
        row: &DashboardSessionRow,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO dashboard_sessions (token_hash, username, csrf_token, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.token_hash.clone())
        .bind(row.username.clone())
        .bind(row.csrf_token.clone())
        .bind(row.created_at)
        .bind(row.last_seen_at)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    pub async fn get_dashboard_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<DashboardSessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT token_hash, username, csrf_token, created_at, last_seen_at
             FROM dashboard_sessions WHERE token_hash = $1",
        )
        .bind(token_hash.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| {
            Ok(DashboardSessionRow {
                token_hash: r.try_get("token_hash")?,
                username: r.try_get("username")?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
            })
        })
        .transpose()
        .map_err(db_err)
    }

    pub async fn touch_dashboard_session(
        &self,
        token_hash: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE dashboard_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn delete_dashboard_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Ends every session (after a password change) and returns how many there were.
    pub async fn delete_all_dashboard_sessions(&self) -> Result<u64, StoreError> {
        sqlx::query("DELETE FROM dashboard_sessions")
            .execute(&self.pool)
            .await
            .map(|r| r.rows_affected())
            .map_err(db_err)
    }

    /// Drops sessions idle since before `idle_before` or created before `created_before`.
    pub async fn purge_dashboard_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, StoreError> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&self.pool)
            .await
            .map(|r| r.rows_affected())
            .map_err(db_err)
    }
}
