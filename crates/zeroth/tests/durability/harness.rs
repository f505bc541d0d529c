//! Spawning, stopping and killing `zeroth` processes, and a fresh tenant store per test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sqlx::Connection as _;

pub const BIN: &str = env!("CARGO_BIN_EXE_zeroth");

/// How long a debug build may take to come up (RSA key generation on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Variables a developer's shell may carry that would point a child elsewhere.
const CLEARED: &[&str] = &[
    "ZEROTH_MASTER_KEY",
    "ZEROTH_MASTER_KEY_FILE",
    "ZEROTH_NEW_MASTER_KEY",
    "ZEROTH_DATABASE_URL",
    "ZEROTH_DATA_DIR",
    "ZEROTH_ADMIN_CLIENT_ID",
    "ZEROTH_ADMIN_CLIENT_SECRET",
    "ZEROTH_DOMAIN",
    "ZEROTH_LISTEN",
    "ZEROTH_HTTP",
    "ZEROTH_TLS_CERT",
    "ZEROTH_TLS_KEY",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub fn engine() -> Engine {
    match std::env::var("ZEROTH_TEST_ENGINE").as_deref() {
        Ok("postgres") => Engine::Postgres,
        Ok("sqlite") | Ok("") | Err(_) => Engine::Sqlite,
        Ok(other) => panic!("ZEROTH_TEST_ENGINE={other}: expected sqlite or postgres"),
    }
}

/// A new, empty database in the throwaway cluster named by `ZEROTH_TEST_POSTGRES_URL`.
pub async fn new_pg_database() -> String {
    let admin = std::env::var("ZEROTH_TEST_POSTGRES_URL").expect(
        "ZEROTH_TEST_ENGINE=postgres needs ZEROTH_TEST_POSTGRES_URL (scripts/pg-test run -- …)",
    );
    sqlx::any::install_default_drivers();
    let name = format!("zeroth_d_{}", zeroth_core::ids::alnum(12).to_lowercase());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (no_query, query) = admin.split_once('?').unwrap_or((&admin, ""));
    let (server, _) = no_query.rsplit_once('/').unwrap();
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

pub fn random_master_key() -> String {
    zeroth_core::ids::random(32)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One tenant's storage: a data directory and, on PostgreSQL, its own database.
pub struct Tenant {
    root: tempfile::TempDir,
    pub database_url: Option<String>,
    /// Passed as `ZEROTH_MASTER_KEY` to every command, so the test can open the store too.
    pub master_key: String,
    logs: AtomicUsize,
}

impl Tenant {
    pub async fn new(engine: Engine) -> Tenant {
        let database_url = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(new_pg_database().await),
        };
        Tenant::with_url(database_url)
    }

    pub fn with_url(database_url: Option<String>) -> Tenant {
        Tenant {
            root: tempfile::tempdir().unwrap(),
            database_url,
            master_key: random_master_key(),
            logs: AtomicUsize::new(0),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn engine(&self) -> Engine {
        match self.database_url {
            Some(_) => Engine::Postgres,
            None => Engine::Sqlite,
        }
    }

    /// The URL the binary uses: the PostgreSQL database or the data directory's SQLite file.
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir().join("zeroth.db").display()))
    }

    /// A fresh path for a child's output, outside the data directory.
    fn log_path(&self, what: &str) -> PathBuf {
        let n = self.logs.fetch_add(1, Ordering::Relaxed);
        self.root.path().join(format!("{what}-{n}.log"))
    }

    /// `zeroth SUB --data-dir … [--database-url …]` with a clean environment.
    pub fn command(&self, sub: &str) -> Command {
        let mut c = Command::new(BIN);
        c.arg(sub).arg("--data-dir").arg(self.data_dir());
        if let Some(url) = &self.database_url {
            c.arg("--database-url").arg(url);
        }
        for v in CLEARED {
            c.env_remove(v);
        }
        c.env("ZEROTH_MASTER_KEY", &self.master_key);
        c.env("ZEROTH_LOG", "warn");
        c.stdin(Stdio::null());
        c
    }

    /// Runs an offline command to its end (bounded), returning its status and output.
    pub fn run(&self, mut cmd: Command) -> Finished {
        let out = self.log_path("out");
        let err = self.log_path("err");
        cmd.stdout(std::fs::File::create(&out).unwrap());
        cmd.stderr(std::fs::File::create(&err).unwrap());
        let mut child = cmd.spawn().unwrap();
        let deadline = Instant::now() + START_TIMEOUT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{cmd:?} did not finish in {START_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Finished {
            status,
            stdout: std::fs::read_to_string(out).unwrap_or_default(),
            stderr: std::fs::read_to_string(err).unwrap_or_default(),
        }
    }

    pub fn serve(&self) -> Node {
        self.serve_with(&ServeOpts::default())
    }

    pub fn serve_with(&self, opts: &ServeOpts) -> Node {
        match self.try_serve(self.serve_command(opts)) {
            Ok(node) => node,
            Err(f) => panic!("zeroth serve failed ({}):\n{}", f.status, f.stderr),
        }
    }

    pub fn serve_command(&self, opts: &ServeOpts) -> Command {
        let mut c = self.command("serve");
        c.arg("--listen").arg(format!("127.0.0.1:{}", opts.port));
        if let Some(d) = &opts.domain {
            c.arg("--domain").arg(d);
        }
        for (k, v) in &opts.env {
            c.env(k, v);
        }
        c
    }

    /// Starts `serve` and waits for its banner; a process that exits first is an `Err`.
    pub fn try_serve(&self, mut cmd: Command) -> Result<Node, Finished> {
        let err = self.log_path("serve");
        cmd.stdout(Stdio::piped());
        cmd.stderr(std::fs::File::create(&err).unwrap());
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Keeps draining stdout for the child's life so it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(port) = banner_port(&line) {
                        return Ok(Node { child, port });
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = wait_bounded(&mut child);
                    return Err(Finished {
                        status,
                        stdout: String::new(),
                        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "no banner within {START_TIMEOUT:?}; stderr:\n{}",
                        std::fs::read_to_string(&err).unwrap_or_default()
                    );
                }
            }
        }
    }
}

/// `Zeroth is serving https://localhost:PORT on 127.0.0.1:PORT` -> the bound port.
fn banner_port(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("Zeroth is serving ")?;
    let (_, addr) = rest.rsplit_once(" on ")?;
    addr.rsplit_once(':')?.1.trim().parse().ok()
}

fn wait_bounded(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

#[derive(Default, Clone)]
pub struct ServeOpts {
    /// 0: any free port.
    pub port: u16,
    pub domain: Option<String>,
    pub env: Vec<(String, String)>,
}

/// A running `zeroth serve`; killed when dropped, so a failing test leaves nothing behind.
pub struct Node {
    child: Child,
    pub port: u16,
}

impl Node {
    pub fn base_url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// SIGKILL: no shutdown code runs, as in a power cut of the process.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and a bounded wait for the graceful exit.
    pub fn stop(&mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        if sent.is_ok_and(|s| s.success()) {
            let status = wait_bounded(&mut self.child);
            assert!(status.success(), "graceful stop exited with {status}");
        } else {
            self.kill();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}
