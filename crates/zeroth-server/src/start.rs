//! Starting a tenant's server: data directory, master key, store, keys, bootstrap, listener.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
// Nagle would hold the last segment of a multi-segment answer until the peer's delayed ACK
// (40 ms on Linux): every response is written whole, so segments go out at once.
use axum_server::accept::NoDelayAcceptor;
use serde_json::json;
use zeroth_core::bootstrap::{self, AdminCredentials};
use zeroth_core::crypto::keys::ensure_signing_keys;
use zeroth_core::dashboard::{self, DashboardPassword};
use zeroth_core::logs::LogSink;
use zeroth_core::store::Store;
use zeroth_core::tenant::Tenant;
use zeroth_core::tokens::TokenKeys;

use crate::config::{ServeConfig, TlsMode};
use crate::oauth::AuthContext;
use crate::state::AppState;

/// How long in-flight requests may take to finish after a shutdown signal.
const GRACE: Duration = Duration::from_secs(30);

/// A server that is accepting connections.
pub struct Running {
    pub addr: SocketAddr,
    pub tenant: Tenant,
    pub admin: AdminCredentials,
    /// The dashboard (`/admin`) password, when this process knows it.
    pub dashboard: DashboardPassword,
    pub data_dir: PathBuf,
    /// The development CA to trust, when serving the development certificate.
    pub ca_cert: Option<PathBuf>,
    pub scheme: &'static str,
    /// Where Prometheus metrics are served, when they are.
    pub metrics_addr: Option<SocketAddr>,
    pub state: AppState,
    handle: axum_server::Handle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    key_watch: tokio::task::JoinHandle<()>,
}

pub async fn start(cfg: ServeConfig) -> anyhow::Result<Running> {
    // Start-up is a target (docs/OPERATIONS.md); the phases are logged to show where it goes.
    let started = std::time::Instant::now();
    // The crypto library seeds its random generator on first use (tens of ms here);
    // let that happen on another core while the database opens.
    let warm = tokio::task::spawn_blocking(|| zeroth_core::ids::random(1));
    create_private_dir(&cfg.data_dir)?;
    let (master, source) = cfg.load_master_key()?;
    tracing::info!(source = ?source, "master key loaded");
    let store = Store::open(&cfg.database_url(), master)
        .await
        .context("opening the database")?;
    // On SQLite, the serving process owns the file and answers client reads from memory
    // (store/owner.rs); a second server on the same file reads the database every time.
    if store.engine() == zeroth_core::store::Engine::Sqlite && !store.claim_owner()? {
        tracing::warn!(
            "another process serves this SQLite database: client reads will not be cached"
        );
    }
    let _ = warm.await;
    let opened = started.elapsed();

    let listener = std::net::TcpListener::bind(cfg.listen)
        .with_context(|| format!("binding {}", cfg.listen))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let tenant = cfg.tenant(addr.port());

    let remembered = remembered_dashboard_password(&cfg.data_dir);
    // Nodes sharing a database take turns here, so the second finds what the first made.
    let lock = store.lock_bootstrap().await?;
    let booted = async {
        let key_rows = ensure_signing_keys(&store, &tenant.domain).await?;
        let keys = Arc::new(TokenKeys::load(&store, &tenant.domain).await?);
        let admin = bootstrap::ensure_tenant(&store, &tenant, &cfg.admin).await?;
        let dashboard =
            dashboard::ensure_password(&store, cfg.admin.password.as_ref(), remembered.as_ref())
                .await?;
        anyhow::Ok((key_rows, keys, admin, dashboard))
    }
    .await;
    let released = lock.release().await;
    let (key_rows, keys, admin, dashboard) = booted?;
    released?;
    write_admin_credentials(&cfg.data_dir, &tenant, &admin, &dashboard)?;
    let bootstrapped = started.elapsed();

    let auth = Arc::new(AuthContext {
        store,
        tenant: tenant.clone(),
        keys,
    });
    let metrics = Arc::new(crate::metrics::Metrics::default());
    let metrics_addr = match cfg.metrics_listen {
        Some(a) => Some(crate::metrics::serve(a, metrics.clone()).await?),
        None => None,
    };
    let logs = LogSink::start(
        auth.store.clone(),
        tenant.domain.clone(),
        cfg.log_retention_days,
    );
    let observer = crate::observe::Observer { metrics, logs };
    let tls = !matches!(cfg.tls, TlsMode::Plain);
    let state = AppState::new(auth, &key_rows, cfg.rate_limits, observer, tls);
    let key_watch = tokio::spawn(crate::mgmt::keys::watch_signing_keys(
        state.clone(),
        key_rows,
    ));
    let app = crate::app::router(state.clone());
    let handle = axum_server::Handle::new();
    let service = app.into_make_service_with_connect_info::<SocketAddr>();

    let (task, ca_cert, scheme) = match &cfg.tls {
        TlsMode::Plain => {
            let mut server = axum_server::from_tcp(listener)
                .acceptor(NoDelayAcceptor)
                .handle(handle.clone());
            limit_connections(server.http_builder(), cfg.header_read_timeout);
            (tokio::spawn(server.serve(service)), None, "http")
        }
        TlsMode::Dev => {
            let paths = crate::tls::ensure_dev_tls(&cfg.data_dir)?;
            let tls = crate::tls::rustls_config(&paths.cert, &paths.key)?;
            let mut server = axum_server::from_tcp_rustls(listener, tls)
                .map(|tls| tls.acceptor(NoDelayAcceptor))
                .handle(handle.clone());
            limit_connections(server.http_builder(), cfg.header_read_timeout);
            (
                tokio::spawn(server.serve(service)),
                Some(paths.ca_cert),
                "https",
            )
        }
        TlsMode::Files { cert, key } => {
            let tls = crate::tls::rustls_config(cert, key)?;
            let mut server = axum_server::from_tcp_rustls(listener, tls)
                .map(|tls| tls.acceptor(NoDelayAcceptor))
                .handle(handle.clone());
            limit_connections(server.http_builder(), cfg.header_read_timeout);
            (tokio::spawn(server.serve(service)), None, "https")
        }
    };
    tracing::info!(
        database_ms = opened.as_secs_f64() * 1e3,
        bootstrap_ms = (bootstrapped - opened).as_secs_f64() * 1e3,
        serve_ms = (started.elapsed() - bootstrapped).as_secs_f64() * 1e3,
        "ready in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(Running {
        addr,
        tenant,
        admin,
        dashboard,
        data_dir: cfg.data_dir,
        ca_cert,
        scheme,
        metrics_addr,
        state,
        handle,
        task,
        key_watch,
    })
}

