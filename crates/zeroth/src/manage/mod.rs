//! Management CLI verbs (`login`, `apps`, `apis`, `grants`, `keys`, `logs`, `api`) built on
//! `zeroth-client`.

mod apis;
mod apps;
mod config;
mod grants;
mod keys;
mod logs;
mod output;
mod raw;

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum ManageCommand {
    /// Save a tenant's domain and Management API credentials for the other commands.
    #[command(
        after_help = "Example:\n  zeroth login --domain localhost:8443 \\\n    --client-id $ID --client-secret $SECRET --ca-cert ./zeroth-data/tls/ca.pem"
    )]
    Login(config::LoginArgs),
    /// Applications: list, show, create, update, delete, rotate-secret, open.
    #[command(subcommand)]
    Apps(apps::AppsCommand),
    /// APIs (resource servers): list, show, create, update, delete.
    #[command(subcommand)]
    Apis(apis::ApisCommand),
    /// Client grants: list, create, update, delete.
    #[command(subcommand)]
    Grants(grants::GrantsCommand),
    /// Signing keys: list, rotate, revoke.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Tenant logs: tail.
    #[command(subcommand)]
    Logs(logs::LogsCommand),
    /// Any Management API call, e.g. `zeroth api get /api/v2/clients`.
    #[command(
        after_help = "Examples:\n  zeroth api get /api/v2/clients\n  zeroth api patch /api/v2/clients/ID --data '{\"name\":\"new\"}'"
    )]
    Api(raw::ApiArgs),
}

/// `--json` for every verb that prints something.
#[derive(Args, Debug, Clone, Copy)]
pub struct OutputArgs {
    /// Print the server's JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cmd: ManageCommand) -> anyhow::Result<()> {
    if let ManageCommand::Login(args) = cmd {
        return config::login(args).await;
    }
    let session = config::connect().await?;
    let api = &session.api;
    let outcome = match cmd {
        ManageCommand::Login(_) => Ok(()),
        ManageCommand::Apps(c) => apps::run(api, c).await,
        ManageCommand::Apis(c) => apis::apis(api, c).await,
        ManageCommand::Grants(c) => grants::run(api, c).await,
        ManageCommand::Keys(c) => keys::keys(api, c).await,
        ManageCommand::Logs(c) => logs::run(api, c).await,
        ManageCommand::Api(a) => raw::api(api, a).await,
    };
    session.remember_token().await;
    outcome
}

/// Where `login` keeps credentials: `$ZEROTH_CLI_CONFIG`, else `~/.config/zeroth/cli.json`.
fn config_path() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os("ZEROTH_CLI_CONFIG") {
        return Ok(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or_else(|| anyhow::anyhow!("set HOME or ZEROTH_CLI_CONFIG"))?;
    Ok(base.join("zeroth").join("cli.json"))
}
