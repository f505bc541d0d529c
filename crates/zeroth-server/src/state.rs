//! The application state every handler shares.

use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use serde_json::{json, Value};
use zeroth_core::clients::rendered::Renders;
use zeroth_core::clients::service;
use zeroth_core::store::{KeyState, SigningKeyRow, Store};
use zeroth_core::tenant::Tenant;

use crate::oauth::AuthContext;

/// Cloned for every extractor and middleware a request passes: one reference count,
/// rather than one per shared part (eight atomic updates per clone and per drop, on
/// cache lines both cores write, were 3 % of a client list's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every handler shares, behind [`AppState`].
pub struct Shared {
    pub auth: Arc<AuthContext>,
    pub limiter: crate::ratelimit::RateLimiter,
    pub observer: crate::observe::Observer,
    /// Dashboard sign-in attempts per client IP: argon2 makes each guess slow, this
    /// bounds how many a caller gets (and how much CPU it can make us spend).
    pub login_attempts: Arc<crate::ratelimit::Limiter>,
    /// Whether the listener speaks TLS, so the dashboard's cookie can be `Secure`.
    pub tls: bool,
    /// The current signing certificate as Auth0 shows it in a client's `signing_keys`.
    signing_keys: Arc<RwLock<Arc<Value>>>,
    renders: Arc<Renders>,
}

impl FromRef<AppState> for Arc<AuthContext> {
    fn from_ref(s: &AppState) -> Self {
        s.auth.clone()
    }
}

impl AppState {
    /// `tls`: whether the listener speaks TLS.
    pub fn new(
        auth: Arc<AuthContext>,
        keys: &[SigningKeyRow],
        limits: crate::ratelimit::RateLimits,
        observer: crate::observe::Observer,
        tls: bool,
    ) -> Self {
        AppState(Arc::new(Shared {
            limiter: crate::ratelimit::RateLimiter::new(limits)
                .with_metrics(observer.metrics.clone()),
            auth,
            observer,
            tls,
            login_attempts: Arc::new(crate::ratelimit::Limiter::new(crate::admin::LOGIN_ATTEMPTS)),
            signing_keys: Arc::new(RwLock::new(Arc::new(signing_keys_json(keys)))),
            renders: Arc::default(),
        }))
    }
}

impl Shared {
    pub fn store(&self) -> &Store {
        &self.auth.store
    }

    pub fn tenant(&self) -> &Tenant {
        &self.auth.tenant
    }

    /// Refreshes what clients show after the tenant's keys changed.
    pub fn set_signing_keys(&self, keys: &[SigningKeyRow]) {
        if let Ok(mut v) = self.signing_keys.write() {
            *v = Arc::new(signing_keys_json(keys));
        }
    }

    pub fn clients_ctx(&self) -> service::Ctx<'_> {
        let signing_keys = self
            .signing_keys
            .read()
            .map(|v| Arc::clone(&v))
            .unwrap_or_else(|_| Arc::new(Value::Null));
        service::Ctx {
            store: &self.auth.store,
            tenant: &self.auth.tenant,
            signing_keys,
            renders: &self.renders,
        }
    }
}

fn signing_keys_json(keys: &[SigningKeyRow]) -> Value {
    Value::Array(
        keys.iter()
            .filter(|k| k.state == KeyState::Current)
            .map(|k| json!({"cert": k.cert_pem, "pkcs7": k.pkcs7_pem, "subject": "deprecated"}))
            .collect(),
    )
}
