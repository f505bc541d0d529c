//! Tenant log events as Auth0 records them, written in batches off the request path.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::sync::mpsc;

use crate::store::{LogRow, Store};
use crate::{ids, now_ms, Error};

/// Auth0's event type codes Zeroth emits.
pub mod types {
    pub const SUCCESS_API_OPERATION: &str = "sapi";
    pub const FAILED_API_OPERATION: &str = "fapi";
    pub const SUCCESS_CLIENT_CREDENTIALS: &str = "seccft";
    pub const FAILED_CLIENT_CREDENTIALS: &str = "feccft";

    /// (code, what Auth0 calls it), for `q=type:…` checks and documentation.
    pub const KNOWN: &[(&str, &str)] = &[
        (SUCCESS_API_OPERATION, "Success API Operation"),
        (FAILED_API_OPERATION, "Failed API Operation"),
        (SUCCESS_CLIENT_CREDENTIALS, "Success Exchange"),
        (FAILED_CLIENT_CREDENTIALS, "Failed Exchange"),
    ];
}

/// Keys whose values never reach a log, at any depth.
const SECRET_KEYS: &[&str] = &[
    "client_secret",
    "signing_secret",
    "client_assertion",
    "secret",
    "password",
    "private_key",
    "privateKey",
    "storageAccessKey",
    "sasKey",
    "masterkey",
    "servicePassword",
    "access_token",
];

/// Replaces secret values with a marker so a log shows that one was sent, never what.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if SECRET_KEYS.contains(&k.as_str()) && !v.is_null() {
                    *v = Value::String("[REDACTED]".into());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// One event, before it is stored.
#[derive(Debug, Clone)]
pub struct LogEvent {
    pub log_type: &'static str,
    pub description: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: Value,
    pub extra: Map<String, Value>,
}

impl LogEvent {
    pub fn into_row(self, hostname: &str) -> LogRow {
        let date = now_ms();
        let mut doc = Map::new();
        doc.insert("date".into(), crate::iso_ms(date));
        doc.insert("type".into(), json!(self.log_type));
        doc.insert("description".into(), json!(self.description));
        if let Some(c) = &self.client_id {
            doc.insert("client_id".into(), json!(c));
        }
        if let Some(n) = &self.client_name {
            doc.insert("client_name".into(), json!(n));
        }
        if let Some(ip) = &self.ip {
            doc.insert("ip".into(), json!(ip));
        }
        if let Some(ua) = &self.user_agent {
            doc.insert("user_agent".into(), json!(ua));
        }
        let mut details = self.details;
        redact(&mut details);
        doc.insert("details".into(), details);
        doc.insert("hostname".into(), json!(hostname));
        for (k, v) in self.extra {
            doc.entry(k).or_insert(v);
        }
        LogRow {
            // The writer numbers the row when it commits it (`ids::LogIds`).
            log_id: String::new(),
            date,
            log_type: self.log_type.to_string(),
            client_id: self.client_id,
            doc,
        }
    }
}

/// Hands events to a background writer that commits them in batches, so recording an
/// event costs a channel send on the request path, not a durable commit. Events still
/// queued when the process dies are lost; the changes they describe are not.
#[derive(Clone)]
pub struct LogSink {
    tx: mpsc::Sender<LogRow>,
    hostname: String,
}

const QUEUE: usize = 65_536;
const BATCH: usize = 512;

impl LogSink {
    /// Starts the writer and the retention sweeper (`retention_days` 0 keeps forever).
    pub fn start(store: Store, hostname: String, retention_days: u32) -> LogSink {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(store.clone(), rx));
        if retention_days > 0 {
            tokio::spawn(sweep(store, retention_days));
        }
        LogSink { tx, hostname }
    }

    /// Never blocks the request: a full queue drops the event with a warning.
    pub fn record(&self, event: LogEvent) {
        let row = event.into_row(&self.hostname);
        if self.tx.try_send(row).is_err() {
            tracing::warn!("log queue full: a tenant log event was dropped");
        }
    }
}

