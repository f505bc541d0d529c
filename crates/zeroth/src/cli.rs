//! Command-line surface: flags and `ZEROTH_*` variables for every command.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use zeroth_core::bootstrap::PinnedAdmin;
use zeroth_core::Secret;
use zeroth_server::config::{ServeConfig, TlsMode};

#[derive(Parser, Debug)]
#[command(
    name = "zeroth",
    version,
    about = "A self-hosted identity server that speaks Auth0's APIs"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server (HTTPS on 127.0.0.1:8443 with a development certificate by default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(StoreArgs),
    /// Write the whole tenant (clients, APIs, grants, keys — with secrets) to a file.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// Output file (created with mode 0600).
        file: PathBuf,
    },
    /// Load an exported tenant into an empty database.
    Import {
        #[command(flatten)]
        store: StoreArgs,
        file: PathBuf,
    },
    /// Re-seal every secret under a new master key (from ZEROTH_NEW_MASTER_KEY or generated).
    RotateMasterKey(StoreArgs),
    #[command(flatten)]
    Manage(crate::manage::ManageCommand),
}

#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Where state lives (SQLite database, master key, TLS material).
    #[arg(long, env = "ZEROTH_DATA_DIR", default_value = "./zeroth-data")]
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://USER:PASS@HOST/DB`; default: SQLite in the data dir.
    #[arg(long, env = "ZEROTH_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address and port to listen on.
    #[arg(long, env = "ZEROTH_LISTEN", default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// The tenant's host[:port] used in `iss` and the Management API audience
    /// (default: localhost:<port>).
    #[arg(long, env = "ZEROTH_DOMAIN")]
    domain: Option<String>,
    /// PEM certificate chain to serve instead of the development certificate.
    #[arg(long, env = "ZEROTH_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "ZEROTH_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP (behind a TLS-terminating proxy).
    #[arg(long, env = "ZEROTH_HTTP", conflicts_with = "tls_cert")]
    http: bool,
    /// Management API requests per second for the whole tenant (bursts of twice as many).
    #[arg(long, env = "ZEROTH_RATE_LIMIT_MANAGEMENT", default_value_t = 2000)]
    rate_limit_management: u32,
    /// `/oauth/token` requests per second from one IP (bursts of twice as many).
    #[arg(long, env = "ZEROTH_RATE_LIMIT_TOKEN_PER_IP", default_value_t = 2000)]
    rate_limit_token_per_ip: u32,
    /// Switch rate limits off entirely.
    #[arg(long, env = "ZEROTH_NO_RATE_LIMITS")]
    no_rate_limits: bool,
    /// Serve Prometheus metrics (plain HTTP, `/metrics`) on this address.
    #[arg(long, env = "ZEROTH_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Days tenant log events are kept (0 = forever).
    #[arg(long, env = "ZEROTH_LOG_RETENTION_DAYS", default_value_t = 30)]
    log_retention_days: u32,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(store) => crate::maintenance::migrate(&store).await,
        Command::Export { store, file } => crate::maintenance::export(&store, &file).await,
        Command::Import { store, file } => crate::maintenance::import(&store, &file).await,
        Command::RotateMasterKey(store) => crate::maintenance::rotate_master_key(&store).await,
        Command::Manage(cmd) => crate::manage::run(cmd).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let tls = match (args.tls_cert, args.tls_key, args.http) {
        (_, _, true) => TlsMode::Plain,
        (Some(cert), Some(key), _) => TlsMode::Files { cert, key },
        _ => TlsMode::Dev,
    };
    let mut config = ServeConfig::new(args.listen, args.store.data_dir);
    config.database_url = args.store.database_url;
    config.domain = args.domain;
    config.tls = tls;
    let rate = |n: u32| zeroth_server::ratelimit::Rate {
        per_second: f64::from(n.max(1)),
        burst: 2.0 * f64::from(n.max(1)),
    };
    config.metrics_listen = args.metrics_listen;
    config.log_retention_days = args.log_retention_days;
    config.rate_limits = zeroth_server::ratelimit::RateLimits {
        enabled: !args.no_rate_limits,
        management: rate(args.rate_limit_management),
        token_per_ip: rate(args.rate_limit_token_per_ip),
    };
    config.admin = PinnedAdmin {
        client_id: std::env::var("ZEROTH_ADMIN_CLIENT_ID").ok(),
        client_secret: std::env::var("ZEROTH_ADMIN_CLIENT_SECRET")
            .ok()
            .map(Secret::new),
    };
    let running = zeroth_server::start::start(config).await?;
    running.print_banner();
    let shutdown = shutdown_signal();
    running.serve_until(shutdown).await
}

/// SIGTERM or Ctrl-C: stop accepting, finish what is in flight, exit.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
