//! From resolved settings to what the server and the offline commands start with.

use std::net::SocketAddr;
use std::path::PathBuf;

use zeroth_core::bootstrap::PinnedAdmin;
use zeroth_core::Secret;
use zeroth_server::config::{ServeConfig, TlsMode};
use zeroth_server::ratelimit::{Rate, RateLimits};

use super::source::{ConfigError, Source, Val};
use super::Resolved;

/// Rules that involve more than one setting.
pub fn cross_checks(r: &Resolved) -> Result<(), ConfigError> {
    let cert = r.get("tls.cert");
    let key = r.get("tls.key");
    match (cert, key) {
        (Some((_, s)), None) => return Err(ConfigError::new("tls.cert", s, "tls.key is not set")),
        (None, Some((_, s))) => return Err(ConfigError::new("tls.key", s, "tls.cert is not set")),
        _ => {}
    }
    if let (Some((Val::Bool(true), s)), Some(_)) = (r.get("tls.http"), cert) {
        return Err(ConfigError::new(
            "tls.http",
            s,
            "plain HTTP and tls.cert/tls.key exclude each other",
        ));
    }
    for key in ["tls.cert", "tls.key", "master_key_file"] {
        if let Some((Val::Text(p), s)) = r.get(key) {
            std::fs::metadata(p)
                .map_err(|e| ConfigError::new(key, s, format!("cannot read {p}: {e}")))?;
        }
    }
    secret(r, "database_url", "database_url_file")?;
    secret(r, "admin.client_secret", "admin.client_secret_file")?;
    secret(r, "admin.password", "admin.password_file")?;
    Ok(())
}

/// An inline secret, or the contents of its file (trailing newline dropped).
fn secret(r: &Resolved, inline: &str, file: &str) -> Result<Option<String>, ConfigError> {
    if let Some(t) = r.text(inline) {
        return Ok(Some(t));
    }
    let Some((Val::Text(path), source)) = r.get(file) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(file, source, format!("cannot read {path}: {e}")))?;
    let text = text.trim_end_matches(['\n', '\r']).to_string();
    if text.is_empty() {
        return Err(ConfigError::new(file, source, format!("{path} is empty")));
    }
    if inline == "database_url" {
        // The same rule as an inline URL, reported against the file setting.
        let setting = super::table::find(inline)
            .ok_or_else(|| ConfigError::new(inline, &Source::Default, "unknown setting"))?;
        super::parse::from_text(setting, &text, source).map_err(|e| ConfigError {
            key: file.to_string(),
            ..e
        })?;
    }
    Ok(Some(text))
}

/// Where the data lives: what every command needs.
pub struct StoreSettings {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub master_key: Option<Secret>,
    pub master_key_file: Option<PathBuf>,
}

impl Resolved {
    pub fn store(&self) -> Result<StoreSettings, ConfigError> {
        Ok(StoreSettings {
            data_dir: PathBuf::from(self.text("data_dir").unwrap_or_default()),
            database_url: secret(self, "database_url", "database_url_file")?,
            master_key: self.text("master_key").map(Secret::new),
            master_key_file: self.text("master_key_file").map(PathBuf::from),
        })
    }

    /// The `serve` configuration. Values were checked while resolving.
    pub fn serve_config(&self) -> Result<ServeConfig, ConfigError> {
        let addr = |key: &str| -> Result<Option<SocketAddr>, ConfigError> {
            match self.get(key) {
                Some((Val::Text(t), s)) => t
                    .parse()
                    .map(Some)
                    .map_err(|_| ConfigError::new(key, s, "expected IP:PORT")),
                _ => Ok(None),
            }
        };
        let listen = addr("listen")?.ok_or_else(|| {
            ConfigError::new("listen", &Source::Default, "no address to listen on")
        })?;
        let store = self.store()?;
        let mut config = ServeConfig::new(listen, store.data_dir);
        config.database_url = store.database_url;
        config.master_key = store.master_key;
        config.master_key_file = store.master_key_file;
        config.domain = self.text("domain");
        config.tls = match (self.text("tls.cert"), self.text("tls.key")) {
            _ if self.flag("tls.http") => TlsMode::Plain,
            (Some(cert), Some(key)) => TlsMode::Files {
                cert: cert.into(),
                key: key.into(),
            },
            _ => TlsMode::Dev,
        };
        let rate = |key: &str| Rate::per_second(u32::try_from(self.int(key)).unwrap_or(u32::MAX));
        config.rate_limits = RateLimits {
            enabled: self.flag("rate_limits.enabled"),
            management: rate("rate_limits.management"),
            token_per_ip: rate("rate_limits.token_per_ip"),
            token_per_client: rate("rate_limits.token_per_client"),
        };
        config.metrics_listen = addr("metrics.listen")?;
        config.header_read_timeout =
            std::time::Duration::from_secs(self.int("limits.header_read_timeout_secs"));
        config.log_retention_days =
            u32::try_from(self.int("logs.retention_days")).unwrap_or(u32::MAX);
        config.admin = PinnedAdmin {
            client_id: self.text("admin.client_id"),
            client_secret: secret(self, "admin.client_secret", "admin.client_secret_file")?
                .map(Secret::new),
            password: secret(self, "admin.password", "admin.password_file")?.map(Secret::new),
        };
        Ok(config)
    }
}
