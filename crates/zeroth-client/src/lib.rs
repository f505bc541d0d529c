//! A typed client for the Auth0 Management API, against Zeroth or Auth0 alike.
//!
//! ```no_run
//! use zeroth_client::{Credentials, ManagementClient, models::Client};
//!
//! # async fn demo() -> zeroth_client::Result<()> {
//! let api = ManagementClient::new(
//!     "tenant.example.com",
//!     Credentials::ClientCredentials {
//!         client_id: "abc".into(),
//!         client_secret: "s3cret".into(),
//!     },
//! )?;
//! let app = api
//!     .create_client(&Client { name: Some("My app".into()), ..Client::default() })
//!     .await?;
//! println!("created {}", app.client_id.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Tokens are fetched from `/oauth/token` with the audience `https://{domain}/api/v2/`
//! and reused until shortly before they expire. A 429 is retried after the wait the
//! server asks for (`Retry-After`, else `x-ratelimit-reset`), a bounded number of times.
#![forbid(unsafe_code)]

mod apis;
mod client;
mod clients;
mod error;
mod logs;
pub mod models;

pub use client::{Credentials, ManagementClient, Options};
pub use clients::MAX_PER_PAGE;
pub use error::{ApiError, Error, Result};
pub use reqwest::Method;
