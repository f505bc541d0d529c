//! Command-line surface: commands, and flags that override the configuration.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use crate::config::{self, Inputs, Resolved};

#[derive(Parser, Debug)]
#[command(
    name = "zeroth",
    version,
    about = "A self-hosted identity server that speaks Auth0's APIs",
    after_help = "Configuration: defaults, then --config FILE (or ZEROTH_CONFIG), then ZEROTH_* \
                  variables, then flags. See `zeroth config print-default`."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server (HTTPS on 127.0.0.1:8443 with a development certificate by default).
    Serve(Box<ServeArgs>),
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
    /// Print the default configuration file, or check a configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    #[command(flatten)]
    Manage(crate::manage::ManageCommand),
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Print the commented default configuration file.
    PrintDefault,
    /// Check the configuration `serve` would use (file, environment and these flags):
    /// print each setting and where it came from, or the first problem.
    Check(Box<ServeArgs>),
}

#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Configuration file (TOML); also ZEROTH_CONFIG.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where state lives (SQLite database, master key, TLS material).
    #[arg(long)]
    data_dir: Option<String>,
    /// `sqlite://PATH` or `postgres://USER:PASS@HOST/DB`; default: SQLite in the data dir.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address and port to listen on.
    #[arg(long)]
    listen: Option<String>,
    /// The tenant's host[:port] used in `iss` and the Management API audience.
    #[arg(long)]
    domain: Option<String>,
    /// PEM certificate chain to serve instead of the development certificate.
    #[arg(long)]
    tls_cert: Option<String>,
    /// PEM private key for --tls-cert.
    #[arg(long)]
    tls_key: Option<String>,
    /// Serve plain HTTP (behind a TLS-terminating proxy).
    #[arg(long)]
    http: bool,
    /// Management API requests per second for the whole tenant.
    #[arg(long)]
    rate_limit_management: Option<String>,
    /// `/oauth/token` requests per second from one IP.
    #[arg(long)]
    rate_limit_token_per_ip: Option<String>,
    /// `/oauth/token` requests per second naming one client.
    #[arg(long)]
    rate_limit_token_per_client: Option<String>,
    /// Switch rate limits off entirely.
    #[arg(long)]
    no_rate_limits: bool,
    /// Serve Prometheus metrics (plain HTTP, `/metrics`) on this address.
    #[arg(long)]
    metrics_listen: Option<String>,
    /// Days tenant log events are kept (0 = forever).
    #[arg(long)]
    log_retention_days: Option<String>,
    /// Process log lines: pretty or json.
    #[arg(long)]
    log_format: Option<String>,
    /// Process log filter, such as `info` or `zeroth_server=debug,warn`.
    #[arg(long)]
    log_level: Option<String>,
    /// Seconds a client has to send a request's headers before its connection is closed.
    #[arg(long)]
    header_read_timeout_secs: Option<String>,
}

type Flag = (&'static str, &'static str, String);

impl StoreArgs {
    fn flags(&self, out: &mut Vec<Flag>) {
        push(out, "data_dir", "--data-dir", &self.data_dir);
        push(out, "database_url", "--database-url", &self.database_url);
    }

    fn resolve(&self) -> anyhow::Result<Resolved> {
        let mut flags = Vec::new();
        self.flags(&mut flags);
        resolve(self.config.clone(), flags)
    }
}

