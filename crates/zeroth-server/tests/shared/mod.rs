//! Set-up every zeroth-server test binary shares: the database a test server runs on, and an HTTPS client for it.

use sqlx::Connection as _;
use zeroth_server::start::Running;

/// The database for a test server, by `ZEROTH_TEST_ENGINE` (default `sqlite`): `None` leaves
/// the server on SQLite in its data directory; `postgres` gives it a fresh database of its own.
// apis runs every test on both engines, whatever this variable says, so never calls this.
#[allow(dead_code)]
pub async fn database_url(prefix: &str) -> Option<String> {
    match std::env::var("ZEROTH_TEST_ENGINE").as_deref() {
        Ok("sqlite") | Err(_) => None,
        Ok("postgres") => {
            let admin = std::env::var("ZEROTH_TEST_POSTGRES_URL")
                .expect("ZEROTH_TEST_ENGINE=postgres needs ZEROTH_TEST_POSTGRES_URL");
            Some(postgres_database(&admin, prefix).await)
        }
        Ok(other) => panic!("ZEROTH_TEST_ENGINE={other}: expected sqlite or postgres"),
    }
}

/// Creates a database named `<prefix><random>` in the cluster `admin_url` reaches and
/// answers its URL. `prefix` keeps a binary's leftovers recognisable in the cluster.
pub async fn postgres_database(admin_url: &str, prefix: &str) -> String {
    sqlx::any::install_default_drivers();
    // Lowercase: PostgreSQL folds the unquoted name, and the URL must name what it created.
    let name = format!("{prefix}{}", zeroth_core::ids::alnum(12).to_lowercase());
    let mut conn = sqlx::AnyConnection::connect(admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let mut url = url::Url::parse(admin_url).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// A client for `running` over real HTTPS: the tenant's domain resolves to the listener
/// and only the development CA is trusted, so a certificate the server did not issue fails.
/// A builder, for the binaries that also need their own redirect policy or user agent.
pub fn https_client_builder(running: &Running) -> reqwest::ClientBuilder {
    let ca = std::fs::read(running.ca_cert.as_ref().unwrap()).unwrap();
    let ca = reqwest::Certificate::from_pem(&ca).unwrap();
    let host = running.tenant.domain.split(':').next().unwrap();
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .resolve(host, running.addr)
}
