//! Operations: rate limits, tenant logs, metrics, health and request ids over real HTTPS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod health;
mod logs;
mod ratelimit;
#[path = "../shared/mod.rs"]
mod shared;
mod support;
