//! The library waits out 429s as the server asks instead of failing the caller.

use std::time::{Duration, Instant};

use zeroth_client::{Credentials, ManagementClient, Options};
use zeroth_server::ratelimit::{Rate, RateLimits};

use crate::harness::Server;

#[tokio::test(flavor = "multi_thread")]
async fn calls_beyond_the_burst_succeed_after_waiting() {
    let tiny = RateLimits {
        enabled: true,
        management: Rate {
            per_second: 1.0,
            burst: 2.0,
        },
        ..RateLimits::default()
    };
    let s = Server::start(tiny).await;
    let api = ManagementClient::with_options(
        &s.running.tenant.domain,
        Credentials::ClientCredentials {
            client_id: s.running.admin.client_id.clone(),
            client_secret: s.running.admin.client_secret.expose().to_owned(),
        },
        Options {
            ca_cert: Some(s.ca()),
            timeout: Some(Duration::from_secs(30)),
        },
    )
    .unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        api.clients_page(0, 10).await.unwrap();
    }
    // Two fit the burst; the other two each waited for a token to come back.
    assert!(started.elapsed() >= Duration::from_millis(900));
    s.running.stop().await.unwrap();
}
