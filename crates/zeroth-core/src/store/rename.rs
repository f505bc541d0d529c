//! Moving an API to a new identifier, with every grant that names it, in one step.

use serde_json::Value;
use sqlx::Row as _;

use super::{db_err, from_json, to_json, Store, StoreError};

impl Store {
    /// Gives the resource server `id` the identifier `new_identifier` and moves its
    /// grants along, in one transaction. `Ok(false)` when there is no such API.
    pub async fn change_identifier(
        &self,
        id: &str,
        new_identifier: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let row = sqlx::query("SELECT identifier, doc FROM resource_servers WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(false) };
        let old: String = row.try_get("identifier").map_err(db_err)?;
        let mut doc = from_json(&row.try_get::<String, _>("doc").map_err(db_err)?)?;
        doc.insert(
            "identifier".into(),
            Value::String(new_identifier.to_string()),
        );
        sqlx::query(
            "UPDATE resource_servers SET identifier = $1, doc = $2, updated_at = $3,
                version = version + 1 WHERE id = $4",
        )
        .bind(new_identifier.to_string())
        .bind(to_json(&doc)?)
        .bind(crate::now_ms())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("UPDATE client_grants SET audience = $1 WHERE audience = $2")
            .bind(new_identifier.to_string())
            .bind(old)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.wrote();
        Ok(true)
    }
}
