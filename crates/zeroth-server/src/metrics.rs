//! Prometheus metrics, served on their own listener so they never leak through the API port.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::Router;

/// Upper bounds (seconds) of the latency histograms.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.counts[i] += 1;
            }
        }
        self.sum += secs;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, le) in BUCKETS.iter().enumerate() {
            let n = self.counts.get(i).copied().unwrap_or(0);
            out.push_str(&format!("{name}_bucket{{{labels}{sep}le=\"{le}\"}} {n}\n"));
        }
        out.push_str(&format!(
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}\n",
            self.count
        ));
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        out.push_str(&format!(
            "{name}_sum{braces} {}\n{name}_count{braces} {}\n",
            self.sum, self.count
        ));
    }
}

/// Everything Zeroth counts. Cheap to share; locks are held for a map update only.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    db_latency: Mutex<Histogram>,
    pub tokens_issued: AtomicU64,
    pub token_failures: AtomicU64,
    pub validation_failures: AtomicU64,
    pub rate_limited: AtomicU64,
}

impl Metrics {
    pub fn observe_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), method.to_string(), status))
                .or_insert(0) += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            m.entry(route.to_string())
                .or_default()
                .observe(elapsed.as_secs_f64());
        }
        match status {
            429 => {
                self.rate_limited.fetch_add(1, Ordering::Relaxed);
            }
            400 if route.starts_with("/api/v2/") => {
                self.validation_failures.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    pub fn observe_db(&self, elapsed: Duration) {
        if let Ok(mut h) = self.db_latency.lock() {
            h.observe(elapsed.as_secs_f64());
        }
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP zeroth_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE zeroth_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, method, status), n) in m.iter() {
                out.push_str(&format!(
                    "zeroth_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}\n",
                    escape(route)
                ));
            }
        }
        out.push_str("# HELP zeroth_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE zeroth_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                let labels = format!("route=\"{}\"", escape(route));
                h.render(&mut out, "zeroth_http_request_duration_seconds", &labels);
            }
        }
        out.push_str(
            "# HELP zeroth_db_ping_duration_seconds Database round trips of the health probe.\n",
        );
        out.push_str("# TYPE zeroth_db_ping_duration_seconds histogram\n");
        if let Ok(h) = self.db_latency.lock() {
            h.render(&mut out, "zeroth_db_ping_duration_seconds", "");
        }
        for (name, help, v) in [
            (
                "zeroth_tokens_issued_total",
                "Access tokens issued.",
                &self.tokens_issued,
            ),
            (
                "zeroth_token_failures_total",
                "Refused token requests.",
                &self.token_failures,
            ),
            (
                "zeroth_validation_failures_total",
                "Management API requests refused with 400.",
                &self.validation_failures,
            ),
            (
                "zeroth_rate_limited_total",
                "Requests refused by a rate limit.",
                &self.rate_limited,
            ),
        ] {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                v.load(Ordering::Relaxed)
            ));
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

async fn scrape(State(m): State<Arc<Metrics>>) -> ([(http::HeaderName, &'static str); 1], String) {
    (
        [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        m.render(),
    )
}

/// Serves `GET /metrics` over plain HTTP on `addr` until the process ends.
pub async fn serve(addr: SocketAddr, metrics: Arc<Metrics>) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "metrics listener stopped");
        }
    });
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.observe_request("/api/v2/clients", "GET", 200, Duration::from_millis(3));
        m.observe_request("/api/v2/clients", "POST", 400, Duration::from_millis(1));
        m.tokens_issued.fetch_add(2, Ordering::Relaxed);
        let text = m.render();
        assert!(text.contains(
            "zeroth_http_requests_total{route=\"/api/v2/clients\",method=\"GET\",status=\"200\"} 1"
        ));
        assert!(text
            .contains("zeroth_http_request_duration_seconds_count{route=\"/api/v2/clients\"} 2"));
        assert!(text.contains("zeroth_tokens_issued_total 2"));
        assert!(text.contains("zeroth_validation_failures_total 1"));
    }
}
