//! Zeroth's domain: applications (clients), APIs, grants, keys, tokens, secrets and storage.
#![forbid(unsafe_code)]

pub mod bootstrap;
pub mod client_grants;
pub mod clients;
pub mod credentials;
pub mod crypto;
pub mod dashboard;
pub mod error;
pub mod ids;
pub mod logs;
pub mod resource_servers;
pub mod schema;
pub mod scopes;
pub mod secret;
pub mod signing_keys;
pub mod store;
pub mod tenant;
pub mod tokens;

pub use error::Error;
pub use secret::Secret;

/// Milliseconds since the Unix epoch: the one clock every table uses.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
