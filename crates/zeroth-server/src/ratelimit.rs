//! Token-bucket rate limits behind Auth0's `x-ratelimit-*` headers and 429 envelope.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::envelope;
use crate::metrics::Metrics;

mod client;

/// One limit: `burst` requests at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

/// The limits of a tenant. Generous by default: Zeroth's point is no rate-limit wall,
/// the buckets only keep one abusive caller from starving the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    pub enabled: bool,
    /// The whole Management API of the tenant.
    pub management: Rate,
    /// `/oauth/token` per caller IP.
    pub token_per_ip: Rate,
    /// `/oauth/token` per client the request names, so one busy client cannot starve
    /// the others behind the same IP (a NAT, a proxy, one CI runner).
    pub token_per_client: Rate,
}

impl Rate {
    /// `n` per second with bursts of twice as many (`n` of 0 reads as 1).
    pub fn per_second(n: u32) -> Rate {
        let n = f64::from(n.max(1));
        Rate {
            per_second: n,
            burst: 2.0 * n,
        }
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            enabled: true,
            management: Rate {
                per_second: 2000.0,
                burst: 4000.0,
            },
            token_per_ip: Rate::per_second(2000),
            token_per_client: Rate::per_second(1000),
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// What a bucket said about one request.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// Seconds until the bucket has a token again (0 when it has one now).
    pub retry_after: u64,
    /// Epoch seconds at which the bucket is full again.
    pub reset: u64,
}

/// Keyed token buckets. Entries for idle keys are dropped when the map grows, so a
/// flood of distinct IPs cannot grow it without bound.
pub struct Limiter {
    rate: Rate,
    buckets: Mutex<HashMap<String, Bucket>>,
}

const MAX_KEYS: usize = 100_000;

impl Limiter {
    pub fn new(rate: Rate) -> Self {
        Limiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, key: &str) -> Verdict {
        let now = Instant::now();
        let rate = self.rate;
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= MAX_KEYS && !map.contains_key(key) {
            // Full buckets carry no state worth keeping.
            map.retain(|_, b| refill(b, rate, now) < rate.burst);
        }
        let bucket = map.entry(key.to_string()).or_insert(Bucket {
            tokens: rate.burst,
            at: now,
        });
        let tokens = refill(bucket, rate, now);
        bucket.at = now;
        let allowed = tokens >= 1.0;
        bucket.tokens = if allowed { tokens - 1.0 } else { tokens };
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let to_full = ((rate.burst - bucket.tokens) / rate.per_second).ceil() as u64;
        let retry_after = if allowed {
            0
        } else {
            ((1.0 - bucket.tokens) / rate.per_second).ceil().max(1.0) as u64
        };
        Verdict {
            allowed,
            limit: rate.burst as u64,
            remaining: bucket.tokens.floor().max(0.0) as u64,
            retry_after,
            reset: epoch + to_full,
        }
    }
}

fn refill(b: &Bucket, rate: Rate, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
    (b.tokens + elapsed * rate.per_second).min(rate.burst)
}

/// The tenant's limiters, shared by every request.
#[derive(Clone)]
pub struct RateLimiter {
    limits: RateLimits,
    management: Arc<Limiter>,
    token_per_ip: Arc<Limiter>,
    token_per_client: Arc<Limiter>,
    /// Refusals never reach the observing layer, so they are counted here.
    metrics: Option<Arc<Metrics>>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        RateLimiter {
            limits,
            management: Arc::new(Limiter::new(limits.management)),
            token_per_ip: Arc::new(Limiter::new(limits.token_per_ip)),
            token_per_client: Arc::new(Limiter::new(limits.token_per_client)),
            metrics: None,
        }
    }

    /// Counts refusals (by route and status) in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }
}

fn set_headers(headers: &mut HeaderMap, v: &Verdict) {
    for (name, value) in [
        ("x-ratelimit-limit", v.limit),
        ("x-ratelimit-remaining", v.remaining),
        ("x-ratelimit-reset", v.reset),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}

fn refusal(v: &Verdict, oauth: bool) -> Response {
    let mut res = if oauth {
        let body = serde_json::json!({
            "error": "too_many_requests",
            "error_description": "Rate limit exceeded for this caller",
        });
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
    } else {
        envelope(
            StatusCode::TOO_MANY_REQUESTS,
            "Global limit has been reached",
            Some("too_many_requests"),
        )
    };
    set_headers(res.headers_mut(), v);
    res.headers_mut()
        .insert(http::header::RETRY_AFTER, HeaderValue::from(v.retry_after));
    res
}

/// Applies the Management API bucket (with headers on every answer) and the per-IP and
/// per-client token-endpoint buckets.
pub async fn middleware(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    if !limiter.limits.enabled {
        return next.run(req).await;
    }
    let started = Instant::now();
    let path = req.uri().path();
    let (req, verdict, oauth) = if path.starts_with("/api/v2/") {
        let v = limiter.management.check("tenant");
        (req, v, false)
    } else if path == "/oauth/token" {
        match token_verdict(&limiter, req).await {
            Ok((req, v)) => (req, v, true),
            Err(rejection) => return rejection.into_response(),
        }
    } else {
        return next.run(req).await;
    };
    if !verdict.allowed {
        tracing::warn!(path = %req.uri().path(), "rate limit refused a request");
        if let Some(m) = &limiter.metrics {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("unmatched", MatchedPath::as_str);
            m.observe_request(route, req.method().as_str(), 429, started.elapsed());
        }
        return refusal(&verdict, oauth);
    }
    let mut res = next.run(req).await;
    set_headers(res.headers_mut(), &verdict);
    res
}

/// The per-IP bucket first (cheap, and it bounds the body reads a flood can cause),
/// then the bucket of the client the request names. The answer reports whichever
/// bucket is closer to refusing.
async fn token_verdict(
    limiter: &RateLimiter,
    req: Request,
) -> Result<(Request, Verdict), crate::body::BodyRejection> {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let by_ip = limiter.token_per_ip.check(&ip);
    if !by_ip.allowed {
        return Ok((req, by_ip));
    }
    let (req, client) = client::claimed_client(req).await?;
    let Some(client) = client else {
        return Ok((req, by_ip));
    };
    let by_client = limiter.token_per_client.check(&client);
    let tighter = if !by_client.allowed || by_client.remaining < by_ip.remaining {
        by_client
    } else {
        by_ip
    };
    Ok((req, tighter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_with_a_retry_time() {
        let l = Limiter::new(Rate {
            per_second: 1.0,
            burst: 3.0,
        });
        let verdicts: Vec<Verdict> = (0..4).map(|_| l.check("a")).collect();
        assert!(verdicts[..3].iter().all(|v| v.allowed));
        assert_eq!(verdicts[0].remaining, 2);
        assert_eq!(verdicts[2].remaining, 0);
        assert!(!verdicts[3].allowed);
        assert!(verdicts[3].retry_after >= 1);
        // Other keys have their own bucket.
        assert!(l.check("b").allowed);
    }
}
