//! Filtered lists in creation order, as offset pages or opaque checkpoints.

use base64::Engine as _;
use sqlx::any::{Any, AnyArguments, AnyRow};
use sqlx::Row as _;

use super::{db_err, PageOut, PageReq, Store, StoreError};

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    Int(i64),
    Text(String),
}

impl Store {
    /// The newest `created_at` of any listed item (0 for none). A process stamps creations
    /// above it (`crate::creation_floor`), so items made after a restart list after those
    /// made before, even when a burst had run the stamps ahead of the wall clock.
    pub async fn newest_created_at(&self) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COALESCE(MAX(m), 0) AS m FROM (\
               SELECT MAX(created_at) AS m FROM clients \
               UNION ALL SELECT MAX(created_at) FROM resource_servers \
               UNION ALL SELECT MAX(created_at) FROM client_grants \
               UNION ALL SELECT MAX(created_at) FROM client_credentials) AS newest",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        row.try_get("m").map_err(db_err)
    }
}

/// A WHERE clause under construction, numbering its placeholders as it grows.
#[derive(Debug, Default)]
pub(super) struct Filter {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    fn placeholder(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    /// `col = value`.
    pub(super) fn eq(&mut self, col: &str, arg: Arg) {
        let p = self.placeholder(arg);
        self.clauses.push(format!("{col} = {p}"));
    }

    /// `col IS NULL`.
    pub(super) fn is_null(&mut self, col: &str) {
        self.clauses.push(format!("{col} IS NULL"));
    }

    /// `col IN (values…)`; an empty list matches nothing.
    pub(super) fn any_of(&mut self, col: &str, values: &[String]) {
        if values.is_empty() {
            self.clauses.push("1 = 0".into());
            return;
        }
        let ps: Vec<String> = values
            .iter()
            .map(|v| self.placeholder(Arg::Text(v.clone())))
            .collect();
        self.clauses.push(format!("{col} IN ({})", ps.join(", ")));
    }

    /// Rows strictly after a checkpoint in (created_at, id) order.
    fn after(&mut self, id_col: &str, created_at: i64, id: String) {
        let a = self.placeholder(Arg::Int(created_at));
        let b = self.placeholder(Arg::Int(created_at));
        let c = self.placeholder(Arg::Text(id));
        self.clauses.push(format!(
            "(created_at > {a} OR (created_at = {b} AND {id_col} > {c}))"
        ));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

pub(super) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    args: &[Arg],
) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(t) => q.bind(t.clone()),
        };
    }
    q
}

/// One page of raw rows, the total when asked, and the next checkpoint.
pub(super) struct RawPage {
    pub rows: Vec<AnyRow>,
    pub total: Option<u64>,
    pub next: Option<String>,
}

impl RawPage {
    /// The page with every row read by `row`; the first row that fails fails the page.
    pub fn read<T>(
        self,
        row: impl FnMut(&AnyRow) -> Result<T, StoreError>,
    ) -> Result<PageOut<T>, StoreError> {
        Ok(PageOut {
            items: self.rows.iter().map(row).collect::<Result<_, _>>()?,
            total: self.total,
            next: self.next,
        })
    }
}

/// What to list: `SELECT {cols} FROM {table}`, ordered by `created_at, {id_col}`.
pub(super) struct Listing<'a> {
    pub table: &'a str,
    pub cols: &'a str,
    pub id_col: &'a str,
}

impl Store {
    pub(super) async fn fetch_page(
        &self,
        what: Listing<'_>,
        mut filter: Filter,
        page: &PageReq,
        with_total: bool,
    ) -> Result<RawPage, StoreError> {
        let Listing {
            table,
            cols,
            id_col,
        } = what;
        let total = if with_total {
            let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {}", filter.sql());
            let n: i64 = bind_all(sqlx::query(&sql), &filter.args)
                .fetch_one(&self.pool)
                .await
                .and_then(|r| r.try_get("n"))
                .map_err(db_err)?;
            Some(u64::try_from(n).unwrap_or(0))
        } else {
            None
        };
        let (limit, offset, checkpoint) = match page {
            PageReq::Offset { page, per_page } => (
                clamp(*per_page),
                clamp(page.saturating_mul(*per_page)),
                false,
            ),
            PageReq::Checkpoint { from, take } => {
                if let Some(from) = from {
                    let (created_at, id) = decode_checkpoint(from)?;
                    filter.after(id_col, created_at, id);
                }
                // One more than asked tells whether a next page exists.
                (clamp(*take).saturating_add(1), 0, true)
            }
        };
        let lp = format!("${}", filter.args.len() + 1);
        let op = format!("${}", filter.args.len() + 2);
        let sql = format!(
            "SELECT {cols} FROM {table} WHERE {} ORDER BY created_at, {id_col} LIMIT {lp} OFFSET {op}",
            filter.sql()
        );
        let mut rows = bind_all(sqlx::query(&sql), &filter.args)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut next = None;
        if checkpoint && rows.len() as i64 >= limit {
            rows.truncate(rows.len().saturating_sub(1));
            if let Some(last) = rows.last() {
                let created_at: i64 = last.try_get("created_at").map_err(db_err)?;
                let id: String = last.try_get(id_col).map_err(db_err)?;
                next = Some(encode_checkpoint(created_at, &id));
            }
        }
        Ok(RawPage { rows, total, next })
    }
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// base64url of `created_at:id`: opaque to callers, stable across restarts and nodes.
pub(super) fn encode_checkpoint(created_at: i64, id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{created_at}:{id}"))
}

pub(super) fn decode_checkpoint(from: &str) -> Result<(i64, String), StoreError> {
    let bad = || StoreError::InvalidInput("the checkpoint in 'from' is not valid".into());
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(from)
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (ts, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((ts.parse().map_err(|_| bad())?, id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip_and_reject_garbage() {
        let c = encode_checkpoint(1_700_000_000_000, "cgr_abc:def");
        assert_eq!(
            decode_checkpoint(&c).unwrap(),
            (1_700_000_000_000, "cgr_abc:def".to_string())
        );
        assert!(matches!(
            decode_checkpoint("!!"),
            Err(StoreError::InvalidInput(_))
        ));
        let no_colon = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("abc");
        assert!(decode_checkpoint(&no_colon).is_err());
    }

    #[test]
    fn filters_number_their_placeholders() {
        let mut f = Filter::default();
        f.eq("a", Arg::Int(1));
        f.any_of("b", &["x".into(), "y".into()]);
        assert_eq!(f.sql(), "a = $1 AND b IN ($2, $3)");
        let mut empty = Filter::default();
        empty.any_of("b", &[]);
        assert_eq!(empty.sql(), "1 = 0");
        assert_eq!(Filter::default().sql(), "1 = 1");
    }
}
