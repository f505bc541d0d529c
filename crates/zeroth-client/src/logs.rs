//! `/api/v2/logs`: the newest events, and the events after a checkpoint for tailing.

use reqwest::Method;
use serde_json::Value;

use crate::client::ManagementClient;
use crate::clients::enc;
use crate::error::Result;
use crate::models::LogEvent;

impl ManagementClient {
    /// The `take` newest events (at most 100), newest first; `q` filters as Auth0's
    /// log search does, e.g. `type:fapi` or `client_id:"abc"`.
    pub async fn recent_logs(&self, take: u64, q: Option<&str>) -> Result<Vec<LogEvent>> {
        let mut query = vec![
            ("per_page", take.clamp(1, 100).to_string()),
            ("sort", "date:-1".to_owned()),
        ];
        if let Some(q) = q {
            query.push(("q", q.to_owned()));
        }
        self.call(Method::GET, "/api/v2/logs", &query, None).await
    }

    /// Events after the one with id `from` (oldest first), at most `take` (≤ 100): call
    /// again with the last `log_id` to follow a tenant's log.
    pub async fn logs_after(
        &self,
        from: &str,
        take: u64,
        q: Option<&str>,
    ) -> Result<Vec<LogEvent>> {
        let mut query = vec![
            ("from", from.to_owned()),
            ("take", take.clamp(1, 100).to_string()),
        ];
        if let Some(q) = q {
            query.push(("q", q.to_owned()));
        }
        self.call(Method::GET, "/api/v2/logs", &query, None).await
    }

    pub async fn log(&self, id: &str) -> Result<Value> {
        let path = format!("/api/v2/logs/{}", enc(id));
        self.call(Method::GET, &path, &[], None).await
    }
}
