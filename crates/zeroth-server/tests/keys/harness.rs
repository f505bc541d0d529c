//! A real server per test: dev TLS in a tempdir, a fresh database on the chosen engine.

use std::net::SocketAddr;
use std::path::PathBuf;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use zeroth_server::config::ServeConfig;
use zeroth_server::start::{start, Running};

use crate::shared;

pub const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub struct Server {
    pub running: Running,
    pub http: reqwest::Client,
    pub base: String,
    pub admin_token: String,
    // Dropped last: the data directory outlives the server.
    pub _dir: Option<tempfile::TempDir>,
}

/// Where a test's data lives: a tempdir, and on PostgreSQL a fresh database.
pub struct Place {
    pub dir: tempfile::TempDir,
    pub database_url: Option<String>,
}

pub async fn place() -> Place {
    let dir = tempfile::tempdir().unwrap();
    let database_url = shared::database_url("zeroth_k_").await;
    Place { dir, database_url }
}

/// Starts a node on `place`; several nodes may share one place (one database) and,
/// through `domain`, one tenant.
pub async fn node(place: &Place, domain: Option<String>) -> Server {
    let data_dir: PathBuf = place.dir.path().to_path_buf();
    let mut cfg = ServeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), data_dir);
    cfg.database_url = place.database_url.clone();
    cfg.domain = domain;
    let running = start(cfg).await.unwrap();
    let http = shared::https_client_builder(&running).build().unwrap();
    // This node's own port, whatever the tenant's domain says.
    let base = format!("{}://localhost:{}", running.scheme, running.addr.port());
    let mut s = Server {
        running,
        http,
        base,
        admin_token: String::new(),
        _dir: None,
    };
    let (id, secret) = (
        s.running.admin.client_id.clone(),
        s.running.admin.client_secret.expose().to_string(),
    );
    s.admin_token = s.token_with_secret(&id, &secret).await;
    s
}

pub async fn server() -> Server {
    let p = place().await;
    let mut s = node(&p, None).await;
    s._dir = Some(p.dir);
    s
}

impl Server {
    pub fn audience(&self) -> String {
        self.running.tenant.management_audience()
    }

    pub async fn token_with_secret(&self, id: &str, secret: &str) -> String {
        let (status, body) = self
            .token_request(&[("client_id", id), ("client_secret", secret)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// `grant_type=client_credentials` for the Management API plus `extra`.
    pub async fn token_request(&self, extra: &[(&str, &str)]) -> (StatusCode, Value) {
        let aud = self.audience();
        let mut form = vec![("grant_type", "client_credentials"), ("audience", &aud)];
        form.extend_from_slice(extra);
        let res = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn admin(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.call(method, path, &self.admin_token, body).await
    }

    pub async fn jwks(&self) -> Value {
        let res = self
            .http
            .get(format!("{}/.well-known/jwks.json", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    /// A client with a client_credentials grant for the Management API with `scopes`;
    /// returns (client_id, client_secret).
    pub async fn client_with_scopes(&self, scopes: &[&str]) -> (String, String) {
        let (status, c) = self
            .admin(
                Method::POST,
                "/api/v2/clients",
                Some(json!({"name": "worker", "app_type": "non_interactive"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        let id = c["client_id"].as_str().unwrap().to_string();
        let secret = c["client_secret"].as_str().unwrap().to_string();
        let grant = zeroth_core::store::ClientGrantRow {
            id: zeroth_core::ids::client_grant_id(),
            client_id: Some(id.clone()),
            audience: self.audience(),
            doc: json!({"scope": scopes}).as_object().unwrap().clone(),
            created_at: zeroth_core::now_ms(),
            version: 1,
        };
        self.running
            .state
            .store()
            .insert_client_grant(&grant)
            .await
            .unwrap();
        (id, secret)
    }
}

/// The `kid` in a JWT's header.
pub fn header_kid(jwt: &str) -> String {
    let h = jwt.split('.').next().unwrap();
    let v: Value = serde_json::from_slice(&B64URL.decode(h).unwrap()).unwrap();
    v["kid"].as_str().unwrap().to_string()
}

/// Asserts Auth0's error envelope.
pub fn assert_envelope(status: StatusCode, body: &Value, want: u16, code: Option<&str>) {
    assert_eq!(status.as_u16(), want, "{body}");
    assert_eq!(body["statusCode"], want, "{body}");
    assert!(body["message"].is_string(), "{body}");
    assert_eq!(body["errorCode"].as_str(), code, "{body}");
}
