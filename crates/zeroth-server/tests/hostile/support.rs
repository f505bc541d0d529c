//! TestApp (after tests/api/support.rs): the real server in-process over real HTTPS, on SQLite or PostgreSQL.

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::Method;
use serde_json::{json, Value};
use zeroth_server::config::ServeConfig;
use zeroth_server::start::{start, Running};

use crate::shared;

/// One answer: status, headers, the raw body and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub json: Value,
}

impl Res {
    /// Asserts Auth0's error envelope with this status.
    #[track_caller]
    pub fn assert_envelope(&self, status: u16) {
        assert_eq!(self.status, status, "unexpected answer: {:#}", self.json);
        assert_eq!(self.json["statusCode"], json!(status), "{:#}", self.json);
        let reason = reqwest::StatusCode::from_u16(status)
            .unwrap()
            .canonical_reason()
            .unwrap();
        assert_eq!(self.json["error"], json!(reason), "{:#}", self.json);
        assert!(self.json["message"].is_string(), "{:#}", self.json);
        assert_eq!(
            self.headers.get(CONTENT_TYPE).unwrap(),
            "application/json; charset=utf-8"
        );
    }

    pub fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or("")
    }
}

pub struct TestApp {
    pub running: Running,
    /// Kept so the data directory lives as long as the server.
    _dir: tempfile::TempDir,
    pub http: reqwest::Client,
    pub addr: SocketAddr,
    pub domain: String,
    pub admin_id: String,
    pub admin_secret: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// A server whose configuration `tune` adjusts first (e.g. a short header timeout).
    pub async fn spawn_with(tune: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = shared::database_url("zeroth_hostile_").await;
        let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let mut cfg = ServeConfig::new(listen, PathBuf::from(dir.path()));
        cfg.database_url = database_url;
        tune(&mut cfg);
        let running = start(cfg).await.unwrap();
        let http = shared::https_client_builder(&running).build().unwrap();
        TestApp {
            addr: running.addr,
            domain: running.tenant.domain.clone(),
            admin_id: running.admin.client_id.clone(),
            admin_secret: running.admin.client_secret.expose().to_string(),
            running,
            _dir: dir,
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.domain, path)
    }

    pub fn audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.running.ca_cert.as_ref().unwrap()).unwrap()
    }

    pub async fn admin_token(&self) -> String {
        let form = [
            ("grant_type", "client_credentials".to_string()),
            ("client_id", self.admin_id.clone()),
            ("client_secret", self.admin_secret.clone()),
            ("audience", self.audience()),
        ];
        let res = self
            .send(self.http.post(self.url("/oauth/token")).form(&form))
            .await;
        assert_eq!(res.status, 200, "{:#}", res.json);
        res.json["access_token"].as_str().unwrap().to_string()
    }

    pub async fn call(&self, method: Method, token: &str, path: &str, body: Option<&Value>) -> Res {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        self.send(req).await
    }

    /// A request with a raw body and content type.
    pub async fn raw(
        &self,
        method: Method,
        token: &str,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Res {
        self.send(
            self.http
                .request(method, self.url(path))
                .bearer_auth(token)
                .header(CONTENT_TYPE, content_type)
                .body(body),
        )
        .await
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Res {
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap().to_vec();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Res {
            status,
            headers,
            bytes,
            json,
        }
    }

    /// The server still does its ordinary work: a token, then a list of clients.
    pub async fn assert_alive(&self) {
        let token = self.admin_token().await;
        let res = self
            .call(Method::GET, &token, "/api/v2/clients", None)
            .await;
        assert_eq!(res.status, 200, "{:#}", res.json);
    }

    /// Creates a client as the admin and returns its id.
    pub async fn create_client(&self, token: &str, body: Value) -> String {
        let res = self
            .call(Method::POST, token, "/api/v2/clients", Some(&body))
            .await;
        assert_eq!(res.status, 201, "{:#}", res.json);
        res.json["client_id"].as_str().unwrap().to_string()
    }
}
