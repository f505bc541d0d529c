//! Applications (clients): CRUD, compare-and-swap updates, cascading delete, filtered lists.

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row as _;

use super::paging::{Arg, Filter, Listing, RawPage};
use super::{
    backoff, db_err, gave_up, to_json, ClientFilter, ClientRow, PageOut, PageReq, Store,
    StoreError, StoredClient, CAS_TRIES,
};

pub(super) const COLS: &str =
    "client_id, doc, client_secret_sealed, created_at, updated_at, version";
/// For readers who will not show the secret: it is neither fetched nor unsealed.
const COLS_NO_SECRET: &str = "client_id, doc, created_at, updated_at, version";

/// The list filters' columns, copied out of the document. Absent flags take Auth0's
/// create defaults (`global` false, `is_first_party` true).
pub(super) fn derived(doc: &Map<String, Value>) -> (i64, i64, Option<String>) {
    let flag =
        |k: &str, default: bool| i64::from(doc.get(k).and_then(Value::as_bool).unwrap_or(default));
    let app_type = doc
        .get("app_type")
        .and_then(Value::as_str)
        .map(str::to_string);
    (
        flag("global", false),
        flag("is_first_party", true),
        app_type,
    )
}

impl Store {
    pub(super) fn client_from(&self, r: &AnyRow) -> Result<ClientRow, StoreError> {
        self.client_from_with(r, true)
    }

    /// `secret: false` for rows selected with [`COLS_NO_SECRET`].
    fn client_from_with(&self, r: &AnyRow, secret: bool) -> Result<ClientRow, StoreError> {
        self.stored_from(r, secret)?.parse()
    }

    pub(super) fn stored_from(&self, r: &AnyRow, secret: bool) -> Result<StoredClient, StoreError> {
        let client_secret = if secret {
            self.open_opt(
                r.try_get::<Option<String>, _>("client_secret_sealed")
                    .map_err(db_err)?
                    .as_deref(),
            )?
        } else {
            None
        };
        Ok(StoredClient {
            client_id: r.try_get("client_id").map_err(db_err)?,
            doc: r.try_get::<String, _>("doc").map_err(db_err)?.into(),
            client_secret,
            created_at: r.try_get("created_at").map_err(db_err)?,
            updated_at: r.try_get("updated_at").map_err(db_err)?,
            version: r.try_get("version").map_err(db_err)?,
        })
    }

    /// `Conflict` when the id exists.
    pub async fn insert_client(&self, row: &ClientRow) -> Result<(), StoreError> {
        let gate = self.write_gate().await;
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        self.insert_client_in(&mut conn, row).await?;
        drop(gate);
        self.wrote_clients([row.client_id.as_str()]);
        Ok(())
    }