impl ServeArgs {
    fn resolve(&self) -> anyhow::Result<Resolved> {
        let mut f = Vec::new();
        self.store.flags(&mut f);
        push(&mut f, "listen", "--listen", &self.listen);
        push(&mut f, "domain", "--domain", &self.domain);
        push(&mut f, "tls.cert", "--tls-cert", &self.tls_cert);
        push(&mut f, "tls.key", "--tls-key", &self.tls_key);
        if self.http {
            f.push(("tls.http", "--http", "true".into()));
        }
        let management = &self.rate_limit_management;
        push(
            &mut f,
            "rate_limits.management",
            "--rate-limit-management",
            management,
        );
        let per_ip = &self.rate_limit_token_per_ip;
        push(
            &mut f,
            "rate_limits.token_per_ip",
            "--rate-limit-token-per-ip",
            per_ip,
        );
        let per_client = &self.rate_limit_token_per_client;
        let name = "--rate-limit-token-per-client";
        push(&mut f, "rate_limits.token_per_client", name, per_client);
        if self.no_rate_limits {
            f.push(("rate_limits.enabled", "--no-rate-limits", "false".into()));
        }
        push(
            &mut f,
            "metrics.listen",
            "--metrics-listen",
            &self.metrics_listen,
        );
        let days = &self.log_retention_days;
        push(&mut f, "logs.retention_days", "--log-retention-days", days);
        push(&mut f, "logs.format", "--log-format", &self.log_format);
        push(&mut f, "logs.level", "--log-level", &self.log_level);
        let timeout = &self.header_read_timeout_secs;
        push(
            &mut f,
            "limits.header_read_timeout_secs",
            "--header-read-timeout-secs",
            timeout,
        );
        resolve(self.store.config.clone(), f)
    }
}

fn push(out: &mut Vec<Flag>, key: &'static str, flag: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        out.push((key, flag, v.clone()));
    }
}

fn resolve(config_flag: Option<PathBuf>, flags: Vec<Flag>) -> anyhow::Result<Resolved> {
    let mut inputs = Inputs::from_process(flags);
    inputs.config_flag = config_flag;
    Ok(config::resolve(&inputs)?)
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Config(ConfigCommand::PrintDefault) => {
            print!("{}", config::default_file());
            Ok(())
        }
        Command::Config(ConfigCommand::Check(args)) => {
            let resolved = args.resolve()?;
            resolved.serve_config()?;
            match &resolved.file {
                Some(f) => println!("configuration OK ({})", f.display()),
                None => println!("configuration OK (no file)"),
            }
            print!("{}", resolved.describe());
            Ok(())
        }
        Command::Serve(args) => {
            let resolved = args.resolve()?;
            let config = resolved.serve_config()?;
            init_tracing(&resolved);
            runtime()?.block_on(serve(config))
        }
        Command::Migrate(store) => {
            offline(
                &store,
                |s| async move { crate::maintenance::migrate(&s).await },
            )
        }
        Command::Export { store, file } => offline(&store, |s| async move {
            crate::maintenance::export(&s, &file).await
        }),
        Command::Import { store, file } => offline(&store, |s| async move {
            crate::maintenance::import(&s, &file).await
        }),
        Command::RotateMasterKey(store) => offline(&store, |s| async move {
            crate::maintenance::rotate_master_key(&s).await
        }),
        // The management verbs talk HTTPS to a tenant, never to the database.
        Command::Manage(cmd) => runtime()?.block_on(crate::manage::run(cmd)),
    }
}

fn offline<F, Fut>(args: &StoreArgs, command: F) -> anyhow::Result<()>
where
    F: FnOnce(config::serve::StoreSettings) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let resolved = args.resolve()?;
    let store = resolved.store()?;
    init_tracing(&resolved);
    runtime()?.block_on(command(store))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
}

fn init_tracing(resolved: &Resolved) {
    use tracing_subscriber::EnvFilter;
    let level = resolved.text("logs.level").unwrap_or_else(|| "info".into());
    let filter = EnvFilter::try_new(&level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if resolved.text("logs.format").as_deref() == Some("json") {
        // Span fields (the request id) go on every line, so collectors can join them.
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        builder.init();
    }
}

async fn serve(config: zeroth_server::config::ServeConfig) -> anyhow::Result<()> {
    let running = zeroth_server::start::start(config).await?;
    running.print_banner();
    running.serve_until(shutdown_signal()).await
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
