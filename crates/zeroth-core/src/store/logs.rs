//! Tenant log events: batched inserts, newest-first pages, checkpoints, retention.

use std::sync::Arc;

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::Row as _;

use super::direct::LogInsert;
use super::paging::{bind_all, Arg};
use super::{db_err, from_json, to_json, PageOut, Store, StoreError};

/// One stored log event; `doc` is the whole event as served.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub log_id: String,
    pub date: i64,
    pub log_type: String,
    pub client_id: Option<String>,
    pub doc: Map<String, Value>,
}

#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Any of these types (`sapi`, `seccft` …).
    pub types: Vec<String>,
    pub client_id: Option<String>,
}

/// Offset pages run newest first (Auth0's default `date:-1`); checkpoints run forward
/// from a log id, which is what tailing needs.
#[derive(Debug, Clone)]
pub enum LogPage {
    Offset {
        page: u64,
        per_page: u64,
        newest_first: bool,
    },
    After {
        from: Option<String>,
        take: u64,
    },
}

fn log_from(r: &AnyRow) -> Result<LogRow, StoreError> {
    Ok(LogRow {
        log_id: r.try_get("log_id").map_err(db_err)?,
        date: r.try_get("date").map_err(db_err)?,
        log_type: r.try_get("type").map_err(db_err)?,
        client_id: r.try_get("client_id").map_err(db_err)?,
        doc: from_json(&r.try_get::<String, _>("doc").map_err(db_err)?)?,
    })
}

/// Log rows per `INSERT` statement (five parameters each). Small enough that binding
/// by parameter name, which the driver does by scanning the names, stays cheap.
const LOG_ROWS_PER_INSERT: usize = 32;

impl Store {
    /// Writes a batch in one transaction: one durable commit for many events.
    pub async fn insert_logs(&self, rows: &[LogRow]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        // Serialised before the transaction: the write lock is held only for the inserts.
        let docs = rows
            .iter()
            .map(|r| to_json(&r.doc))
            .collect::<Result<Vec<_>, _>>()?;
        let _gate = self.write_gate().await;
        if let Some(direct) = self.owner.direct_logs.get() {
            let rows: Vec<LogInsert> = rows
                .iter()
                .zip(docs)
                .map(|(r, doc)| {
                    (
                        r.log_id.clone(),
                        r.date,
                        r.log_type.clone(),
                        r.client_id.clone(),
                        doc,
                    )
                })
                .collect();
            let direct = Arc::clone(direct);
            return tokio::task::spawn_blocking(move || direct.insert_logs(&rows))
                .await
                .map_err(|e| StoreError::Database(format!("the log writer stopped: {e}")))?;
        }
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Many rows per statement: one statement per row cost a round trip to the
        // connection's thread each, and under a write storm the writer fell behind
        // while its queue held tens of megabytes of events.
        let mut docs = docs.into_iter();
        for chunk in rows.chunks(LOG_ROWS_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = i * 5;
                    format!(
                        "(${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO logs (log_id, date, type, client_id, doc) VALUES {}",
                values.join(", ")
            );
            // Not kept prepared: each batch size is a different statement, and a
            // connection's cache of them held megabytes of SQLite programs.
            let mut q = sqlx::query(&sql).persistent(false);
            // Each serialised document moves into its statement: no second copy.
            for (row, doc) in chunk.iter().zip(docs.by_ref()) {
                q = q
                    .bind(row.log_id.clone())
                    .bind(row.date)
                    .bind(row.log_type.clone())
                    .bind(row.client_id.clone())
                    .bind(doc);
            }
            q.execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    pub async fn get_log(&self, log_id: &str) -> Result<Option<LogRow>, StoreError> {
        let row =
            sqlx::query("SELECT log_id, date, type, client_id, doc FROM logs WHERE log_id = $1")
                .bind(log_id.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        row.as_ref().map(log_from).transpose()
    }

    pub async fn list_logs(
        &self,
        filter: &LogFilter,
        page: &LogPage,
        with_total: bool,
    ) -> Result<PageOut<LogRow>, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let push = |args: &mut Vec<Arg>, a: Arg| {
            args.push(a);
            format!("${}", args.len())
        };
        if !filter.types.is_empty() {
            let ps: Vec<String> = filter
                .types
                .iter()
                .map(|t| push(&mut args, Arg::Text(t.clone())))
                .collect();
            clauses.push(format!("type IN ({})", ps.join(", ")));
        }
        if let Some(c) = &filter.client_id {
            let p = push(&mut args, Arg::Text(c.clone()));
            clauses.push(format!("client_id = {p}"));
        }
        let base_where = if clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            clauses.join(" AND ")
        };
        let total = if with_total {
            let sql = format!("SELECT COUNT(*) AS n FROM logs WHERE {base_where}");
            let n: i64 = bind_all(sqlx::query(&sql), &args)
                .fetch_one(&self.pool)
                .await
                .and_then(|r| r.try_get("n"))
                .map_err(db_err)?;
            Some(u64::try_from(n).unwrap_or(0))
        } else {
            None
        };
        let (sql, limit) = match page {
            LogPage::Offset {
                page,
                per_page,
                newest_first,
            } => {
                let order = if *newest_first { "DESC" } else { "ASC" };
                let offset = page.saturating_mul(*per_page);
                (
                    format!(
                        "SELECT log_id, date, type, client_id, doc FROM logs WHERE {base_where} \
                         ORDER BY log_id {order} LIMIT {per_page} OFFSET {offset}"
                    ),
                    *per_page,
                )
            }
            LogPage::After { from, take } => {
                let mut w = base_where.clone();
                if let Some(f) = from {
                    let p = push(&mut args, Arg::Text(f.clone()));
                    w = format!("{w} AND log_id > {p}");
                }
                (
                    format!(
                        "SELECT log_id, date, type, client_id, doc FROM logs WHERE {w} \
                         ORDER BY log_id ASC LIMIT {take}"
                    ),
                    *take,
                )
            }
        };
        let rows = bind_all(sqlx::query(&sql), &args)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let items: Vec<LogRow> = rows.iter().map(log_from).collect::<Result<_, _>>()?;
        let next = match page {
            LogPage::After { .. } if items.len() as u64 == limit => {
                items.last().map(|l| l.log_id.clone())
            }
            _ => None,
        };
        Ok(PageOut { items, total, next })
    }

    /// Drops events older than `before_ms`; returns how many.
    pub async fn purge_logs(&self, before_ms: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM logs WHERE date < $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
