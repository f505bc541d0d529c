//! Client grants: one per (client, audience), compare-and-swap updates, filtered lists.

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row as _;

use super::paging::{Arg, Filter, Listing};
use super::{
    backoff, db_err, from_json, gave_up, to_json, ClientGrantFilter, ClientGrantRow, PageOut,
    PageReq, Store, StoreError, CAS_TRIES,
};

pub(super) const COLS: &str = "id, client_id, audience, doc, created_at, version";

/// The filter columns, copied out of the document; an absent `subject_type` is Auth0's
/// default `client`.
fn derived(doc: &Map<String, Value>) -> (i64, String) {
    let any_org = doc
        .get("allow_any_organization")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let subject = doc
        .get("subject_type")
        .and_then(Value::as_str)
        .unwrap_or("client");
    (i64::from(any_org), subject.to_string())
}

impl Store {
    pub(super) fn grant_from(r: &AnyRow) -> Result<ClientGrantRow, StoreError> {
        Ok(ClientGrantRow {
            id: r.try_get("id").map_err(db_err)?,
            client_id: r.try_get("client_id").map_err(db_err)?,
            audience: r.try_get("audience").map_err(db_err)?,
            doc: from_json(&r.try_get::<String, _>("doc").map_err(db_err)?)?,
            created_at: r.try_get("created_at").map_err(db_err)?,
            version: r.try_get("version").map_err(db_err)?,
        })
    }

    /// `Conflict` when a grant for the same (client_id, audience) exists, or when the
    /// client does not exist.
    pub async fn insert_client_grant(&self, row: &ClientGrantRow) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        Self::insert_client_grant_in(&mut conn, row).await?;
        self.wrote();
        Ok(())
    }

    pub(super) async fn insert_client_grant_in(
        conn: &mut AnyConnection,
        row: &ClientGrantRow,
    ) -> Result<(), StoreError> {
        let (any_org, subject) = derived(&row.doc);
        sqlx::query(
            "INSERT INTO client_grants (id, client_id, audience, doc, allow_any_organization,
                subject_type, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.id.clone())
        .bind(row.client_id.clone())
        .bind(row.audience.clone())
        .bind(to_json(&row.doc)?)
        .bind(any_org)
        .bind(subject)
        .bind(row.created_at)
        .bind(row.created_at)
        .bind(row.version)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    pub async fn get_client_grant(&self, id: &str) -> Result<Option<ClientGrantRow>, StoreError> {
        let sql = format!("SELECT {COLS} FROM client_grants WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(Self::grant_from).transpose()
    }

    pub async fn find_client_grant(
        &self,
        client_id: &str,
        audience: &str,
    ) -> Result<Option<ClientGrantRow>, StoreError> {
        let sql =
            format!("SELECT {COLS} FROM client_grants WHERE client_id = $1 AND audience = $2");
        let row = sqlx::query(&sql)
            .bind(client_id.to_string())
            .bind(audience.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(Self::grant_from).transpose()
    }

    /// Compare-and-swap update like `update_client`; `id`, `client_id`, `audience` and
    /// `created_at` cannot change.
    pub async fn update_client_grant<F, E>(
        &self,
        id: &str,
        mut f: F,
    ) -> Result<Option<ClientGrantRow>, E>
    where
        F: FnMut(&ClientGrantRow) -> Result<ClientGrantRow, E>,
        E: From<StoreError>,
    {
        for attempt in 0..CAS_TRIES {
            let Some(cur) = self.get_client_grant(id).await? else {
                return Ok(None);
            };
            let mut new = f(&cur)?;
            new.id = cur.id.clone();
            new.client_id = cur.client_id.clone();
            new.audience = cur.audience.clone();
            new.created_at = cur.created_at;
            new.version = cur.version + 1;
            let (any_org, subject) = derived(&new.doc);
            let done = sqlx::query(
                "UPDATE client_grants SET doc = $1, allow_any_organization = $2, subject_type = $3,
                    updated_at = $4, version = $5
                 WHERE id = $6 AND version = $7",
            )
            .bind(to_json(&new.doc)?)
            .bind(any_org)
            .bind(subject)
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
        Err(gave_up("the client grant").into())
    }

    pub async fn delete_client_grant(&self, id: &str) -> Result<bool, StoreError> {
        let gone = sqlx::query("DELETE FROM client_grants WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        self.wrote();
        Ok(gone.rows_affected() > 0)
    }

    /// Grants in creation order.
    pub async fn list_client_grants(
        &self,
        filter: &ClientGrantFilter,
        page: &PageReq,
        with_total: bool,
    ) -> Result<PageOut<ClientGrantRow>, StoreError> {
        let mut w = Filter::default();
        if let Some(c) = &filter.client_id {
            w.eq("client_id", Arg::Text(c.clone()));
        }
        if filter.without_client {
            w.is_null("client_id");
        }
        if let Some(a) = &filter.audience {
            w.eq("audience", Arg::Text(a.clone()));
        }
        if let Some(b) = filter.allow_any_organization {
            w.eq("allow_any_organization", Arg::Int(i64::from(b)));
        }
        if let Some(s) = &filter.subject_type {
            w.eq("subject_type", Arg::Text(s.clone()));
        }
        let what = Listing {
            table: "client_grants",
            cols: COLS,
            id_col: "id",
        };
        self.fetch_page(what, w, page, with_total)
            .await?
            .read(Self::grant_from)
    }
}
