//! Every setting `zeroth` reads: its file key, environment variable, flag, type and default.

/// What a setting's value must look like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Path,
    /// `IP:PORT`.
    Addr,
    /// `sqlite://…` or `postgres://…`.
    DatabaseUrl,
    /// A host with an optional port, no scheme or path.
    Domain,
    Count {
        min: u64,
        max: u64,
    },
    Bool,
    Choice(&'static [&'static str]),
    /// A `tracing` filter directive such as `info` or `zeroth=debug,sqlx=warn`.
    Filter,
}

#[derive(Debug)]
pub struct Setting {
    /// Dotted key in the file (`tls.cert` is `cert` under `[tls]`).
    pub key: &'static str,
    pub env: &'static str,
    pub flag: Option<&'static str>,
    pub kind: Kind,
    /// The default as a TOML literal; `None` = unset unless configured.
    pub default: Option<&'static str>,
    /// Shown commented out in the default file when there is no default.
    pub example: Option<&'static str>,
    /// Inline secrets are read from the environment only: config files get copied,
    /// committed and shown in bug reports; `*_file` settings point at the secret instead.
    pub in_file: bool,
    pub doc: &'static str,
}

const fn s(
    key: &'static str,
    env: &'static str,
    flag: Option<&'static str>,
    kind: Kind,
    default: Option<&'static str>,
    example: Option<&'static str>,
    doc: &'static str,
) -> Setting {
    Setting {
        key,
        env,
        flag,
        kind,
        default,
        example,
        in_file: true,
        doc,
    }
}

const fn env_only(key: &'static str, env: &'static str, doc: &'static str) -> Setting {
    Setting {
        key,
        env,
        flag: None,
        kind: Kind::Text,
        default: None,
        example: None,
        in_file: false,
        doc,
    }
}

const RATE: Kind = Kind::Count {
    min: 1,
    max: 1_000_000,
};

