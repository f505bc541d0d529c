//! Zeroth's HTTP layer: the Auth0-shaped Management API, OAuth endpoints and TLS.
#![forbid(unsafe_code)]

pub mod admin;
pub mod app;
pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod health;
pub mod metrics;
pub mod mgmt;
pub mod oauth;
pub mod observe;
pub mod openapi;
pub mod query;
pub mod ratelimit;
pub mod response;
pub mod start;
pub mod state;
pub mod tls;
pub mod well_known;