impl Running {
    /// The base URL clients use (the tenant domain, which resolves here).
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.tenant.domain)
    }

    /// What the operator needs on first sight: where it listens, how to trust it, and
    /// (once, when just created) the admin credentials.
    pub fn print_banner(&self) {
        println!("Zeroth is serving {} on {}", self.base_url(), self.addr);
        println!(
            "Management API audience: {}",
            self.tenant.management_audience()
        );
        if let Some(m) = self.metrics_addr {
            println!("Prometheus metrics: http://{m}/metrics");
        }
        if let Some(ca) = &self.ca_cert {
            println!("{}", crate::tls::trust_instructions(ca));
        }
        let creds = self.data_dir.join("admin-credentials.json");
        if self.admin.created {
            println!(
                "Admin client created (shown once; also in {}):",
                creds.display()
            );
            println!("  client_id:     {}", self.admin.client_id);
            println!("  client_secret: {}", self.admin.client_secret.expose());
        } else {
            println!(
                "Admin client: {} (credentials in {})",
                self.admin.client_id,
                creds.display()
            );
        }
        let dashboard = format!("{}/admin/", self.base_url());
        match (&self.dashboard.password, self.dashboard.created) {
            (Some(p), true) => {
                println!(
                    "Dashboard {dashboard} (shown once; also in {}):",
                    creds.display()
                );
                println!("  username:      {}", dashboard::USERNAME);
                println!("  password:      {}", p.expose());
            }
            _ => println!(
                "Dashboard: {dashboard} (user {}; password in {} or ZEROTH_ADMIN_PASSWORD)",
                dashboard::USERNAME,
                creds.display()
            ),
        }
    }

    /// Serves until `signal`, then stops accepting and lets in-flight requests finish.
    pub async fn serve_until(self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        signal.await;
        tracing::info!("shutting down: finishing in-flight requests");
        self.stop().await
    }

    /// Graceful stop (used by tests and by `serve_until`).
    pub async fn stop(self) -> anyhow::Result<()> {
        self.key_watch.abort();
        self.handle.graceful_shutdown(Some(GRACE));
        self.task.await??;
        Ok(())
    }
}

/// Most headers one request may carry; more is answered 431 (hyper's default, made explicit).
pub const MAX_HEADERS: usize = 100;
/// Most bytes of request line plus headers (HTTP/1.1) or header list (HTTP/2); more is
/// answered 431 (HTTP/1.1) or refused (HTTP/2). Four times Node's default, which Auth0's
/// clients are used to fitting in.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Bounds what one connection may hold the server to: a client that trickles its
/// headers is cut off after `header_read_timeout`, and oversized heads are refused
/// before they are buffered. (The TLS handshake has axum-server's own 10 s limit.)
fn limit_connections(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    header_read_timeout: Duration,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .max_headers(MAX_HEADERS)
        .max_buf_size(MAX_HEADER_BYTES);
    builder
        .http2()
        .timer(hyper_util::rt::TokioTimer::new())
        .max_header_list_size(MAX_HEADER_BYTES as u32);
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The dashboard password the last start wrote down, if any: the database holds only
/// its hash, so this file is the one place a generated password survives a restart.
fn remembered_dashboard_password(dir: &Path) -> Option<dashboard::Remembered> {
    let text = std::fs::read_to_string(dir.join("admin-credentials.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let text_of = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Some(dashboard::Remembered {
        password: zeroth_core::Secret::new(text_of("dashboard_password")?),
        // Files from before the id existed fall back to one argon2 verification.
        hash_id: text_of("dashboard_password_hash_id").unwrap_or_default(),
    })
}

/// Rewritten on every start so it always matches the store; mode 0600 because it
/// holds a secret that can do anything on the tenant.
fn write_admin_credentials(
    dir: &Path,
    tenant: &Tenant,
    admin: &AdminCredentials,
    dashboard: &DashboardPassword,
) -> anyhow::Result<()> {
    let mut body = json!({
        "domain": tenant.domain,
        "client_id": admin.client_id,
        "client_secret": admin.client_secret.expose(),
        "audience": tenant.management_audience(),
    });
    if let (Some(p), Some(obj)) = (&dashboard.password, body.as_object_mut()) {
        obj.insert("dashboard_username".into(), json!(dashboard::USERNAME));
        obj.insert("dashboard_password".into(), json!(p.expose()));
        obj.insert(
            "dashboard_password_hash_id".into(),
            json!(dashboard.hash_id),
        );
    }
    let path = dir.join("admin-credentials.json");
    let tmp = dir.join(".admin-credentials.json.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&tmp)
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::io::Write::write_all(&mut f, serde_json::to_string_pretty(&body)?.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(())
}
