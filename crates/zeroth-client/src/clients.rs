//! `/api/v2/clients`: list (pages and a stream to the end), get, create, update, delete,
//! rotate secret.

use futures::Stream;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::ManagementClient;
use crate::error::Result;
use crate::models::{Checkpoint, Client, ClientUpdate, Page};

/// The most a page may hold (Auth0's `per_page` maximum).
pub const MAX_PER_PAGE: u64 = 100;

impl ManagementClient {
    /// One page of applications (`page` counts from 0).
    pub async fn clients_page(&self, page: u64, per_page: u64) -> Result<Page<Client>> {
        self.page("/api/v2/clients", "clients", page, per_page, &[])
            .await
    }

    /// Every application, page after page, until the last.
    pub fn clients_all(&self) -> impl Stream<Item = Result<Client>> + '_ {
        self.all("/api/v2/clients", "clients")
    }

    /// A page of applications after the checkpoint `from` (none: the first page), as
    /// Auth0 pages tenants too large for offsets; follow `next` until it is `None`.
    pub async fn clients_checkpoint(
        &self,
        from: Option<&str>,
        take: u64,
    ) -> Result<Checkpoint<Client>> {
        let mut q = vec![("take", take.clamp(1, MAX_PER_PAGE).to_string())];
        if let Some(f) = from {
            q.push(("from", f.to_owned()));
        }
        let v: Value = self
            .request_query(Method::GET, "/api/v2/clients", &q, None)
            .await?;
        let items = match v.get("clients") {
            Some(list) => serde_json::from_value(list.clone())?,
            None => Vec::new(),
        };
        let next = v.get("next").and_then(Value::as_str).map(str::to_owned);
        Ok(Checkpoint { items, next })
    }

    pub async fn client(&self, id: &str) -> Result<Client> {
        self.call(
            Method::GET,
            &format!("/api/v2/clients/{}", enc(id)),
            &[],
            None,
        )
        .await
    }

    pub async fn create_client(&self, client: &Client) -> Result<Client> {
        let body = serde_json::to_value(client)?;
        self.call(Method::POST, "/api/v2/clients", &[], Some(&body))
            .await
    }

    pub async fn update_client(&self, id: &str, update: &ClientUpdate) -> Result<Client> {
        let body = serde_json::to_value(update)?;
        let path = format!("/api/v2/clients/{}", enc(id));
        self.call(Method::PATCH, &path, &[], Some(&body)).await
    }

    pub async fn delete_client(&self, id: &str) -> Result<()> {
        let path = format!("/api/v2/clients/{}", enc(id));
        self.request(Method::DELETE, &path, None).await.map(drop)
    }

    /// A new `client_secret`; the old one stops working at once.
    pub async fn rotate_client_secret(&self, id: &str) -> Result<Client> {
        let path = format!("/api/v2/clients/{}/rotate-secret", enc(id));
        self.call(Method::POST, &path, &[], None).await
    }

    /// A page of any list that answers `{<key>: [...], start, limit, total}` with totals.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        page: u64,
        per_page: u64,
        query: &[(&str, String)],
    ) -> Result<Page<T>> {
        let mut q = vec![
            ("page", page.to_string()),
            ("per_page", per_page.clamp(1, MAX_PER_PAGE).to_string()),
            ("include_totals", "true".to_owned()),
        ];
        q.extend(query.iter().cloned());
        let v: Value = self.request_query(Method::GET, path, &q, None).await?;
        let num = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        let items = match v.get(key) {
            Some(list) => serde_json::from_value(list.clone())?,
            // Some servers ignore include_totals and answer a bare array.
            None => serde_json::from_value(v.clone())?,
        };
        Ok(Page {
            items,
            start: num("start"),
            limit: num("limit"),
            total: num("total"),
        })
    }

    pub(crate) fn all<'a, T: DeserializeOwned + 'a>(
        &'a self,
        path: &'a str,
        key: &'a str,
    ) -> impl Stream<Item = Result<T>> + 'a {
        use futures::StreamExt as _;
        let pages = futures::stream::try_unfold(Some(0u64), move |next| async move {
            let Some(n) = next else { return Ok(None) };
            let page: Page<T> = self.page(path, key, n, MAX_PER_PAGE, &[]).await?;
            let seen = n * MAX_PER_PAGE + page.items.len() as u64;
            let more = page.items.len() as u64 == MAX_PER_PAGE && seen < page.total;
            Ok(Some((page.items, more.then_some(n + 1))))
        });
        pages
            .map(|r| match r {
                Ok(items) => futures::stream::iter(items.into_iter().map(Ok)).left_stream(),
                Err(e) => futures::stream::once(async move { Err(e) }).right_stream(),
            })
            .flatten()
    }
}

/// Percent-encodes a path segment (ids are plain, but the CLI passes user input).
pub(crate) fn enc(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
