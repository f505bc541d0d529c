//! The connection: base URL, credentials, token caching, and requests with 429 retries.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::error::{ApiError, Error, Result};

/// How the client authenticates to the Management API.
#[derive(Clone)]
pub enum Credentials {
    /// A machine-to-machine application; tokens are fetched from `/oauth/token` and cached.
    ClientCredentials {
        client_id: String,
        client_secret: String,
    },
    /// A ready Management API access token, used as is.
    Token(String),
}

// Secrets stay out of debug output.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .finish_non_exhaustive(),
            Credentials::Token(_) => f.write_str("Token(..)"),
        }
    }
}

/// Attempts per request when the server keeps answering 429.
const MAX_ATTEMPTS: u32 = 5;
/// Longest single wait a 429 may ask of us.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// Tokens are renewed this long before they expire, so none dies in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

struct CachedToken {
    value: String,
    renew_at: Instant,
    /// `renew_at` on the wall clock, for callers that keep the token between processes.
    renew_at_wall: SystemTime,
}

/// A Management API client for one tenant (Zeroth or Auth0).
#[derive(Clone)]
pub struct ManagementClient {
    http: reqwest::Client,
    base: String,
    credentials: Credentials,
    token: Arc<Mutex<Option<CachedToken>>>,
}

/// Options beyond the domain and credentials.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// An extra CA to trust (PEM), e.g. Zeroth's development CA.
    pub ca_cert: Option<std::path::PathBuf>,
    /// Per-request timeout (default 30 s).
    pub timeout: Option<Duration>,
}

impl ManagementClient {
    /// `domain` is `tenant.example.com`, `localhost:8443` or a full `https://…` base URL.
    pub fn new(domain: &str, credentials: Credentials) -> Result<Self> {
        Self::with_options(domain, credentials, Options::default())
    }

    pub fn with_options(domain: &str, credentials: Credentials, opts: Options) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(opts.timeout.unwrap_or(Duration::from_secs(30)))
            .user_agent(concat!("zeroth-client/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &opts.ca_cert {
            builder = builder.tls_certs_merge([load_ca(path)?]);
        }
        Ok(ManagementClient {
            http: builder.build()?,
            base: base_url(domain),
            credentials,
            token: Arc::new(Mutex::new(None)),
        })
    }

    /// `https://domain` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The Management API audience: `https://{domain}/api/v2/`.
    pub fn audience(&self) -> String {
        format!("{}/api/v2/", self.base)
    }

