//! Zeroth's HTTP layer: the Auth0-shaped Management API, OAuth endpoints and TLS.
#![forbid(unsafe_code)]

pub mod auth;
pub mod oauth;
pub mod tls;
pub mod well_known;
