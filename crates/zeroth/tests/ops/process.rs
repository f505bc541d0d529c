//! Running `zeroth` as a child process with a clean environment and reading its banner.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_zeroth");

/// A command with no `ZEROTH_*` from the developer's shell.
pub fn zeroth(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("ZEROTH_") {
            c.env_remove(k);
        }
    }
    c.args(args).stdin(Stdio::null());
    c
}

pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut c: Command) -> Output {
    let out = c.output().unwrap();
    Output {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A running `serve`, killed on drop so a failing test leaves nothing behind.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub metrics: Option<String>,
}

const START: Duration = Duration::from_secs(60);

/// Starts `serve` (stderr into `stderr_file`) and waits for the banner lines it needs.
pub fn serve(mut c: Command, stderr_file: &Path) -> Server {
    c.stdout(Stdio::piped())
        .stderr(std::fs::File::create(stderr_file).unwrap());
    let mut child = c.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + START;
    let (mut port, mut metrics) = (None, None);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(rest) = line.strip_prefix("Zeroth is serving ") {
            port = rest
                .rsplit_once(':')
                .and_then(|(_, p)| p.trim().parse().ok());
        }
        if let Some(url) = line.strip_prefix("Prometheus metrics: ") {
            metrics = Some(url.trim().to_string());
        }
        if line.starts_with("Admin client") {
            break;
        }
    }
    let Some(port) = port else {
        let _ = child.kill();
        panic!(
            "no banner; stderr:\n{}",
            std::fs::read_to_string(stderr_file).unwrap_or_default()
        );
    };
    Server {
        child,
        port,
        metrics,
    }
}

impl Server {
    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits at most `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The admin credentials `serve` wrote into the data directory.
pub fn admin(data_dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(data_dir.join("admin-credentials.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A Management API token over plain HTTP.
pub async fn admin_token(port: u16, data_dir: &Path) -> String {
    let a = admin(data_dir);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", a["client_id"].as_str().unwrap()),
        ("client_secret", a["client_secret"].as_str().unwrap()),
        ("audience", a["audience"].as_str().unwrap()),
    ];
    let res = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/oauth/token"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}
