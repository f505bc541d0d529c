//! Tests for the development CA: creation, reuse, renewal and a real handshake.

use std::sync::Arc;

use super::*;

fn now() -> UnixTime {
    UnixTime::now()
}

#[test]
fn creates_reuses_and_renews() {
    let dir = tempfile::tempdir().unwrap();
    let p = ensure_dev_tls(dir.path()).unwrap();
    let ca = load_certs(&p.ca_cert).unwrap();
    let leaf = load_certs(&p.cert).unwrap();
    for name in DEV_NAMES {
        verify_chain(&ca, &leaf, name, now()).unwrap();
    }
    assert!(verify_chain(&ca, &leaf, "example.com", now()).is_err());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p.ca_key), 0o600);
        assert_eq!(mode(&p.key), 0o600);
    }
    // A second start changes nothing.
    let before: Vec<String> = [&p.ca_cert, &p.ca_key, &p.cert, &p.key]
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    ensure_dev_tls(dir.path()).unwrap();
    let after: Vec<String> = [&p.ca_cert, &p.ca_key, &p.cert, &p.key]
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    assert_eq!(before, after);
    // A lost leaf is reissued by the same CA, which users already trust.
    std::fs::remove_file(&p.cert).unwrap();
    ensure_dev_tls(dir.path()).unwrap();
    assert_eq!(std::fs::read_to_string(&p.ca_cert).unwrap(), before[0]);
    assert_ne!(std::fs::read_to_string(&p.key).unwrap(), before[3]);
    verify_chain(&ca, &load_certs(&p.cert).unwrap(), "localhost", now()).unwrap();
    // A leaf from another CA is replaced too.
    let other = tempfile::tempdir().unwrap();
    let q = ensure_dev_tls(other.path()).unwrap();
    std::fs::copy(&q.cert, &p.cert).unwrap();
    std::fs::copy(&q.key, &p.key).unwrap();
    ensure_dev_tls(dir.path()).unwrap();
    verify_chain(&ca, &load_certs(&p.cert).unwrap(), "localhost", now()).unwrap();
    // Near expiry counts as expired.
    let later = UnixTime::since_unix_epoch(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            + Duration::from_secs(400 * 24 * 3600),
    );
    assert!(verify_chain(&ca, &leaf, "localhost", later).is_err());
}

/// Runs a handshake between the server's config and a rustls client whose suites come
/// in `suites`' order (the provider's when empty); the suite they agreed on.
fn handshake(
    suites: &[rustls::CipherSuite],
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> rustls::CipherSuite {
    let dir = tempfile::tempdir().unwrap();
    let p = ensure_dev_tls(dir.path()).unwrap();
    let server_cfg = Arc::new(server_config(&p.cert, &p.key).unwrap());
    let mut roots = rustls::RootCertStore::empty();
    for c in load_certs(&p.ca_cert).unwrap() {
        roots.add(c).unwrap();
    }
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    if !suites.is_empty() {
        provider.cipher_suites = suites
            .iter()
            .map(|want| {
                *provider
                    .cipher_suites
                    .iter()
                    .find(|s| s.suite() == *want)
                    .unwrap()
            })
            .collect();
    }
    let client_cfg = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let mut client = rustls::ClientConnection::new(Arc::new(client_cfg), name).unwrap();
    let mut server = rustls::ServerConnection::new(server_cfg).unwrap();
    for _ in 0..10 {
        let mut buf = Vec::new();
        client.write_tls(&mut buf).unwrap();
        server.read_tls(&mut buf.as_slice()).unwrap();
        server.process_new_packets().unwrap();
        let mut buf = Vec::new();
        server.write_tls(&mut buf).unwrap();
        client.read_tls(&mut buf.as_slice()).unwrap();
        client.process_new_packets().unwrap();
        if !client.is_handshaking() && !server.is_handshaking() {
            let agreed = client.negotiated_cipher_suite().unwrap().suite();
            assert_eq!(
                Some(agreed),
                server.negotiated_cipher_suite().map(|s| s.suite())
            );
            return agreed;
        }
    }
    panic!("handshake did not finish");
}

#[test]
fn rustls_client_completes_a_handshake() {
    handshake(&[], rustls::DEFAULT_VERSIONS);
}

#[test]
fn server_picks_aes_128_gcm_over_the_clients_first_choice() {
    use rustls::CipherSuite as S;
    // OpenSSL's TLS 1.3 order (curl, wrk, Python): AES-256 first.
    let openssl_order = [
        S::TLS13_AES_256_GCM_SHA384,
        S::TLS13_CHACHA20_POLY1305_SHA256,
        S::TLS13_AES_128_GCM_SHA256,
    ];
    assert_eq!(
        handshake(&openssl_order, &[&rustls::version::TLS13]),
        S::TLS13_AES_128_GCM_SHA256
    );
    let tls12_order = [
        S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];
    assert_eq!(
        handshake(&tls12_order, &[&rustls::version::TLS12]),
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    );
    // A client without AES-128 still gets a suite it offered.
    assert_eq!(
        handshake(
            &[S::TLS13_CHACHA20_POLY1305_SHA256],
            &[&rustls::version::TLS13]
        ),
        S::TLS13_CHACHA20_POLY1305_SHA256
    );
}

#[test]
fn operator_files_must_hold_pem() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.pem");
    std::fs::write(&f, "hello").unwrap();
    assert!(matches!(load_certs(&f), Err(TlsError::Pem { .. })));
    assert!(matches!(load_key(&f), Err(TlsError::Pem { .. })));
    assert!(matches!(
        load_certs(&dir.path().join("missing")),
        Err(TlsError::Io { .. })
    ));
    assert!(trust_instructions(Path::new("/d/tls/ca.pem"))
        .contains("NODE_EXTRA_CA_CERTS=/d/tls/ca.pem"));
}
