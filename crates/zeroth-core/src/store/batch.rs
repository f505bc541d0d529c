//! Concurrent changes to clients share one commit: on a SQLite file this process owns,
//! PATCHes, secret rotations and new clients queue to one writer, which applies every
//! queued change in arrival order inside one transaction and answers each after the
//! commit.
//!
//! Changes to one client are applied one after another to the row as the previous
//! change left it (each caller gets its own intermediate row, as if run alone), and the
//! last state is written once: a burst of PATCHes to one client costs one fsync, not one
//! each, and none of them loses to a compare-and-swap retry. A rejected change is
//! answered at once and changes nothing. Nothing is answered as done before its commit.

use sqlx::pool::PoolConnection;
use sqlx::Any;
use tokio::sync::{mpsc, oneshot};

use super::{db_err, to_json, ClientRow, Store, StoreError};

/// The writer's own connection, taken from the pool once: handing a connection back
/// after every commit costs sqlx a ping, one more round trip to its thread.
type Slot = Option<PoolConnection<Any>>;

/// Most changes one transaction takes.
const MAX_BATCH: usize = 256;
/// Changes waiting for the writer at most; callers wait for room beyond it.
const QUEUE: usize = 4096;

/// One queued change, type-erased so callers with different error types share a queue.
pub(super) trait ClientChange: Send {
    /// The new row, or `None` when the change was refused (its caller already knows).
    fn apply(&mut self, row: &ClientRow) -> Option<ClientRow>;
    fn finish(self: Box<Self>, outcome: Result<Option<ClientRow>, StoreError>);
}

struct Typed<F, E> {
    f: F,
    reply: Option<oneshot::Sender<Result<Option<ClientRow>, E>>>,
}

impl<F, E> ClientChange for Typed<F, E>
where
    F: FnMut(&ClientRow) -> Result<ClientRow, E> + Send,
    E: From<StoreError> + Send,
{
    fn apply(&mut self, row: &ClientRow) -> Option<ClientRow> {
        match (self.f)(row) {
            Ok(new) => Some(new),
            Err(e) => {
                if let Some(tx) = self.reply.take() {
                    let _ = tx.send(Err(e));
                }
                None
            }
        }
    }

    fn finish(self: Box<Self>, outcome: Result<Option<ClientRow>, StoreError>) {
        if let Some(tx) = self.reply {
            let _ = tx.send(outcome.map_err(E::from));
        }
    }
}

/// A new client and where its outcome goes; the row comes back with it.
type Insert = (ClientRow, oneshot::Sender<Result<ClientRow, StoreError>>);

pub(super) enum Job {
    /// Changes to the client with this id.
    Change(String, Box<dyn ClientChange>),
    Insert(Box<Insert>),
}

pub(super) fn start(store: Store) -> mpsc::Sender<Job> {
    let (tx, mut rx) = mpsc::channel::<Job>(QUEUE);
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        let mut slot: Slot = None;
        while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
            store
                .commit_changes(&mut slot, std::mem::take(&mut batch))
                .await;
        }
    });
    tx
}

fn stopped() -> StoreError {
    StoreError::Database("the database writer has stopped".into())
}

