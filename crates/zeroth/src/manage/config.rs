//! `zeroth login` and the saved CLI credentials (mode 0600).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};
use zeroth_client::{Credentials, ManagementClient, Options};

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// The tenant's domain (`localhost:8443`, `tenant.eu.auth0.com`) or base URL.
    #[arg(long)]
    domain: String,
    /// A machine-to-machine application granted the Management API.
    #[arg(long)]
    client_id: String,
    /// Its secret. Generated secrets may start with `-`; clap takes them as values here.
    #[arg(long, allow_hyphen_values = true)]
    client_secret: String,
    /// An extra CA to trust, e.g. Zeroth's development CA (`DATA_DIR/tls/ca.pem`).
    #[arg(long)]
    ca_cert: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    domain: String,
    client_id: String,
    client_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_cert: Option<PathBuf>,
    /// The last access token and when to renew it (Unix seconds), so each command does
    /// not exchange the credentials again (and log a token exchange on the tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<SavedToken>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq)]
struct SavedToken {
    value: String,
    renew_at: u64,
}

/// A connected client and what was saved, to write back a renewed token afterwards.
pub struct Session {
    pub api: ManagementClient,
    saved: Saved,
}

impl Session {
    /// Saves the token the command ended with, when it changed.
    pub async fn remember_token(self) {
        let Some((value, renew_at)) = self.api.cached_token().await else {
            return;
        };
        let renew_at = renew_at
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let token = Some(SavedToken { value, renew_at });
        if token == self.saved.token {
            return;
        }
        let saved = Saved {
            token,
            ..self.saved
        };
        // Best effort: a token that cannot be saved is fetched again next time.
        if let (Ok(path), Ok(bytes)) = (super::config_path(), serde_json::to_vec_pretty(&saved)) {
            let _ = write_private(&path, &bytes);
        }
    }
}

impl Saved {
    fn client(&self) -> anyhow::Result<ManagementClient> {
        let creds = Credentials::ClientCredentials {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        };
        let opts = Options {
            ca_cert: self.ca_cert.clone(),
            timeout: None,
        };
        Ok(ManagementClient::with_options(&self.domain, creds, opts)?)
    }
}

/// Checks the credentials by getting a token, then saves them.
pub async fn login(args: LoginArgs) -> anyhow::Result<()> {
    let ca_cert = match args.ca_cert {
        // Saved absolute so later commands work from any directory.
        Some(p) => Some(std::path::absolute(&p).with_context(|| format!("{}", p.display()))?),
        None => None,
    };
    let saved = Saved {
        domain: args.domain,
        client_id: args.client_id,
        client_secret: args.client_secret,
        ca_cert,
        token: None,
    };
    let api = saved.client()?;
    api.access_token().await?;
    let path = super::config_path()?;
    write_private(&path, &serde_json::to_vec_pretty(&saved)?)?;
    // The token just fetched serves the next commands too.
    let domain = saved.domain.clone();
    Session { api, saved }.remember_token().await;
    println!("Logged in to {domain} (saved in {})", path.display());
    Ok(())
}

/// A client from the saved login, starting from the saved token while it is fresh.
pub async fn connect() -> anyhow::Result<Session> {
    let path = super::config_path()?;
    let bytes = std::fs::read(&path).map_err(|_| {
        anyhow::anyhow!(
            "not logged in ({} missing): run `zeroth login` first",
            path.display()
        )
    })?;
    let saved: Saved =
        serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))?;
    let api = saved.client()?;
    if let Some(t) = &saved.token {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.renew_at);
        api.seed_token(t.value.clone(), at).await;
    }
    Ok(Session { api, saved })
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
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
    std::io::Write::write_all(&mut f, bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
