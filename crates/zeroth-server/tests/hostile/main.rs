//! Hostile input against the real server over HTTPS: bodies, headers, slow clients, forged tokens, fuzzed PATCHes, and the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bodies;
mod headers;
mod openapi;
mod patch;
mod raw;
#[path = "../shared/mod.rs"]
mod shared;
mod support;
mod tokens;