impl Store {
    /// [`Store::update_client`] for changes that own what they capture: on a SQLite file
    /// this process owns they join the shared-commit queue; elsewhere they run as
    /// compare-and-swap updates.
    pub async fn update_client_queued<F, E>(
        &self,
        client_id: &str,
        f: F,
    ) -> Result<Option<ClientRow>, E>
    where
        F: FnMut(&ClientRow) -> Result<ClientRow, E> + Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let Some(queue) = self.owner.writer() else {
            return self.update_client(client_id, f).await;
        };
        let mut f = f;
        // Nothing queued: no change is waiting to go first, so this one may commit at
        // once on this thread. Under concurrency the queue is rarely empty, and changes
        // share the writer's commits as before.
        if queue.capacity() == queue.max_capacity() {
            let Some(current) = self.get_client(client_id).await? else {
                return Ok(None);
            };
            if let Some(new) = self.commit_direct(&current, &mut f)? {
                return Ok(Some(new));
            }
        }
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn ClientChange> = Box::new(Typed {
            f,
            reply: Some(reply),
        });
        if queue
            .send(Job::Change(client_id.to_owned(), job))
            .await
            .is_err()
        {
            return Err(stopped().into());
        }
        answer.await.unwrap_or_else(|_| Err(stopped().into()))
    }

    /// [`Store::insert_client`] through the shared-commit queue on a SQLite file this
    /// process owns, so concurrent creations share one commit instead of taking turns
    /// at one each. The row comes back once it is committed.
    pub async fn insert_client_queued(&self, row: ClientRow) -> Result<ClientRow, StoreError> {
        let Some(queue) = self.owner.writer() else {
            self.insert_client(&row).await?;
            return Ok(row);
        };
        let (reply, answer) = oneshot::channel();
        if queue
            .send(Job::Insert(Box::new((row, reply))))
            .await
            .is_err()
        {
            return Err(stopped());
        }
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// A lone change committed on the caller's thread through the direct connection
    /// (store/direct.rs), with the pool's compare-and-swap. `None` when it could not be
    /// tried without waiting (the write gate, the connection or SQLite's lock was held)
    /// or the row had moved on: nothing was written, and the caller queues the change.
    fn commit_direct<F, E>(&self, current: &ClientRow, f: &mut F) -> Result<Option<ClientRow>, E>
    where
        F: FnMut(&ClientRow) -> Result<ClientRow, E>,
        E: From<StoreError>,
    {
        let Some(direct) = self.owner.direct_clients.get() else {
            return Ok(None);
        };
        let Some(gate) = self.try_write_gate() else {
            return Ok(None);
        };
        let mut new = f(current)?;
        stamp(&mut new, current);
        let columns = self.row_columns(&new)?;
        // The fsync blocks this thread for the commit, as the await on the writer would
        // have held this request; no lock wait or checkpoint runs here (direct.rs).
        let committed = direct.try_update_client(&columns, &new, current.version)?;
        drop(gate);
        if !committed {
            return Ok(None);
        }
        let gen = self.wrote_clients([new.client_id.as_str()]);
        self.keep_written(
            gen,
            &new,
            Written {
                rows: 1,
                doc: columns.doc,
                sealed: columns.sealed,
            },
        );
        Ok(Some(new))
    }

    async fn writer_conn<'s>(
        &self,
        slot: &'s mut Slot,
    ) -> Result<&'s mut PoolConnection<Any>, StoreError> {
        if slot.is_none() {
            *slot = Some(self.pool.acquire().await.map_err(db_err)?);
        }
        slot.as_mut()
            .ok_or_else(|| StoreError::Database("no connection for the writer".into()))
    }

    async fn commit_changes(&self, slot: &mut Slot, mut jobs: Vec<Job>) {
        if jobs.len() == 1 {
            match jobs.pop() {
                Some(Job::Change(id, job)) => match self.commit_one(slot, &id, job).await {
                    None => return,
                    Some(job) => jobs.push(Job::Change(id, job)),
                },
                Some(Job::Insert(insert)) => return self.insert_one(slot, *insert).await,
                None => return,
            }
        }
        // Arrival order within each client; clients in order of their first change.
        // New clients go in first: none of the changes can be waiting for them, since
        // a client's id is known only once its creation is answered.
        let mut groups: Vec<(String, Vec<Box<dyn ClientChange>>)> = Vec::new();
        let mut inserts: Vec<Insert> = Vec::new();
        for job in jobs {
            match job {
                Job::Change(id, job) => match groups.iter_mut().find(|(g, _)| *g == id) {
                    Some((_, list)) => list.push(job),
                    None => groups.push((id, vec![job])),
                },
                Job::Insert(insert) => inserts.push(*insert),
            }
        }
        let _gate = self.write_gate().await;
        let conn = match self.writer_conn(slot).await {
            Ok(c) => c,
            Err(e) => return fail_all(groups, inserts, &e),
        };
        // IMMEDIATE: take the write lock before reading, so what is read stays current
        // until the commit (and busy_timeout applies to the wait).
        if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut **conn).await {
            slot.take();
            return fail_all(groups, inserts, &db_err(e));
        }
        let mut accepted: Vec<(Box<dyn ClientChange>, Option<ClientRow>)> = Vec::new();
        let mut written_rows = Vec::new();
        let mut inserted: Vec<Insert> = Vec::new();
        let mut failed = None;
        let mut inserts = inserts.into_iter();
        for (row, reply) in inserts.by_ref() {
            match self.insert_client_in(conn, &row).await {
                Ok(()) => inserted.push((row, reply)),
                // A taken id fails only its own statement; the transaction goes on.
                Err(e @ StoreError::Conflict(_)) => {
                    let _ = reply.send(Err(e));
                }
                Err(e) => {
                    failed = Some(e);
                    inserted.push((row, reply));
                    break;
                }
            }
        }
        // After a failure the inserts not tried are answered with it too.
        inserted.extend(inserts);
        let mut groups = groups.into_iter();
        // After a failed insert no change is tried.
        if failed.is_none() {
            for (id, list) in groups.by_ref() {
                let applied = self
                    .apply_group(conn, &id, list, &mut accepted, &mut written_rows)
                    .await;
                if let Err((e, rest)) = applied {
                    accepted.extend(rest.into_iter().map(|j| (j, None)));
                    failed = Some(e);
                    break;
                }
            }
        }
        // After a failure the untouched groups are answered with it too.
        for (_, list) in groups {
            accepted.extend(list.into_iter().map(|j| (j, None)));
        }
        let outcome = match failed {
            None => sqlx::query("COMMIT")
                .execute(&mut **conn)
                .await
                .map(drop)
                .map_err(db_err),
            Some(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                let gen = self.wrote_clients(
                    written_rows
                        .iter()
                        .map(|(r, _)| r.client_id.as_str())
                        .chain(inserted.iter().map(|(r, _)| r.client_id.as_str())),
                );
                for (row, w) in written_rows {
                    self.keep_written(gen, &row, w);
                }
                for (job, row) in accepted {
                    job.finish(Ok(row));
                }
                for (row, reply) in inserted {
                    let _ = reply.send(Ok(row));
                }
            }
            Err(e) => {
                if sqlx::query("ROLLBACK").execute(&mut **conn).await.is_err() {
                    // Never hand a connection with an open transaction back to the pool.
                    if let Some(c) = slot.take() {
                        drop(c.detach());
                    }
                } else {
                    // It may have failed for a reason of its own: the pool's check on
                    // return closes it if so, and the next batch takes a fresh one.
                    slot.take();
                }
                tracing::error!(error = %e, "a shared commit of client changes failed");
                let message = e.to_string();
                for (job, _) in accepted {
                    job.finish(Err(StoreError::Database(message.clone())));
                }
                for (_, reply) in inserted {
                    let _ = reply.send(Err(StoreError::Database(message.clone())));
                }
            }
        }
    }

    /// Applies one client's changes in order and writes the last state once. On error,
    /// the changes not yet answered come back with it.
    async fn apply_group(
        &self,
        conn: &mut sqlx::AnyConnection,
        client_id: &str,
        list: Vec<Box<dyn ClientChange>>,
        accepted: &mut Vec<(Box<dyn ClientChange>, Option<ClientRow>)>,
        written_rows: &mut Vec<(ClientRow, Written)>,
    ) -> Result<(), (StoreError, Vec<Box<dyn ClientChange>>)> {
        let row = match sqlx::query(&format!(
            "SELECT {} FROM clients WHERE client_id = $1",
            super::clients::COLS
        ))
        .bind(client_id.to_string())
        .fetch_optional(&mut *conn)
        .await
        {
            Ok(r) => r,
            Err(e) => return Err((db_err(e), list)),
        };
        let Some(row) = row else {
            // Gone: each change answers "no such client", nothing to write.
            accepted.extend(list.into_iter().map(|j| (j, None)));
            return Ok(());
        };
        let original = match self.client_from(&row) {
            Ok(r) => r,
            Err(e) => return Err((e, list)),
        };
        let mut current = original.clone();
        let first = accepted.len();
        for mut job in list {
            let Some(mut new) = job.apply(&current) else {
                continue;
            };
            stamp(&mut new, &current);
            current = new.clone();
            accepted.push((job, Some(new)));
        }
        if accepted.len() == first {
            return Ok(());
        }
        let written = self
            .write_client_row(conn, &current, original.version)
            .await;
        match written {
            Ok(w) if w.rows == 1 => {
                written_rows.push((current, w));
                Ok(())
            }
            Ok(_) => Err((
                StoreError::Database("the client changed under the write lock".into()),
                Vec::new(),
            )),
            Err(e) => Err((e, Vec::new())),
        }
    }

    /// The stored columns of `new`: its document as text, its secret sealed, and the
    /// list filters copied out of the document.
    pub(super) fn row_columns(&self, new: &ClientRow) -> Result<RowColumns, StoreError> {
        let (is_global, is_first_party, app_type) = super::clients::derived(&new.doc);
        Ok(RowColumns {
            doc: to_json(&new.doc)?,
            sealed: self.seal_opt(new.client_secret.as_ref())?,
            is_global,
            is_first_party,
            app_type,
        })
    }

    /// The compare-and-swap `UPDATE` both pool write paths use: the rows it changed, and
    /// the stored forms of the document and the sealed secret (for the owner's cache).
    pub(super) async fn write_client_row(
        &self,
        conn: &mut sqlx::AnyConnection,
        new: &ClientRow,
        expected_version: i64,
    ) -> Result<Written, StoreError> {
        let c = self.row_columns(new)?;
        let done = sqlx::query(UPDATE_CLIENT)
            .bind(c.doc.clone())
            .bind(c.sealed.clone())
            .bind(c.is_global)
            .bind(c.is_first_party)
            .bind(c.app_type)
            .bind(new.updated_at)
            .bind(new.version)
            .bind(new.client_id.clone())
            .bind(expected_version)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        Ok(Written {
            rows: done.rows_affected(),
            doc: c.doc,
            sealed: c.sealed,
        })
    }

    /// A lone change (the common case at low concurrency) needs no transaction: one
    /// compare-and-swap `UPDATE` on the row as last read or written, one commit. When
    /// that row turns out stale the change comes back for the transactional path.
    async fn commit_one(
        &self,
        slot: &mut Slot,
        client_id: &str,
        mut job: Box<dyn ClientChange>,
    ) -> Option<Box<dyn ClientChange>> {
        let current = match self.get_client(client_id).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                job.finish(Ok(None));
                return None;
            }
            Err(e) => {
                job.finish(Err(e));
                return None;
            }
        };
        let mut new = job.apply(&current)?;
        stamp(&mut new, &current);
        let gate = self.write_gate().await;
        let written = match self.writer_conn(slot).await {
            Ok(conn) => self.write_client_row(conn, &new, current.version).await,
            Err(e) => Err(e),
        };
        drop(gate);
        match written {
            Ok(w) if w.rows == 1 => {
                let gen = self.wrote_clients([client_id]);
                self.keep_written(gen, &new, w);
                job.finish(Ok(Some(new)));
                None
            }
            Ok(_) => Some(job),
            Err(e) => {
                slot.take();
                job.finish(Err(e));
                None
            }
        }
    }

    /// A lone new client: one `INSERT`, its own commit.
    async fn insert_one(&self, slot: &mut Slot, (row, reply): Insert) {
        let gate = self.write_gate().await;
        let done = match self.writer_conn(slot).await {
            Ok(conn) => self.insert_client_in(conn, &row).await,
            Err(e) => Err(e),
        };
        drop(gate);
        let _ = reply.send(match done {
            Ok(()) => {
                self.wrote_clients([row.client_id.as_str()]);
                Ok(row)
            }
            Err(e) => {
                if !matches!(e, StoreError::Conflict(_)) {
                    slot.take();
                }
                Err(e)
            }
        });
    }
}

