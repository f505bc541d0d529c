//! Secrets at rest, read from outside: raw database bytes and file permissions.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use sqlx::Connection as _;

use crate::api::{admin_creds, Api};
use crate::harness::{engine, Engine, ServeOpts, Tenant};

/// Markers of an RSA private key in PKCS#8, in PEM, DER (hex) and base64 spellings; a
/// public key or certificate has none of them.
const PRIVATE_KEY_MARKERS: &[&str] = &[
    "PRIVATE KEY",
    "020100300d06092a864886f70d0101010500",
    "BgkqhkiG9w0BAQEFAASC",
];
const DER_PKCS8_PREFIX: &[u8] = &[
    0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    0x05, 0x00,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secrets_are_sealed_and_files_private() {
    let tenant = Tenant::new(engine()).await;
    // The generated key file this time, so its mode can be checked too.
    let mut cmd = tenant.serve_command(&ServeOpts::default());
    cmd.env_remove("ZEROTH_MASTER_KEY");
    let mut node = tenant
        .try_serve(cmd)
        .unwrap_or_else(|f| panic!("{}", f.stderr));
    let dir = tenant.data_dir();
    let api = Api::admin(&dir, &node.base_url()).await;
    let probe = format!("sealed-probe-{}", zeroth_core::ids::alnum(10));
    let mut secrets = vec![admin_creds(&dir).client_secret];
    for i in 0..5 {
        let c = api.create_m2m(&format!("{probe}-{i}")).await;
        secrets.push(c["client_secret"].as_str().unwrap().to_string());
    }
    let tls_key = std::fs::read_to_string(dir.join("tls").join("ca.key")).ok();

    let dump = raw_dump(&tenant).await;
    assert!(dump.len() > 4096, "read too little to mean anything");
    assert!(
        contains(&dump, probe.as_bytes()),
        "the dump should show the clients' names in clear (else we read the wrong bytes)"
    );
    for s in &secrets {
        assert!(s.len() >= 32, "secret too short to search for");
        assert!(
            !contains(&dump, s.as_bytes()),
            "a client secret is stored in clear"
        );
    }
    for m in PRIVATE_KEY_MARKERS {
        assert!(
            !contains(&dump, m.as_bytes()),
            "private key material in clear: {m}"
        );
    }
    assert!(
        !contains(&dump, DER_PKCS8_PREFIX),
        "a DER private key in clear"
    );
    if let Some(pem) = tls_key {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(
            !contains(&dump, &body.as_bytes()[..40]),
            "the CA key in the database"
        );
    }

    assert_private_dir(&dir);
    let mut private = vec![
        dir.join("master.key"),
        dir.join("admin-credentials.json"),
        dir.join("tls").join("ca.key"),
        dir.join("tls").join("key.pem"),
    ];
    if tenant.engine() == Engine::Sqlite {
        for f in ["zeroth.db", "zeroth.db-wal", "zeroth.db-shm"] {
            private.push(dir.join(f));
        }
    }
    for p in &private {
        assert_private(p);
    }

    // A database file an older version left world-readable is tightened on the next start.
    if tenant.engine() == Engine::Sqlite {
        node.stop();
        let db = dir.join("zeroth.db");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut cmd = tenant.serve_command(&ServeOpts::default());
        cmd.env_remove("ZEROTH_MASTER_KEY");
        let _node = tenant
            .try_serve(cmd)
            .unwrap_or_else(|f| panic!("{}", f.stderr));
        assert_private(&db);
    }
}

fn assert_private(p: &Path) {
    let mode = std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "{} has mode {:o}",
        p.display(),
        mode & 0o777
    );
}

fn assert_private_dir(p: &Path) {
    let mode = std::fs::metadata(p).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o077,
        0,
        "{} has mode {:o}",
        p.display(),
        mode & 0o777
    );
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Everything the database holds: the SQLite file and its WAL byte for byte, or every
/// PostgreSQL row of every table rendered as text.
async fn raw_dump(tenant: &Tenant) -> Vec<u8> {
    match &tenant.database_url {
        None => {
            let mut all = Vec::new();
            for f in ["zeroth.db", "zeroth.db-wal"] {
                if let Ok(b) = std::fs::read(tenant.data_dir().join(f)) {
                    all.extend(b);
                }
            }
            all
        }
        Some(url) => {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
            let tables = sqlx::query(
                "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables
                 WHERE table_schema = 'public'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let mut out = Vec::new();
            for t in tables {
                let name: String = sqlx::Row::get(&t, "t");
                let rows = sqlx::query(&format!("SELECT CAST(x AS TEXT) AS r FROM {name} x"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
                for r in rows {
                    let s: String = sqlx::Row::get(&r, "r");
                    out.extend(s.into_bytes());
                    out.push(b'\n');
                }
            }
            conn.close().await.unwrap();
            out
        }
    }
}
