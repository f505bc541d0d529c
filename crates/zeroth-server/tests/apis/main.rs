//! APIs, grants and client-credentials tokens over real HTTPS, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod client_grants;
mod resource_servers;
mod scopes;
#[path = "../shared/mod.rs"]
mod shared;
mod tokens;

use std::net::SocketAddr;

use reqwest::Method;
use serde_json::{json, Value};
use zeroth_server::config::ServeConfig;
use zeroth_server::start::Running;

#[derive(Debug, Clone, Copy)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A running server with an HTTPS client that trusts its development CA and an admin
/// Management API token.
pub struct App {
    pub running: Running,
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    _dir: tempfile::TempDir,
}

impl App {
    /// `None` when the engine is PostgreSQL and no test cluster is configured.
    pub async fn start(engine: Engine) -> Option<App> {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = ServeConfig::new(
            "127.0.0.1:0".parse::<SocketAddr>().unwrap(),
            dir.path().join("data"),
        );
        if let Engine::Postgres = engine {
            match std::env::var("ZEROTH_TEST_POSTGRES_URL") {
                Ok(admin) => {
                    cfg.database_url = Some(shared::postgres_database(&admin, "zeroth_apis_").await)
                }
                Err(_) => {
                    eprintln!("ZEROTH_TEST_POSTGRES_URL unset: PostgreSQL variant skipped");
                    return None;
                }
            }
        }
        let running = zeroth_server::start::start(cfg).await.unwrap();
        let http = shared::https_client_builder(&running).build().unwrap();
        let base = running.base_url();
        assert!(base.starts_with("https://localhost:"));
        let mut app = App {
            http,
            base,
            token: String::new(),
            running,
            _dir: dir,
        };
        let (id, secret) = (
            app.running.admin.client_id.clone(),
            app.running.admin.client_secret.expose().to_string(),
        );
        let (s, body) = app
            .token_for(&id, &secret, &app.mgmt_audience(), None)
            .await;
        assert_eq!(s, 200, "{body}");
        app.token = body["access_token"].as_str().unwrap().to_string();
        Some(app)
    }

    pub fn mgmt_audience(&self) -> String {
        format!("{}/api/v2/", self.base)
    }

    /// A Management API call with the admin token (or `token`); answers (status, JSON).
    pub async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/api/v2{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token, method, path, body).await
    }

    /// A client_credentials request with the secret in the body.
    pub async fn token_for(
        &self,
        client_id: &str,
        secret: &str,
        audience: &str,
        scope: Option<&str>,
    ) -> (u16, Value) {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("audience", audience),
        ];
        if let Some(s) = scope {
            form.push(("scope", s));
        }
        let res = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }

    /// Creates a client; answers (client_id, client_secret).
    pub async fn client(&self, body: Value) -> (String, String) {
        let (s, c) = self.call(Method::POST, "/clients", Some(body)).await;
        assert_eq!(s, 201, "{c}");
        (
            c["client_id"].as_str().unwrap().to_string(),
            c["client_secret"].as_str().unwrap().to_string(),
        )
    }

    /// A machine-to-machine client allowed the client_credentials grant.
    pub async fn m2m(&self, name: &str) -> (String, String) {
        self.client(json!({"name": name, "app_type": "non_interactive",
            "grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_post"}))
            .await
    }

    pub async fn api(&self, body: Value) -> Value {
        let (s, api) = self
            .call(Method::POST, "/resource-servers", Some(body))
            .await;
        assert_eq!(s, 201, "{api}");
        api
    }

    pub async fn grant(&self, client_id: &str, audience: &str, scope: Value) -> Value {
        let body = json!({"client_id": client_id, "audience": audience, "scope": scope});
        let (s, g) = self.call(Method::POST, "/client-grants", Some(body)).await;
        assert_eq!(s, 201, "{g}");
        g
    }

    pub async fn stop(self) {
        self.running.stop().await.unwrap();
    }
}

/// Auth0's error envelope.
pub fn envelope(status: u16, error: &str, message: &str, code: &str) -> Value {
    json!({"statusCode": status, "error": error, "message": message, "errorCode": code})
}

/// Runs `$name(App)` once per engine.
#[macro_export]
macro_rules! both_engines {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = $crate::App::start($crate::Engine::Sqlite).await {
                    super::$name(&app).await;
                    app.stop().await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::App::start($crate::Engine::Postgres).await {
                    super::$name(&app).await;
                    app.stop().await;
                }
            }
        }
    };
}
