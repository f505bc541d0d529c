//! Tenant signing keys: private keys sealed at rest, rotations written whole.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row as _;

use super::{db_err, KeyState, SecretBytes, SigningKeyRow, Store, StoreError};

pub(super) const COLS: &str = "kid, private_key_sealed, cert_pem, pkcs7_pem, state, created_at, \
                    current_since, current_until, revoked_at";

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Current => "current",
            KeyState::Previous => "previous",
            KeyState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<KeyState> {
        Some(match s {
            "next" => KeyState::Next,
            "current" => KeyState::Current,
            "previous" => KeyState::Previous,
            "revoked" => KeyState::Revoked,
            _ => return None,
        })
    }
}

impl Store {
    pub(super) fn key_from(&self, r: &AnyRow) -> Result<SigningKeyRow, StoreError> {
        let state: String = r.try_get("state").map_err(db_err)?;
        let sealed: String = r.try_get("private_key_sealed").map_err(db_err)?;
        Ok(SigningKeyRow {
            kid: r.try_get("kid").map_err(db_err)?,
            private_pkcs8: SecretBytes(self.key().open(&sealed)?),
            cert_pem: r.try_get("cert_pem").map_err(db_err)?,
            pkcs7_pem: r.try_get("pkcs7_pem").map_err(db_err)?,
            state: KeyState::parse(&state)
                .ok_or_else(|| StoreError::Database(format!("unknown key state {state:?}")))?,
            created_at: r.try_get("created_at").map_err(db_err)?,
            current_since: r.try_get("current_since").map_err(db_err)?,
            current_until: r.try_get("current_until").map_err(db_err)?,
            revoked_at: r.try_get("revoked_at").map_err(db_err)?,
        })
    }

    /// Every key, oldest first.
    pub async fn list_signing_keys(&self) -> Result<Vec<SigningKeyRow>, StoreError> {
        let sql = format!("SELECT {COLS} FROM signing_keys ORDER BY created_at, kid");
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|r| self.key_from(r)).collect()
    }

    /// `Conflict` when the kid exists.
    pub async fn insert_signing_key(&self, row: &SigningKeyRow) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        self.insert_key_in(&mut tx, row).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(super) async fn insert_key_in(
        &self,
        conn: &mut AnyConnection,
        row: &SigningKeyRow,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO signing_keys (kid, private_key_sealed, cert_pem, pkcs7_pem, state,
                created_at, current_since, current_until, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.kid.clone())
        .bind(self.key().seal(&row.private_pkcs8.0)?)
        .bind(row.cert_pem.clone())
        .bind(row.pkcs7_pem.clone())
        .bind(row.state.as_str())
        .bind(row.created_at)
        .bind(row.current_since)
        .bind(row.current_until)
        .bind(row.revoked_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// Writes the new states of several keys (and inserts `new_key`) in one
    /// transaction, so that a rotation is seen whole or not at all. The private key
    /// of a changed key is never rewritten; a changed key that does not exist fails
    /// the whole rotation.
    pub async fn save_signing_keys(
        &self,
        changed: &[SigningKeyRow],
        new_key: Option<&SigningKeyRow>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for k in changed {
            let done = sqlx::query(
                "UPDATE signing_keys SET cert_pem = $1, pkcs7_pem = $2, state = $3,
                    current_since = $4, current_until = $5, revoked_at = $6
                 WHERE kid = $7",
            )
            .bind(k.cert_pem.clone())
            .bind(k.pkcs7_pem.clone())
            .bind(k.state.as_str())
            .bind(k.current_since)
            .bind(k.current_until)
            .bind(k.revoked_at)
            .bind(k.kid.clone())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Database(format!(
                    "signing key {} does not exist",
                    k.kid
                )));
            }
        }
        if let Some(k) = new_key {
            self.insert_key_in(&mut tx, k).await?;
        }
        tx.commit().await.map_err(db_err)
    }
}
