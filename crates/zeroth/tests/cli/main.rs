//! The management CLI as a new user drives it: the real `zeroth` binary against a real
//! server over HTTPS with the development CA; and the client library's 429 retries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod apis_grants;
mod apps;
mod paging;
mod retry;
