//! TestApp for operations tests: the real server over HTTPS with a configuration hook.

use reqwest::header::HeaderMap;
use serde_json::Value;
use sqlx::Connection as _;
use zeroth_server::config::ServeConfig;
use zeroth_server::start::{start, Running};

use crate::shared;

/// One answer: status, headers and the body as JSON (`Null` when not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_u64(&self, name: &str) -> u64 {
        self.header(name)
            .unwrap_or_else(|| panic!("no {name}: {:?}", self.headers))
            .parse()
            .unwrap()
    }
}

/// Drops a PostgreSQL database out from under the server (a real outage).
pub async fn drop_postgres_database(name: &str) {
    let admin = std::env::var("ZEROTH_TEST_POSTGRES_URL").unwrap();
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

pub struct TestApp {
    pub running: Running,
    pub _dir: tempfile::TempDir,
    pub http: reqwest::Client,
    pub domain: String,
    pub admin_id: String,
    pub admin_secret: String,
    /// The PostgreSQL database's name, when the engine is PostgreSQL.
    pub pg_name: Option<String>,
}

impl TestApp {
    /// A server with metrics served on an ephemeral port and `tweak` applied to its config.
    pub async fn spawn_with(tweak: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = shared::database_url("zeroth_ops_").await;
        let pg_name = database_url.as_deref().map(|u| {
            let u = url::Url::parse(u).unwrap();
            u.path().trim_start_matches('/').to_string()
        });
        let mut cfg = ServeConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
        cfg.database_url = database_url;
        cfg.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
        tweak(&mut cfg);
        let running = start(cfg).await.unwrap();
        let http = shared::https_client_builder(&running)
            .user_agent("zeroth-ops-tests/1.0")
            .build()
            .unwrap();
        TestApp {
            domain: running.tenant.domain.clone(),
            admin_id: running.admin.client_id.clone(),
            admin_secret: running.admin.client_secret.expose().to_string(),
            running,
            _dir: dir,
            http,
            pg_name,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.domain, path)
    }

    pub fn audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    /// Asks /oauth/token for a Management API token (form post); the whole answer.
    pub async fn token_res(&self, client_id: &str, secret: &str, scope: Option<&str>) -> Res {
        let mut form = vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", client_id.to_string()),
            ("client_secret", secret.to_string()),
            ("audience", self.audience()),
        ];
        if let Some(s) = scope {
            form.push(("scope", s.to_string()));
        }
        self.send(self.http.post(self.url("/oauth/token")).form(&form))
            .await
    }

    pub async fn token(&self, scope: Option<&str>) -> String {
        let res = self
            .token_res(&self.admin_id, &self.admin_secret, scope)
            .await;
        assert_eq!(res.status, 200, "{:#}", res.json);
        res.json["access_token"].as_str().unwrap().to_string()
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

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Res {
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            json,
        }
    }

    /// The Prometheus text from the metrics listener.
    pub async fn metrics(&self) -> String {
        let addr = self.running.metrics_addr.unwrap();
        let res = reqwest::get(format!("http://{addr}/metrics"))
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.text().await.unwrap()
    }
}

/// The value of the sample line starting with `prefix` (labels included), or 0.
pub fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse().unwrap())
        .unwrap_or(0.0)
}