    /// A valid access token, fetched or reused from the cache.
    pub async fn access_token(&self) -> Result<String> {
        let (client_id, client_secret) = match &self.credentials {
            Credentials::Token(t) => return Ok(t.clone()),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        let mut cached = self.token.lock().await;
        if let Some(t) = cached.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(t.value.clone());
        }
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.as_str()),
            ("audience", &self.audience()),
        ];
        let url = format!("{}/oauth/token", self.base);
        let res = self
            .with_retries(|| self.http.post(&url).form(&form).send())
            .await?;
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
            return Err(Error::Token {
                error: text("error").unwrap_or_else(|| status.as_u16().to_string()),
                description: text("error_description")
                    .or_else(|| text("message"))
                    .unwrap_or_else(|| status.to_string()),
            });
        }
        let granted: TokenResponse = serde_json::from_value(body)?;
        let life = Duration::from_secs(granted.expires_in.unwrap_or(86_400));
        let keep = life.saturating_sub(EXPIRY_MARGIN).max(life / 2);
        *cached = Some(CachedToken {
            value: granted.access_token.clone(),
            renew_at: Instant::now() + keep,
            renew_at_wall: SystemTime::now() + keep,
        });
        Ok(granted.access_token)
    }

    /// The token in use and when it will be renewed, if one was fetched (or seeded).
    pub async fn cached_token(&self) -> Option<(String, SystemTime)> {
        let cached = self.token.lock().await;
        cached.as_ref().map(|t| (t.value.clone(), t.renew_at_wall))
    }

    /// Starts from a token fetched earlier (a CLI keeps one between commands) that may be
    /// used until `renew_at`; ignored once that has passed.
    pub async fn seed_token(&self, value: String, renew_at: SystemTime) {
        let Ok(left) = renew_at.duration_since(SystemTime::now()) else {
            return;
        };
        *self.token.lock().await = Some(CachedToken {
            value,
            renew_at: Instant::now() + left,
            renew_at_wall: renew_at,
        });
    }

    /// Any Management API call: `path` starts with `/api/v2/`; the raw JSON answer
    /// (`Value::Null` for an empty body).
    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        self.request_query(method, path, &[], body).await
    }

    pub(crate) async fn request_query(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value> {
        let url = format!("{}{}", self.base, path);
        let mut res = self.send_once(&method, &url, query, body).await?;
        // A cached token the tenant no longer accepts (its signing key revoked, say):
        // fetch a new one and try once more.
        if res.status() == StatusCode::UNAUTHORIZED
            && matches!(self.credentials, Credentials::ClientCredentials { .. })
        {
            *self.token.lock().await = None;
            res = self.send_once(&method, &url, query, body).await?;
        }
        let status = res.status();
        let bytes = res.bytes().await?;
        if status.is_success() {
            if bytes.is_empty() {
                return Ok(Value::Null);
            }
            return Ok(serde_json::from_slice(&bytes)?);
        }
        Err(Error::Api(
            serde_json::from_slice::<ApiError>(&bytes).unwrap_or_else(|_| ApiError {
                status_code: status.as_u16(),
                error: status.canonical_reason().unwrap_or_default().to_owned(),
                message: String::from_utf8_lossy(&bytes).into_owned(),
                error_code: None,
            }),
        ))
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Response> {
        let token = self.access_token().await?;
        let res = self
            .with_retries(|| {
                let mut req = self
                    .http
                    .request(method.clone(), url)
                    .bearer_auth(&token)
                    .query(query);
                if let Some(b) = body {
                    req = req.json(b);
                }
                req.send()
            })
            .await?;
        Ok(res)
    }

    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<T> {
        let v = self.request_query(method, path, query, body).await?;
        Ok(serde_json::from_value(v)?)
    }

    /// Sends, and on 429 waits as the server asks (`Retry-After`, else `x-ratelimit-reset`)
    /// and tries again, a bounded number of times.
    async fn with_retries<F, Fut>(&self, send: F) -> Result<Response>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = reqwest::Result<Response>>,
    {
        let mut attempt = 1;
        loop {
            let res = send().await?;
            if res.status() != StatusCode::TOO_MANY_REQUESTS || attempt >= MAX_ATTEMPTS {
                return Ok(res);
            }
            tokio::time::sleep(retry_wait(&res, attempt)).await;
            attempt += 1;
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

fn retry_wait(res: &Response, attempt: u32) -> Duration {
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    wait_for(
        header("retry-after"),
        header("x-ratelimit-reset"),
        now,
        attempt,
    )
}

/// `Retry-After` (seconds) wins; else `x-ratelimit-reset`, an absolute epoch second;
/// else exponential back-off from half a second. Bounded both ways so a bad header
/// neither spins nor parks the caller for hours.
fn wait_for(retry_after: Option<u64>, reset: Option<u64>, now: u64, attempt: u32) -> Duration {
    let wait = if let Some(secs) = retry_after {
        Duration::from_secs(secs)
    } else if let Some(reset) = reset {
        Duration::from_secs(reset.saturating_sub(now))
    } else {
        Duration::from_millis(500u64 << attempt.min(5))
    };
    wait.clamp(Duration::from_millis(100), MAX_WAIT)
}

fn base_url(domain: &str) -> String {
    let d = domain.trim().trim_end_matches('/');
    if d.starts_with("https://") || d.starts_with("http://") {
        d.to_owned()
    } else {
        format!("https://{d}")
    }
}

fn load_ca(path: &Path) -> Result<reqwest::Certificate> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::Config(format!("reading CA certificate {}: {e}", path.display())))?;
    Ok(reqwest::Certificate::from_pem(&pem)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_wins_then_the_reset_epoch_then_back_off() {
        assert_eq!(
            wait_for(Some(3), Some(1_000), 990, 1),
            Duration::from_secs(3)
        );
        assert_eq!(
            wait_for(None, Some(1_004), 1_000, 1),
            Duration::from_secs(4)
        );
        // A reset already past still waits a little rather than hammering.
        assert_eq!(
            wait_for(None, Some(900), 1_000, 1),
            Duration::from_millis(100)
        );
        assert_eq!(wait_for(None, None, 0, 1), Duration::from_secs(1));
        assert_eq!(wait_for(None, None, 0, 2), Duration::from_secs(2));
        assert_eq!(wait_for(Some(100_000), None, 0, 1), MAX_WAIT);
    }
}
