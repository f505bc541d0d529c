//! Durability from outside: the real `zeroth` binary as child processes, over HTTPS.
//!
//! `ZEROTH_TEST_ENGINE=postgres` (with `ZEROTH_TEST_POSTGRES_URL`) runs every server on
//! its own fresh PostgreSQL database; otherwise on SQLite in the data directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod harness;

mod concurrency;
mod creation_order;
mod export_import;
mod kill;
mod master_key;
mod sealed;
mod two_nodes;
