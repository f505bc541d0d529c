//! Shared test fixtures: a fresh database per test on SQLite, or on PostgreSQL when
//! `ZEROTH_TEST_POSTGRES_URL` is set, plus row builders.
#![allow(dead_code)]

use serde_json::{json, Map, Value};
use sqlx::Connection as _;
use zeroth_core::crypto::seal::MasterKey;
use zeroth_core::store::*;
use zeroth_core::Secret;

/// One throwaway database.
pub struct TestDb {
    pub url: String,
    pub engine: Engine,
    /// Keeps the SQLite directory alive for the test's length.
    pub dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/zeroth.db", dir.path().display());
        TestDb {
            url,
            engine: Engine::Sqlite,
            dir: Some(dir),
        }
    }

    /// A new database in the PostgreSQL cluster named by `ZEROTH_TEST_POSTGRES_URL`,
    /// or `None` when it is unset.
    pub async fn postgres() -> Option<TestDb> {
        let admin = std::env::var("ZEROTH_TEST_POSTGRES_URL").ok()?;
        sqlx::any::install_default_drivers();
        let name = format!("zeroth_t_{}", zeroth_core::ids::alnum(12).to_lowercase());
        let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        Some(TestDb {
            url: url.to_string(),
            engine: Engine::Postgres,
            dir: None,
        })
    }

    pub async fn open(&self, key: &MasterKey) -> Store {
        Store::open(&self.url, key.clone()).await.unwrap()
    }

    /// Every byte the database holds, as text (SQLite: the file and its WAL; PostgreSQL:
    /// every row of every table rendered as text).
    pub async fn raw_dump(&self, store: &Store) -> String {
        match self.engine {
            Engine::Sqlite => {
                let dir = self.dir.as_ref().unwrap().path().join("nested");
                let mut all = Vec::new();
                for f in ["zeroth.db", "zeroth.db-wal"] {
                    if let Ok(b) = std::fs::read(dir.join(f)) {
                        all.extend(b);
                    }
                }
                assert!(all.len() > 4096, "the database file should exist");
                String::from_utf8_lossy(&all).into_owned()
            }
            Engine::Postgres => {
                let _ = store;
                let mut conn = sqlx::AnyConnection::connect(&self.url).await.unwrap();
                let mut out = String::new();
                for t in [
                    "clients",
                    "resource_servers",
                    "client_grants",
                    "client_credentials",
                    "signing_keys",
                    "settings",
                    "used_jtis",
                ] {
                    let rows = sqlx::query(&format!("SELECT CAST(t AS TEXT) AS r FROM {t} t"))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                    for r in rows {
                        let s: String = sqlx::Row::get(&r, "r");
                        out.push_str(&s);
                        out.push('\n');
                    }
                }
                out
            }
        }
    }
}

/// Runs a test body on SQLite always and on PostgreSQL when configured.
#[macro_export]
macro_rules! both_engines {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name($crate::common::TestDb::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                match $crate::common::TestDb::postgres().await {
                    Some(db) => super::$name(db).await,
                    None => eprintln!("ZEROTH_TEST_POSTGRES_URL unset: PostgreSQL variant skipped"),
                }
            }
        }
    };
}

pub fn key(b: u8) -> MasterKey {
    MasterKey::from_bytes([b; 32])
}

pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

pub fn client(id: &str, created_at: i64, doc: Value) -> ClientRow {
    ClientRow {
        client_id: id.into(),
        doc: obj(doc),
        client_secret: Some(Secret::new(format!("plaintext-secret-of-{id}"))),
        created_at,
        updated_at: created_at,
        version: 1,
    }
}

pub fn api(id: &str, identifier: &str, created_at: i64) -> ResourceServerRow {
    ResourceServerRow {
        id: id.into(),
        identifier: identifier.into(),
        doc: obj(json!({"name": format!("API {id}"), "signing_alg": "HS256"})),
        signing_secret: Some(Secret::new(format!("plaintext-signing-secret-{id}"))),
        is_system: false,
        created_at,
        version: 1,
    }
}

pub fn grant(
    id: &str,
    client_id: &str,
    audience: &str,
    created_at: i64,
    doc: Value,
) -> ClientGrantRow {
    ClientGrantRow {
        id: id.into(),
        client_id: Some(client_id.into()),
        audience: audience.into(),
        doc: obj(doc),
        created_at,
        version: 1,
    }
}

pub fn credential(id: &str, client_id: &str, created_at: i64) -> CredentialRow {
    CredentialRow {
        id: id.into(),
        client_id: client_id.into(),
        doc: obj(json!({"credential_type": "public_key", "name": id})),
        created_at,
    }
}

pub fn signing_key(kid: &str, state: KeyState, created_at: i64) -> SigningKeyRow {
    SigningKeyRow {
        kid: kid.into(),
        private_pkcs8: SecretBytes(format!("PRIVATE-KEY-BYTES-{kid}").into_bytes()),
        cert_pem: format!("-----BEGIN CERTIFICATE-----{kid}"),
        pkcs7_pem: format!("-----BEGIN PKCS7-----{kid}"),
        state,
        created_at,
        current_since: (state == KeyState::Current).then_some(created_at),
        current_until: None,
        revoked_at: None,
    }
}
