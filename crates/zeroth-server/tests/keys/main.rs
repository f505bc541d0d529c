//! Signing keys, client credentials and private_key_jwt over real HTTPS, on SQLite and
//! (with `ZEROTH_TEST_ENGINE=postgres`) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assertion;
mod credentials;
mod harness;
#[path = "../shared/mod.rs"]
mod shared;
mod signing;
