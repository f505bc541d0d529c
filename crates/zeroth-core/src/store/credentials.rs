//! Client credentials (public keys for private_key_jwt …) and the assertion replay guard.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row as _;

use super::{db_err, from_json, to_json, ClientRow, CredentialRow, Store, StoreError};

pub(super) const COLS: &str = "id, client_id, doc, created_at";

pub(super) fn credential_from(r: &AnyRow) -> Result<CredentialRow, StoreError> {
    Ok(CredentialRow {
        id: r.try_get("id").map_err(db_err)?,
        client_id: r.try_get("client_id").map_err(db_err)?,
        doc: from_json(&r.try_get::<String, _>("doc").map_err(db_err)?)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
    })
}

impl Store {
    /// A new client and the credentials it was created with, in one transaction: both
    /// or neither. `Conflict` when the client id exists.
    pub async fn insert_client_with_credentials(
        &self,
        client: &ClientRow,
        credentials: &[CredentialRow],
    ) -> Result<(), StoreError> {
        let gate = self.write_gate().await;
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        self.insert_client_in(&mut tx, client).await?;
        for c in credentials {
            insert_credential_in(&mut tx, c).await?;
        }
        tx.commit().await.map_err(db_err)?;
        drop(gate);
        self.wrote();
        Ok(())
    }

    /// `Conflict` when the id exists or the client does not.
    pub async fn insert_credential(&self, row: &CredentialRow) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        insert_credential_in(&mut conn, row).await
    }
}

pub(super) async fn insert_credential_in(
    conn: &mut AnyConnection,
    row: &CredentialRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO client_credentials (id, client_id, doc, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(row.id.clone())
    .bind(row.client_id.clone())
    .bind(to_json(&row.doc)?)
    .bind(row.created_at)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// The client's credentials in creation order.
    pub async fn list_credentials(
        &self,
        client_id: &str,
    ) -> Result<Vec<CredentialRow>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM client_credentials WHERE client_id = $1 ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql)
            .bind(client_id.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(credential_from).collect()
    }

    /// One credential of one client.
    pub async fn get_credential(
        &self,
        client_id: &str,
        id: &str,
    ) -> Result<Option<CredentialRow>, StoreError> {
        let sql = format!("SELECT {COLS} FROM client_credentials WHERE client_id = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(client_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(credential_from).transpose()
    }

    /// Replaces the document of (`row.client_id`, `row.id`); `Ok(false)` when absent.
    pub async fn update_credential(&self, row: &CredentialRow) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE client_credentials SET doc = $1 WHERE client_id = $2 AND id = $3")
                .bind(to_json(&row.doc)?)
                .bind(row.client_id.clone())
                .bind(row.id.clone())
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn delete_credential(&self, client_id: &str, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM client_credentials WHERE client_id = $1 AND id = $2")
            .bind(client_id.to_string())
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a `client_assertion` `jti`; `Ok(false)` when it was already used
    /// (replay). `exp` is the assertion's JWT `exp` in Unix **seconds**; entries past
    /// it are purged (an expired assertion is refused before it gets here).
    pub async fn consume_jti(
        &self,
        client_id: &str,
        jti: &str,
        exp: i64,
    ) -> Result<bool, StoreError> {
        sqlx::query("DELETE FROM used_jtis WHERE exp < $1")
            .bind(crate::now_ms() / 1000)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        let done = sqlx::query(
            "INSERT INTO used_jtis (client_id, jti, exp) VALUES ($1, $2, $3)
             ON CONFLICT (client_id, jti) DO NOTHING",
        )
        .bind(client_id.to_string())
        .bind(jti.to_string())
        .bind(exp)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }
}
