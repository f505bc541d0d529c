//! The dashboard end to end: the real server over HTTPS on SQLite or PostgreSQL (`ZEROTH_TEST_ENGINE`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod forms;
mod login;
mod pages;
#[path = "../shared/mod.rs"]
mod shared;
mod support;