    pub(super) async fn insert_client_in(
        &self,
        conn: &mut AnyConnection,
        row: &ClientRow,
    ) -> Result<(), StoreError> {
        let (is_global, first_party, app_type) = derived(&row.doc);
        sqlx::query(
            "INSERT INTO clients (client_id, doc, client_secret_sealed, is_global, is_first_party,
                app_type, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.client_id.clone())
        .bind(to_json(&row.doc)?)
        .bind(self.seal_opt(row.client_secret.as_ref())?)
        .bind(is_global)
        .bind(first_party)
        .bind(app_type)
        .bind(row.created_at)
        .bind(row.updated_at)
        .bind(row.version)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    pub async fn get_client(&self, client_id: &str) -> Result<Option<ClientRow>, StoreError> {
        self.get_client_with(client_id, true).await
    }

    /// [`Store::get_client`]; with `secret: false` the row's `client_secret` is `None`
    /// (not read, not unsealed), for responses that will not show it.
    pub async fn get_client_with(
        &self,
        client_id: &str,
        secret: bool,
    ) -> Result<Option<ClientRow>, StoreError> {
        self.get_stored_client(client_id, secret)
            .await?
            .map(StoredClient::parse)
            .transpose()
    }

    /// [`Store::get_client_with`] with the document left as stored text.
    pub async fn get_stored_client(
        &self,
        client_id: &str,
        secret: bool,
    ) -> Result<Option<StoredClient>, StoreError> {
        if let Some(owned) = self.owned_client(client_id, secret).await {
            return owned;
        }
        let sql = if secret {
            concat!(
                "SELECT client_id, doc, client_secret_sealed, created_at, updated_at, version",
                " FROM clients WHERE client_id = $1"
            )
        } else {
            "SELECT client_id, doc, created_at, updated_at, version FROM clients WHERE client_id = $1"
        };
        let row = sqlx::query(sql)
            .bind(client_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|r| self.stored_from(&r, secret)).transpose()
    }

    /// Read-modify-write without lost updates: `f` gets the current row and returns the
    /// new one; the write is a compare-and-swap on `version`, retried with a fresh read
    /// when another writer won. `Ok(None)` when the client does not exist.
    ///
    /// `client_id` and `created_at` cannot change; `version` is bumped by the store;
    /// `updated_at` is set to now unless `f` set it.
    pub async fn update_client<F, E>(
        &self,
        client_id: &str,
        mut f: F,
    ) -> Result<Option<ClientRow>, E>
    where
        F: FnMut(&ClientRow) -> Result<ClientRow, E>,
        E: From<StoreError>,
    {
        for attempt in 0..CAS_TRIES {
            let Some(cur) = self.get_client(client_id).await? else {
                return Ok(None);
            };
            let mut new = f(&cur)?;
            super::batch::stamp(&mut new, &cur);
            let mut conn = self.pool.acquire().await.map_err(db_err)?;
            let done = self.write_client_row(&mut conn, &new, cur.version).await?;
            drop(conn);
            if done.rows == 1 {
                self.wrote_clients([client_id]);
                return Ok(Some(new));
            }
            backoff(attempt).await;
        }
        Err(gave_up("the client").into())
    }

    /// Deletes the client with its grants and credentials, in one transaction.
    /// `Ok(false)` when there was nothing to delete.
    pub async fn delete_client(&self, client_id: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for sql in [
            "DELETE FROM client_credentials WHERE client_id = $1",
            "DELETE FROM client_grants WHERE client_id = $1",
            "DELETE FROM used_jtis WHERE client_id = $1",
        ] {
            sqlx::query(sql)
                .bind(client_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        let gone = sqlx::query("DELETE FROM clients WHERE client_id = $1")
            .bind(client_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.wrote_clients([client_id]);
        Ok(gone.rows_affected() > 0)
    }

    /// Clients in creation order.
    pub async fn list_clients(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
    ) -> Result<PageOut<ClientRow>, StoreError> {
        self.list_clients_with(filter, page, with_total, true).await
    }

    /// [`Store::list_clients`]; with `secret: false` no secret is read or unsealed.
    pub async fn list_clients_with(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
        secret: bool,
    ) -> Result<PageOut<ClientRow>, StoreError> {
        let raw = self
            .list_stored_clients(filter, page, with_total, secret)
            .await?;
        Ok(PageOut {
            items: raw
                .items
                .into_iter()
                .map(StoredClient::parse)
                .collect::<Result<_, _>>()?,
            total: raw.total,
            next: raw.next,
        })
    }

    /// [`Store::list_clients_with`] with each document left as stored text.
    pub async fn list_stored_clients(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
        secret: bool,
    ) -> Result<PageOut<StoredClient>, StoreError> {
        if let Some(owned) = self
            .owned_client_page(filter, page, with_total, secret)
            .await
        {
            return owned;
        }
        let cols = if secret { COLS } else { COLS_NO_SECRET };
        self.fetch_client_rows(filter, page, with_total, cols)
            .await?
            .read(|r| self.stored_from(r, secret))
    }

    pub(super) async fn fetch_client_rows(
        &self,
        filter: &ClientFilter,
        page: &PageReq,
        with_total: bool,
        cols: &str,
    ) -> Result<RawPage, StoreError> {
        let mut w = Filter::default();
        if let Some(g) = filter.is_global {
            w.eq("is_global", Arg::Int(i64::from(g)));
        }
        if let Some(fp) = filter.is_first_party {
            w.eq("is_first_party", Arg::Int(i64::from(fp)));
        }
        if let Some(types) = &filter.app_types {
            w.any_of("app_type", types);
        }
        let what = Listing {
            table: "clients",
            cols,
            id_col: "client_id",
        };
        self.fetch_page(what, w, page, with_total).await
    }
}
