//! What `zeroth serve` needs to start: where to listen, store data and how to speak TLS.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use zeroth_core::bootstrap::PinnedAdmin;
use zeroth_core::Secret;

/// How the listener speaks.
#[derive(Debug, Clone)]
pub enum TlsMode {
    /// A local CA and a `localhost` leaf, made on first start under `<data_dir>/tls`.
    Dev,
    /// An operator's certificate chain and key (PEM files).
    Files { cert: PathBuf, key: PathBuf },
    /// Plain HTTP, for use behind a TLS-terminating proxy.
    Plain,
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default `sqlite://<data_dir>/zeroth.db`.
    pub database_url: Option<String>,
    /// The tenant's host[:port]; default `localhost:<port>`.
    pub domain: Option<String>,
    pub tls: TlsMode,
    pub admin: PinnedAdmin,
    pub rate_limits: crate::ratelimit::RateLimits,
    /// Where Prometheus metrics are served (plain HTTP); none = not served.
    pub metrics_listen: Option<SocketAddr>,
    /// Days tenant log events are kept; 0 keeps them forever.
    pub log_retention_days: u32,
    /// The master key itself (hex or base64); wins over `master_key_file`.
    pub master_key: Option<Secret>,
    /// A file holding the master key. With neither set, `ZEROTH_MASTER_KEY[_FILE]` or
    /// `<data_dir>/master.key` (generated on first start) is used.
    pub master_key_file: Option<PathBuf>,
    /// How long a connection may take to send a request's headers (slow-client defence).
    pub header_read_timeout: Duration,
}

impl ServeConfig {
    pub fn new(listen: SocketAddr, data_dir: PathBuf) -> Self {
        ServeConfig {
            listen,
            data_dir,
            database_url: None,
            domain: None,
            tls: TlsMode::Dev,
            admin: PinnedAdmin::default(),
            rate_limits: crate::ratelimit::RateLimits::default(),
            metrics_listen: None,
            log_retention_days: 30,
            master_key: None,
            master_key_file: None,
            header_read_timeout: Duration::from_secs(10),
        }
    }

    /// Loads (or on first start generates) the master key this configuration names.
    pub fn load_master_key(
        &self,
    ) -> Result<
        (
            zeroth_core::crypto::seal::MasterKey,
            zeroth_core::crypto::seal::MasterKeySource,
        ),
        zeroth_core::store::StoreError,
    > {
        use zeroth_core::crypto::seal::MasterKey;
        if self.master_key.is_none() && self.master_key_file.is_none() {
            return MasterKey::load(&self.data_dir);
        }
        MasterKey::load_from(
            self.master_key.as_ref().map(Secret::expose),
            self.master_key_file.as_deref(),
            &self.data_dir,
        )
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("zeroth.db").display()))
    }

    /// The tenant domain for a listener bound to `port`, with the other spellings of
    /// this machine that reach it accepted as audiences.
    pub fn tenant(&self, port: u16) -> zeroth_core::tenant::Tenant {
        match &self.domain {
            Some(d) => zeroth_core::tenant::Tenant::new(d.clone(), Vec::new()),
            None => {
                let mut aliases = vec![format!("127.0.0.1:{port}"), format!("[::1]:{port}")];
                let ip = self.listen.ip();
                if !ip.is_loopback() && !ip.is_unspecified() {
                    aliases.push(format!("{ip}:{port}"));
                }
                zeroth_core::tenant::Tenant::new(format!("localhost:{port}"), aliases)
            }
        }
    }
}