/// The compare-and-swap of a client row, for the pool and the direct connection alike:
/// its `$n` parameters appear in order, so binding by position (rusqlite) and by name
/// (sqlx) fill the same ones.
pub(super) const UPDATE_CLIENT: &str =
    "UPDATE clients SET doc = $1, client_secret_sealed = $2, is_global = $3,
        is_first_party = $4, app_type = $5, updated_at = $6, version = $7
     WHERE client_id = $8 AND version = $9";

/// A client row's stored columns besides its identity, stamps and version.
pub(super) struct RowColumns {
    pub doc: String,
    pub sealed: Option<String>,
    pub is_global: i64,
    pub is_first_party: i64,
    pub app_type: Option<String>,
}

/// What the `UPDATE` stored.
pub(super) struct Written {
    pub rows: u64,
    pub doc: String,
    pub sealed: Option<String>,
}

/// The store's part of a new row: identity kept, version bumped, `updated_at` moved on.
pub(super) fn stamp(new: &mut ClientRow, current: &ClientRow) {
    new.client_id = current.client_id.clone();
    new.created_at = current.created_at;
    new.version = current.version + 1;
    if new.updated_at == current.updated_at {
        new.updated_at = crate::now_ms().max(current.updated_at);
    }
}

fn fail_all(
    groups: Vec<(String, Vec<Box<dyn ClientChange>>)>,
    inserts: Vec<Insert>,
    e: &StoreError,
) {
    tracing::error!(error = %e, "client changes could not start a transaction");
    for (_, list) in groups {
        for job in list {
            job.finish(Err(StoreError::Database(e.to_string())));
        }
    }
    for (_, reply) in inserts {
        let _ = reply.send(Err(StoreError::Database(e.to_string())));
    }
}