/// How long the writer waits after an event for others to share its commit. Without
/// it a steady trickle (one token every half millisecond) pays a durable commit per
/// event; with it, one commit per 50 ms at most. Events become readable that much later.
const LINGER: std::time::Duration = std::time::Duration::from_millis(50);

async fn write_batches(store: Store, mut rx: mpsc::Receiver<LogRow>) {
    let mut numbering = ids::LogIds::new();
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH {
            let room = BATCH - batch.len();
            match tokio::time::timeout_at(deadline, rx.recv_many(&mut batch, room)).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        name_clients(&store, &mut batch).await;
        for row in batch.iter_mut() {
            row.log_id = numbering.next_id();
            row.doc.insert("log_id".into(), json!(row.log_id));
        }
        if let Err(e) = store.insert_logs(&batch).await {
            tracing::error!(error = %e, count = batch.len(), "could not store tenant log events");
        }
        batch.clear();
    }
}

/// Adds `client_name` off the request path: one lookup per client per batch.
async fn name_clients(store: &Store, batch: &mut [LogRow]) {
    let mut names: std::collections::HashMap<String, Option<String>> = Default::default();
    for row in batch.iter_mut() {
        let Some(id) = row.client_id.clone() else {
            continue;
        };
        if row.doc.contains_key("client_name") {
            continue;
        }
        if !names.contains_key(&id) {
            let name = match store.get_client(&id).await {
                Ok(Some(c)) => c
                    .doc
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                _ => None,
            };
            names.insert(id.clone(), name);
        }
        if let Some(Some(name)) = names.get(&id) {
            row.doc.insert("client_name".into(), json!(name));
        }
    }
}

async fn sweep(store: Store, retention_days: u32) {
    let keep = Duration::from_secs(u64::from(retention_days) * 86_400);
    loop {
        let cutoff = now_ms() - i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
        match store.purge_logs(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "tenant log retention"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "tenant log retention failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// The subset of Auth0's Lucene `q` Zeroth understands: `type:X`, `client_id:Y`,
/// `type:(a OR b)`, terms joined by `AND` (or a space). Anything else is a 400.
pub fn parse_q(q: &str) -> Result<crate::store::LogFilter, Error> {
    let bad = || {
        Error::InvalidQuery(format!(
            "Query validation error: 'Unsupported search query: {q}. Use type:<code> and \
             client_id:<id>, joined with AND' on property q."
        ))
    };
    let mut filter = crate::store::LogFilter::default();
    let normalized = q.replace(" AND ", " ");
    let mut rest = normalized.trim();
    while !rest.is_empty() {
        let (field, after) = rest.split_once(':').ok_or_else(bad)?;
        let (value, tail) = if let Some(group) = after.strip_prefix('(') {
            let (inside, tail) = group.split_once(')').ok_or_else(bad)?;
            (inside.to_string(), tail)
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        let values: Vec<String> = value
            .split(" OR ")
            .map(|v| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
            .collect();
        match (field.trim(), values.as_slice()) {
            ("type", vs) if !vs.is_empty() => filter.types.extend(vs.iter().cloned()),
            ("client_id", [one]) => filter.client_id = Some(one.clone()),
            _ => return Err(bad()),
        }
        rest = tail.trim();
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_reach_the_details() {
        let mut v = json!({"name": "a", "client_secret": "s3cr3t",
                           "nested": [{"signing_secret": "x", "ok": 1}]});
        redact(&mut v);
        let text = v.to_string();
        assert!(!text.contains("s3cr3t") && !text.contains("\"x\""));
        assert!(text.contains("\"name\":\"a\"") && text.contains("\"ok\":1"));
    }

    #[test]
    fn q_reads_types_and_client_ids() {
        let f = parse_q("type:sapi AND client_id:abc").unwrap();
        assert_eq!(f.types, vec!["sapi"]);
        assert_eq!(f.client_id.as_deref(), Some("abc"));
        let f = parse_q("type:(seccft OR feccft)").unwrap();
        assert_eq!(f.types, vec!["seccft", "feccft"]);
        assert!(parse_q("user_id:foo").is_err());
        assert!(parse_q("garbage").is_err());
    }
}
