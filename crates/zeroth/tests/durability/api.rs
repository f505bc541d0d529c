//! Talking to a spawned server as an operator would: its CA, its admin credentials, HTTPS.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

/// What `<data_dir>/admin-credentials.json` holds.
#[derive(Clone, Debug)]
pub struct AdminCreds {
    pub client_id: String,
    pub client_secret: String,
    pub audience: String,
}

pub fn admin_creds(data_dir: &Path) -> AdminCreds {
    let text = std::fs::read_to_string(data_dir.join("admin-credentials.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    AdminCreds {
        client_id: s("client_id"),
        client_secret: s("client_secret"),
        audience: s("audience"),
    }
}

/// An HTTPS client trusting only the data directory's development CA.
pub fn http_for(data_dir: &Path) -> reqwest::Client {
    let pem = std::fs::read(data_dir.join("tls").join("ca.pem")).unwrap();
    let ca = reqwest::Certificate::from_pem(&pem).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([ca])
        // The server listens on 127.0.0.1 only; `localhost` may resolve to ::1 first.
        .resolve("localhost", "127.0.0.1:0".parse().unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `POST /oauth/token` with client credentials; the raw status and body.
pub async fn token_response(
    http: &reqwest::Client,
    base: &str,
    client_id: &str,
    secret: &str,
    audience: &str,
) -> (StatusCode, Value) {
    let res = http
        .post(format!("{base}/oauth/token"))
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "audience": audience,
        }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A Management API session as the admin client.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Api {
    /// Trusts `ca_dir`'s CA, calls `base`, and signs in with `creds`.
    pub async fn connect(ca_dir: &Path, base: &str, creds: &AdminCreds) -> Api {
        let http = http_for(ca_dir);
        let (status, body) = token_response(
            &http,
            base,
            &creds.client_id,
            &creds.client_secret,
            &creds.audience,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "admin token: {body}");
        Api {
            http,
            base: base.to_string(),
            token: body["access_token"].as_str().unwrap().to_string(),
        }
    }

    /// The usual case: one node, its own data directory.
    pub async fn admin(data_dir: &Path, base: &str) -> Api {
        Api::connect(data_dir, base, &admin_creds(data_dir)).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v2{path}", self.base)
    }

    /// Any request; a transport error (the server died) is an `Err`, not a panic.
    pub async fn try_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Value), reqwest::Error> {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await?;
        let status = res.status();
        let body = res.json().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        self.try_send(method, path, body).await.unwrap()
    }

    /// Creates a client and returns it (with its secret); panics on anything but 201.
    pub async fn create_client(&self, body: Value) -> Value {
        let (status, v) = self
            .send(reqwest::Method::POST, "/clients", Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "create: {v}");
        v
    }

    /// A machine-to-machine client, as an operator makes for a backend service.
    pub async fn create_m2m(&self, name: &str) -> Value {
        self.create_client(json!({
            "name": name,
            "app_type": "non_interactive",
            "grant_types": ["client_credentials"],
        }))
        .await
    }

    pub async fn get_client(&self, id: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, &format!("/clients/{id}"), None)
            .await
    }

    pub async fn patch_client(&self, id: &str, body: &Value) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::PATCH,
            &format!("/clients/{id}"),
            Some(body),
        )
        .await
    }

    /// Every client id, paging through the list.
    pub async fn all_client_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for page in 0..50 {
            let (status, v) = self
                .send(
                    reqwest::Method::GET,
                    &format!("/clients?per_page=100&page={page}&fields=client_id"),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "list: {v}");
            let items = v.as_array().unwrap();
            ids.extend(
                items
                    .iter()
                    .map(|c| c["client_id"].as_str().unwrap().to_string()),
            );
            if items.len() < 100 {
                return ids;
            }
        }
        panic!("more than 5000 clients listed");
    }
}
