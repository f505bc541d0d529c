//! Dashboard: a running tenant, a browser-like client (cookies by hand, no redirects followed).

use std::net::SocketAddr;

use reqwest::header::{HeaderMap, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use serde_json::Value;
use zeroth_server::config::ServeConfig;
use zeroth_server::start::{start, Running};

use crate::shared;

pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookie(&self) -> &str {
        self.headers
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf_token\" value=\"")
            .expect("a form with a CSRF token");
        let rest = &self.body[at + "name=\"csrf_token\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

pub struct Dash {
    pub running: Running,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
    pub password: String,
    /// `zeroth_admin=<token>` once signed in.
    pub cookie: Option<String>,
}

impl Dash {
    pub async fn spawn() -> Dash {
        Dash::spawn_with(None).await
    }

    /// With `password`, as if `ZEROTH_ADMIN_PASSWORD` were set.
    pub async fn spawn_with(password: Option<&str>) -> Dash {
        let dir = tempfile::tempdir().unwrap();
        let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let mut cfg = ServeConfig::new(listen, dir.path().to_path_buf());
        cfg.database_url = shared::database_url("zeroth_admin_").await;
        cfg.admin.password = password.map(zeroth_core::Secret::new);
        let running = start(cfg).await.unwrap();
        let creds: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("admin-credentials.json")).unwrap(),
        )
        .unwrap();
        let http = shared::https_client_builder(&running)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Dash {
            password: creds["dashboard_password"].as_str().unwrap().to_string(),
            running,
            _dir: dir,
            http,
            cookie: None,
        }
    }

    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn origin(&self) -> String {
        format!("https://{}", self.running.tenant.domain)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Page {
        let req = match &self.cookie {
            Some(c) => req.header(COOKIE, c),
            None => req,
        };
        let res = req.send().await.unwrap();
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.origin())))
            .await
    }

    /// A form POST as a browser on the dashboard sends it (with `Origin`).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from(path, form, Some(&self.origin())).await
    }

    pub async fn post_from(&self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Page {
        let mut req = self
            .http
            .post(format!("{}{path}", self.origin()))
            .form(form);
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        self.send(req).await
    }

    /// Signs in and keeps the session cookie.
    pub async fn login(&mut self) -> Page {
        let password = self.password.clone();
        let page = self
            .post(
                "/admin/login",
                &[("username", "admin"), ("password", &password)],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let cookie = page.set_cookie().split(';').next().unwrap().to_string();
        self.cookie = Some(cookie);
        page
    }

    /// A CSRF token from any page of the signed-in user.
    pub async fn csrf(&self) -> String {
        self.get("/admin/apps/new").await.csrf()
    }

    /// The Management API's view, through the core service as the API runs it.
    pub async fn client(&self, id: &str) -> Option<Value> {
        let ctx = self.running.state.clients_ctx();
        let all = zeroth_core::scopes::Granted::from_claim("read:clients read:client_keys");
        zeroth_core::clients::service::get(&ctx, &all, id, None, true)
            .await
            .ok()
            .map(Value::Object)
    }

    /// Creates an application through the dashboard and returns its id.
    pub async fn create_app(&self, name: &str) -> String {
        let csrf = self.csrf().await;
        let page = self
            .post(
                "/admin/apps",
                &[
                    ("name", name),
                    ("app_type", "regular_web"),
                    ("csrf_token", &csrf),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let loc = page.location();
        loc.trim_start_matches("/admin/apps/")
            .split('?')
            .next()
            .unwrap()
            .to_string()
    }

    pub async fn app_count(&self) -> usize {
        let ctx = self.running.state.clients_ctx();
        let all = zeroth_core::scopes::Granted::from_claim("read:clients");
        let q = zeroth_core::clients::service::ListQuery {
            filter: Default::default(),
            page: zeroth_core::store::PageReq::Offset {
                page: 0,
                per_page: 100,
            },
            include_totals: false,
            fields: None,
            include_fields: true,
        };
        let list = zeroth_core::clients::service::list(&ctx, &all, &q)
            .await
            .unwrap();
        list.as_array().unwrap().len()
    }
}
