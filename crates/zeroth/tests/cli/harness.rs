//! A server in-process (SQLite, dev TLS) and the `zeroth` binary with its own CLI config.

use std::path::PathBuf;
use std::process::Output;

use zeroth_server::config::ServeConfig;
use zeroth_server::ratelimit::RateLimits;
use zeroth_server::start::Running;

pub const BIN: &str = env!("CARGO_BIN_EXE_zeroth");

pub struct Server {
    pub running: Running,
    _dir: tempfile::TempDir,
    config: PathBuf,
}

pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Server {
    pub async fn start(limits: RateLimits) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = ServeConfig::new("127.0.0.1:0".parse().unwrap(), dir.path().join("data"));
        cfg.rate_limits = limits;
        let running = zeroth_server::start::start(cfg).await.unwrap();
        let config = dir.path().join("home").join("cli.json");
        Server {
            running,
            _dir: dir,
            config,
        }
    }

    pub fn ca(&self) -> PathBuf {
        self.running.ca_cert.clone().unwrap()
    }

    pub fn config_path(&self) -> &PathBuf {
        &self.config
    }

    /// `zeroth ARGS…` with this server's CLI config file.
    pub async fn zeroth(&self, args: &[&str]) -> Ran {
        let out: Output = tokio::process::Command::new(BIN)
            .args(args)
            .env("ZEROTH_CLI_CONFIG", &self.config)
            .env("ZEROTH_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap();
        Ran {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `zeroth login` with the admin credentials; panics when it fails.
    pub async fn login(&self) {
        let ca = self.ca();
        let r = self
            .zeroth(&[
                "login",
                "--domain",
                &self.running.tenant.domain,
                "--client-id",
                &self.running.admin.client_id,
                "--client-secret",
                self.running.admin.client_secret.expose(),
                "--ca-cert",
                ca.to_str().unwrap(),
            ])
            .await;
        assert_eq!(r.code, Some(0), "login failed: {}", r.stderr);
    }

    /// Runs and expects success; the parsed `--json` output.
    pub async fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        let r = self.zeroth(&all).await;
        assert_eq!(r.code, Some(0), "{args:?} failed: {}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    }
}
