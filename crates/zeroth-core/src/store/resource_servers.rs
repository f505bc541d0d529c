//! APIs (resource servers): CRUD by id or identifier, compare-and-swap updates, lists.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row as _;

use super::paging::{Filter, Listing};
use super::{
    backoff, db_err, from_json, gave_up, to_json, PageOut, PageReq, ResourceServerRow, Store,
    StoreError, CAS_TRIES,
};

pub(super) const COLS: &str =
    "id, identifier, doc, signing_secret_sealed, is_system, created_at, version";

impl Store {
    pub(super) fn resource_server_from(&self, r: &AnyRow) -> Result<ResourceServerRow, StoreError> {
        Ok(ResourceServerRow {
            id: r.try_get("id").map_err(db_err)?,
            identifier: r.try_get("identifier").map_err(db_err)?,
            doc: from_json(&r.try_get::<String, _>("doc").map_err(db_err)?)?,
            signing_secret: self.open_opt(
                r.try_get::<Option<String>, _>("signing_secret_sealed")
                    .map_err(db_err)?
                    .as_deref(),
            )?,
            is_system: r.try_get::<i64, _>("is_system").map_err(db_err)? != 0,
            created_at: r.try_get("created_at").map_err(db_err)?,
            version: r.try_get("version").map_err(db_err)?,
        })
    }

    /// `Conflict` when the id or identifier exists.
    pub async fn insert_resource_server(&self, row: &ResourceServerRow) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        self.insert_resource_server_in(&mut conn, row).await?;
        self.wrote();
        Ok(())
    }

    pub(super) async fn insert_resource_server_in(
        &self,
        conn: &mut AnyConnection,
        row: &ResourceServerRow,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO resource_servers (id, identifier, doc, signing_secret_sealed, is_system,
                created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.id.clone())
        .bind(row.identifier.clone())
        .bind(to_json(&row.doc)?)
        .bind(self.seal_opt(row.signing_secret.as_ref())?)
        .bind(i64::from(row.is_system))
        .bind(row.created_at)
        .bind(row.created_at)
        .bind(row.version)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// By `id` or, failing that, by `identifier` (Auth0 accepts both in the path).
    pub async fn get_resource_server(
        &self,
        id_or_identifier: &str,
    ) -> Result<Option<ResourceServerRow>, StoreError> {
        for col in ["id", "identifier"] {
            let sql = format!("SELECT {COLS} FROM resource_servers WHERE {col} = $1");
            let row = sqlx::query(&sql)
                .bind(id_or_identifier.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
            if let Some(r) = row {
                return self.resource_server_from(&r).map(Some);
            }
        }
        Ok(None)
    }

    /// Compare-and-swap update like `update_client`. `id`, `identifier` and `created_at`
    /// cannot change (Auth0's identifier is immutable and grants refer to it).
    pub async fn update_resource_server<F, E>(
        &self,
        id: &str,
        mut f: F,
    ) -> Result<Option<ResourceServerRow>, E>
    where
        F: FnMut(&ResourceServerRow) -> Result<ResourceServerRow, E>,
        E: From<StoreError>,
    {
        for attempt in 0..CAS_TRIES {
            let Some(cur) = self.get_resource_server(id).await? else {
                return Ok(None);
            };
            let mut new = f(&cur)?;
            new.id = cur.id.clone();
            new.identifier = cur.identifier.clone();
            new.created_at = cur.created_at;
            new.version = cur.version + 1;
            let done = sqlx::query(
                "UPDATE resource_servers SET doc = $1, signing_secret_sealed = $2, is_system = $3,
                    updated_at = $4, version = $5
                 WHERE id = $6 AND version = $7",
            )
            .bind(to_json(&new.doc)?)
            .bind(self.seal_opt(new.signing_secret.as_ref())?)
            .bind(i64::from(new.is_system))
            .bind(crate::now_ms())
            .bind(new.version)
            .bind(cur.id.clone())
            .bind(cur.version)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
            if done.rows_affected() == 1 {
                self.wrote();
                return Ok(Some(new));
            }
            backoff(attempt).await;
        }
        Err(gave_up("the resource server").into())
    }

    /// Deletes it and every grant whose audience is its identifier.
    pub async fn delete_resource_server(&self, id: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Writing first (rather than reading the identifier) makes SQLite take its write
        // lock at once, where busy_timeout applies, instead of failing a lock upgrade.
        sqlx::query(
            "DELETE FROM client_grants WHERE audience IN
                (SELECT identifier FROM resource_servers WHERE id = $1)",
        )
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let gone = sqlx::query("DELETE FROM resource_servers WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.wrote();
        Ok(gone.rows_affected() > 0)
    }

    pub async fn list_resource_servers(
        &self,
        page: &PageReq,
        with_total: bool,
    ) -> Result<PageOut<ResourceServerRow>, StoreError> {
        let what = Listing {
            table: "resource_servers",
            cols: COLS,
            id_col: "id",
        };
        self.fetch_page(what, Filter::default(), page, with_total)
            .await?
            .read(|r| self.resource_server_from(r))
    }
}
