//! Tenant settings, the master-key canary, and re-sealing everything under a new key.

use sqlx::Row as _;

use super::{db_err, Store, StoreError};
use crate::crypto::seal::MasterKey;

/// Settings whose names start with this are the store's own.
pub(super) const RESERVED: &str = "__zeroth";
pub(super) const CANARY: &str = "__zeroth_master_key_canary";
const CANARY_PLAIN: &[u8] = b"zeroth master key canary v1";

/// Every sealed column: (table, key column, sealed column).
const SEALED: &[(&str, &str, &str)] = &[
    ("clients", "client_id", "client_secret_sealed"),
    ("resource_servers", "id", "signing_secret_sealed"),
    ("signing_keys", "kid", "private_key_sealed"),
];

fn mismatch() -> StoreError {
    StoreError::Seal(
        "the master key does not match this database: it cannot open the canary sealed when the \
         database was first opened. Start with the master key this database was created with \
         (ZEROTH_MASTER_KEY, ZEROTH_MASTER_KEY_FILE or <data_dir>/master.key)"
            .into(),
    )
}

impl Store {
    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(key.to_string())
            .fetch_optional(&self.pool)
            .await
            .and_then(|r| r.map(|r| r.try_get("value")).transpose())
            .map_err(db_err)
    }

    /// Upserts a setting. Names starting with `__zeroth` are reserved for the store.
    pub async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if key.starts_with(RESERVED) {
            return Err(StoreError::InvalidInput(format!(
                "setting names starting with {RESERVED} are reserved"
            )));
        }
        self.upsert_setting(key, value).await
    }

    async fn upsert_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key.to_string())
        .bind(value.to_string())
        .bind(crate::now_ms())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// Every setting but the store's own, for export.
    pub(super) async fn user_settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT name, value FROM settings ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut out = Vec::new();
        for r in rows {
            let name: String = r.try_get("name").map_err(db_err)?;
            if !name.starts_with(RESERVED) {
                out.push((name, r.try_get("value").map_err(db_err)?));
            }
        }
        Ok(out)
    }

    /// Seals a canary on first open and opens it on every later one, so a wrong master
    /// key stops start-up instead of failing later on the first secret it touches.
    pub(super) async fn check_canary(&self) -> Result<(), StoreError> {
        // The common case, a database that has its canary, is one read: no write (and
        // fsync) on every start.
        if let Some(sealed) = self.get_setting(CANARY).await? {
            return match self.key().open(&sealed) {
                Ok(plain) if plain == CANARY_PLAIN => Ok(()),
                _ => Err(mismatch()),
            };
        }
        // DO NOTHING: when two nodes open a new database at once, the first canary wins
        // and both then verify that one.
        sqlx::query(
            "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(CANARY)
        .bind(self.key().seal(CANARY_PLAIN)?)
        .bind(crate::now_ms())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        let sealed = self.get_setting(CANARY).await?.ok_or_else(mismatch)?;
        match self.key().open(&sealed) {
            Ok(plain) if plain == CANARY_PLAIN => Ok(()),
            _ => Err(mismatch()),
        }
    }

    /// Re-seals every sealed column and the canary under `new`, in one transaction,
    /// then uses `new` from this handle (and its clones) on.
    ///
    /// An offline operation: other processes still holding the old key would seal new
    /// secrets under it. Stop other nodes first, restart them with the new key after.
    pub async fn rotate_master_key(&self, new: MasterKey) -> Result<(), StoreError> {
        let old = self.key();
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The canary goes first: a write up front takes SQLite's write lock while
        // busy_timeout can still wait for it.
        sqlx::query("UPDATE settings SET value = $1, updated_at = $2 WHERE name = $3")
            .bind(new.seal(CANARY_PLAIN)?)
            .bind(crate::now_ms())
            .bind(CANARY)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for (table, id_col, col) in SEALED {
            let sql =
                format!("SELECT {id_col} AS k, {col} AS s FROM {table} WHERE {col} IS NOT NULL");
            let rows = sqlx::query(&sql)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            let update = format!("UPDATE {table} SET {col} = $1 WHERE {id_col} = $2");
            for r in rows {
                let id: String = r.try_get("k").map_err(db_err)?;
                let sealed: String = r.try_get("s").map_err(db_err)?;
                let resealed = new.seal(&old.open(&sealed)?)?;
                sqlx::query(&update)
                    .bind(resealed)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        tx.commit().await.map_err(db_err)?;
        match self.master.write() {
            Ok(mut k) => *k = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
        // Copies held in memory carry secrets sealed under the old key.
        self.wrote();
        tracing::info!("re-sealed every secret under the new master key");
        Ok(())
    }
}
