//! Zeroth's HTTP layer: the Auth0-shaped Management API, OAuth endpoints and TLS.
#![forbid(unsafe_code)]

pub mod tls;
