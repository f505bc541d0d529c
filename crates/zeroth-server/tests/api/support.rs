//! TestApp: the real server in-process over real HTTPS on SQLite or PostgreSQL, and a client for it.

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::Method;
use serde_json::{json, Value};
use zeroth_core::tokens::Claims;
use zeroth_server::config::ServeConfig;
use zeroth_server::start::{start, Running};

use crate::shared;

/// What every Management API response must declare.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// One answer: status, headers and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Res {
    /// The Auth0 error envelope's `message`.
    pub fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or("")
    }

    /// Asserts an Auth0 error envelope with this status, errorCode (or none) and message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: Option<&str>, message: &str) {
        assert_eq!(self.status, status, "unexpected answer: {:#}", self.json);
        assert_eq!(self.json["statusCode"], json!(status), "{:#}", self.json);
        let reason = http_reason(status);
        assert_eq!(self.json["error"], json!(reason), "{:#}", self.json);
        assert_eq!(self.message(), message, "{:#}", self.json);
        match code {
            Some(c) => assert_eq!(self.json["errorCode"], json!(c), "{:#}", self.json),
            None => assert!(self.json.get("errorCode").is_none(), "{:#}", self.json),
        }
    }
}

fn http_reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("?")
}

/// A running tenant and an HTTPS client that trusts its development CA.
pub struct TestApp {
    running: Option<Running>,
    /// The data directory (master key, dev TLS, SQLite file); removed when the app drops.
    pub dir: tempfile::TempDir,
    database_url: Option<String>,
    pub http: reqwest::Client,
    pub addr: SocketAddr,
    pub domain: String,
    pub admin_id: String,
    pub admin_secret: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = shared::database_url("zeroth_api_").await;
        let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let running = boot(listen, dir.path().to_path_buf(), database_url.clone()).await;
        let http = client_for(&running);
        TestApp {
            addr: running.addr,
            domain: running.tenant.domain.clone(),
            admin_id: running.admin.client_id.clone(),
            admin_secret: running.admin.client_secret.expose().to_string(),
            running: Some(running),
            dir,
            database_url,
            http,
        }
    }

    /// Stops the server gracefully and starts it again on the same data, database and port.
    pub async fn restart(&mut self) {
        // A fresh client, so no pooled connection to the old server survives.
        self.http = reqwest::Client::new();
        let old = self.running.take().unwrap();
        old.stop().await.unwrap();
        let running = boot(
            self.addr,
            self.dir.path().to_path_buf(),
            self.database_url.clone(),
        )
        .await;
        assert_eq!(running.tenant.domain, self.domain);
        self.http = client_for(&running);
        self.admin_id = running.admin.client_id.clone();
        self.admin_secret = running.admin.client_secret.expose().to_string();
        self.running = Some(running);
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.domain, path)
    }

    pub fn audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    /// A token for the admin client with every scope its grant holds.
    pub async fn admin_token(&self) -> String {
        self.token_for(&self.admin_id, &self.admin_secret, None)
            .await
            .unwrap()
    }

    /// A token for the admin client narrowed to `scopes` with the token request's `scope`.
    pub async fn token_with_scopes(&self, scopes: &[&str]) -> String {
        self.token_for(&self.admin_id, &self.admin_secret, Some(&scopes.join(" ")))
            .await
            .unwrap()
    }

    /// Asks /oauth/token for a Management API token; `Err` is the token endpoint's answer.
    pub async fn token_for(
        &self,
        client_id: &str,
        secret: &str,
        scope: Option<&str>,
    ) -> Result<String, Res> {
        let mut form = vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", client_id.to_string()),
            ("client_secret", secret.to_string()),
            ("audience", self.audience()),
        ];
        if let Some(s) = scope {
            form.push(("scope", s.to_string()));
        }
        let res = self
            .send(self.http.post(self.url("/oauth/token")).form(&form))
            .await;
        if res.status == 200 {
            Ok(res.json["access_token"].as_str().unwrap().to_string())
        } else {
            Err(res)
        }
    }

    /// Signs `claims` with the tenant's own current key (to forge expired or misdirected tokens).
    pub fn sign_as_tenant(&self, claims: &Claims) -> String {
        let running = self.running.as_ref().unwrap();
        running.state.auth.keys.sign(claims).unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> Res {
        self.send(self.http.get(self.url(path)).bearer_auth(token))
            .await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Res {
        self.send(self.http.post(self.url(path)).bearer_auth(token).json(body))
            .await
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Res {
        self.send(
            self.http
                .patch(self.url(path))
                .bearer_auth(token)
                .json(body),
        )
        .await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Res {
        self.send(self.http.delete(self.url(path)).bearer_auth(token))
            .await
    }

    /// A request with a raw body and content type (for body-handling tests).
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

    /// Sends and reads the answer, checking the content type every response must carry.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Res {
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        assert_eq!(
            headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some(JSON_UTF8),
            "content type of a {status} answer: {json:#}"
        );
        Res {
            status,
            headers,
            json,
        }
    }

    /// Creates a client as the admin and returns it (asserting 201).
    pub async fn create_client(&self, body: Value) -> Value {
        let res = self
            .post(&self.admin_token().await, "/api/v2/clients", &body)
            .await;
        assert_eq!(res.status, 201, "{:#}", res.json);
        res.json
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The server task dies with the test's runtime; nothing to wait for.
        self.running.take();
    }
}

async fn boot(listen: SocketAddr, data_dir: PathBuf, database_url: Option<String>) -> Running {
    let mut cfg = ServeConfig::new(listen, data_dir);
    cfg.database_url = database_url;
    start(cfg).await.unwrap()
}

fn client_for(running: &Running) -> reqwest::Client {
    shared::https_client_builder(running).build().unwrap()
}

/// The id of a client object.
pub fn id_of(client: &Value) -> String {
    client["client_id"].as_str().unwrap().to_string()
}

/// Keys of a JSON object, sorted.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}
