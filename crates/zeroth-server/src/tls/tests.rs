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

#[test]
fn rustls_client_completes_a_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let p = ensure_dev_tls(dir.path()).unwrap();
    let server_cfg = Arc::new(server_config(&p.cert, &p.key).unwrap());
    let mut roots = rustls::RootCertStore::empty();
    for c in load_certs(&p.ca_cert).unwrap() {
        roots.add(c).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let client_cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
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
            return;
        }
    }
    panic!("handshake did not finish");
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