#[rustfmt::skip]
pub const SETTINGS: &[Setting] = &[
    s("listen", "ZEROTH_LISTEN", Some("--listen"), Kind::Addr, Some("\"127.0.0.1:8443\""), None,
      "Address and port the API (Management API, /oauth/token, discovery) listens on."),
    s("data_dir", "ZEROTH_DATA_DIR", Some("--data-dir"), Kind::Path, Some("\"./zeroth-data\""), None,
      "Where state lives: the SQLite database (by default), master.key, the development TLS\nmaterial and admin-credentials.json. Created with mode 0700."),
    s("database_url", "ZEROTH_DATABASE_URL", Some("--database-url"), Kind::DatabaseUrl, None,
      Some("\"postgres://zeroth@db.internal/zeroth\""),
      "sqlite://PATH or postgres://USER:PASS@HOST/DB. Default: SQLite in data_dir."),
    s("database_url_file", "ZEROTH_DATABASE_URL_FILE", None, Kind::Path, None,
      Some("\"/run/secrets/zeroth-database-url\""),
      "A file holding database_url (when it carries a password)."),
    s("domain", "ZEROTH_DOMAIN", Some("--domain"), Kind::Domain, None, Some("\"auth.example.com\""),
      "The tenant's host[:port], used in `iss` and the Management API audience.\nDefault: localhost:<port of listen>."),
    env_only("master_key", "ZEROTH_MASTER_KEY",
      "The master key sealing every secret at rest (64 hex characters or base64 of 32 bytes)."),
    s("master_key_file", "ZEROTH_MASTER_KEY_FILE", None, Kind::Path, None,
      Some("\"/run/secrets/zeroth-master-key\""),
      "A file holding the master key. Default: <data_dir>/master.key, generated on first start."),
    s("tls.cert", "ZEROTH_TLS_CERT", Some("--tls-cert"), Kind::Path, None,
      Some("\"/etc/zeroth/tls/fullchain.pem\""),
      "PEM certificate chain to serve. Without cert/key (and without http) a development CA\nand a localhost certificate are made under data_dir/tls."),
    s("tls.key", "ZEROTH_TLS_KEY", Some("--tls-key"), Kind::Path, None,
      Some("\"/etc/zeroth/tls/privkey.pem\""), "PEM private key for tls.cert."),
    s("tls.http", "ZEROTH_HTTP", Some("--http"), Kind::Bool, Some("false"), None,
      "Serve plain HTTP, for use behind a TLS-terminating proxy."),
    s("rate_limits.enabled", "ZEROTH_RATE_LIMITS_ENABLED", Some("--no-rate-limits"), Kind::Bool,
      Some("true"), None,
      "Rate limits on or off. Each limit below is requests per second, with bursts of twice as many."),
    s("rate_limits.management", "ZEROTH_RATE_LIMIT_MANAGEMENT", Some("--rate-limit-management"),
      RATE, Some("2000"), None, "The whole Management API of the tenant."),
    s("rate_limits.token_per_ip", "ZEROTH_RATE_LIMIT_TOKEN_PER_IP", Some("--rate-limit-token-per-ip"),
      RATE, Some("2000"), None, "/oauth/token requests from one IP address."),
    s("rate_limits.token_per_client", "ZEROTH_RATE_LIMIT_TOKEN_PER_CLIENT",
      Some("--rate-limit-token-per-client"), RATE, Some("1000"), None,
      "/oauth/token requests naming one client_id."),
    s("metrics.listen", "ZEROTH_METRICS_LISTEN", Some("--metrics-listen"), Kind::Addr, None,
      Some("\"127.0.0.1:9464\""),
      "Serve Prometheus metrics (plain HTTP, GET /metrics) on this address. Default: not served."),
    s("limits.header_read_timeout_secs", "ZEROTH_HEADER_READ_TIMEOUT_SECS",
      Some("--header-read-timeout-secs"), Kind::Count { min: 1, max: 3600 }, Some("10"), None,
      "Seconds a connection may take to send a request's headers before it is closed (slow clients)."),
    s("logs.retention_days", "ZEROTH_LOG_RETENTION_DAYS", Some("--log-retention-days"),
      Kind::Count { min: 0, max: 36_500 }, Some("30"), None,
      "Days tenant log events (GET /api/v2/logs) are kept; 0 keeps them forever."),
    s("logs.format", "ZEROTH_LOG_FORMAT", Some("--log-format"), Kind::Choice(&["pretty", "json"]),
      Some("\"pretty\""), None,
      "Process log lines on stderr: \"pretty\" for people, \"json\" (one object a line) for collectors."),
    s("logs.level", "ZEROTH_LOG", Some("--log-level"), Kind::Filter, Some("\"info\""), None,
      "Which process log lines are written, as a tracing filter (\"info\", \"zeroth_server=debug,warn\")."),
    s("admin.client_id", "ZEROTH_ADMIN_CLIENT_ID", None, Kind::Text, None,
      Some("\"zeroth-admin\""),
      "Pin the admin client's id (with its secret) instead of generating one on first start."),
    env_only("admin.client_secret", "ZEROTH_ADMIN_CLIENT_SECRET", "The pinned admin client's secret."),
    s("admin.client_secret_file", "ZEROTH_ADMIN_CLIENT_SECRET_FILE", None, Kind::Path, None,
      Some("\"/run/secrets/zeroth-admin-secret\""), "A file holding the pinned admin client's secret."),
    env_only("admin.password", "ZEROTH_ADMIN_PASSWORD",
      "The dashboard (/admin) password of user admin. Setting it resets a forgotten one."),
    s("admin.password_file", "ZEROTH_ADMIN_PASSWORD_FILE", None, Kind::Path, None,
      Some("\"/run/secrets/zeroth-admin-password\""),
      "A file holding the dashboard password. Without either, one is generated on first start."),
];

/// Secrets that may be given inline (environment) or as a file; the higher layer wins.
pub const SECRET_PAIRS: &[(&str, &str)] = &[
    ("database_url", "database_url_file"),
    ("master_key", "master_key_file"),
    ("admin.client_secret", "admin.client_secret_file"),
    ("admin.password", "admin.password_file"),
];

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}
