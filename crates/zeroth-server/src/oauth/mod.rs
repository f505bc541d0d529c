//! OAuth 2.0 endpoints (`/oauth/token`) and the state they share with discovery and
//! the Management API's bearer check.

mod client_auth;
mod error;
mod token;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::routing::post;
use axum::Router;
use zeroth_core::store::Store;
use zeroth_core::tenant::Tenant;
use zeroth_core::tokens::TokenKeys;

pub use error::OAuthError;
pub use token::TokenResponse;

/// What the token endpoint, discovery and bearer check need. The app state embeds
/// an `Arc<AuthContext>` and implements `FromRef` for it.
pub struct AuthContext {
    pub store: Store,
    pub tenant: Tenant,
    pub keys: Arc<TokenKeys>,
}

impl AuthContext {
    /// Every `aud` accepted as this tenant's Management API.
    pub fn management_audiences(&self) -> Vec<String> {
        std::iter::once(&self.tenant.domain)
            .chain(self.tenant.aliases.iter())
            .map(|d| format!("https://{d}/api/v2/"))
            .collect()
    }
}

/// `POST /oauth/token`.
pub fn router<S>() -> Router<S>
where
    Arc<AuthContext>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/oauth/token", post(token::token))
}

#[cfg(test)]
mod tests;
