//! The `zeroth` process as operators run it: configuration, JSON logs, SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod config;
mod process;
mod shutdown;
