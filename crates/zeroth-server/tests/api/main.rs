//! The clients resource end to end: the real server over HTTPS on SQLite or PostgreSQL (`ZEROTH_TEST_ENGINE`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![recursion_limit = "256"]

mod auth_errors;
mod bodies;
mod clients_create;
mod clients_delete_rotate;
mod clients_read;
mod clients_seed;
mod clients_update;
mod clients_visibility;
mod durability;
#[path = "../shared/mod.rs"]
mod shared;
mod support;
mod tokens;
