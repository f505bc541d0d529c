//! Tests for key generation, the ring and the JWKS.
// Tests may unwrap; there is no clippy.toml `allow-unwrap-in-tests`, and `expect` would
// turn into an error the day one is added.

use std::sync::OnceLock;

use aws_lc_rs::signature::{self, RsaPublicKeyComponents};
use base64::Engine;

use super::*;

/// RSA generation takes a while; the tests share a few keys.
fn keys() -> &'static [SigningKeyRow; 3] {
    static KEYS: OnceLock<[SigningKeyRow; 3]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let gen = |s, t| generate_signing_key("acme.example.com", s, t).unwrap();
        [
            gen(KeyState::Current, 2_000),
            gen(KeyState::Next, 3_000),
            gen(KeyState::Previous, 1_000),
        ]
    })
}

fn b64url(s: &serde_json::Value) -> Vec<u8> {
    B64URL.decode(s.as_str().unwrap()).unwrap()
}

#[test]
fn generated_key_has_auth0_shaped_material() {
    let k = &keys()[0];
    assert!(k.kid.len() >= 22);
    assert_eq!(k.current_since, Some(2_000));
    assert!(k.cert_pem.starts_with("-----BEGIN CERTIFICATE-----\r\n"));
    assert!(k.pkcs7_pem.starts_with("-----BEGIN PKCS7-----\r\n"));
    let p = CertPrints::of_pem(&k.cert_pem).unwrap();
    assert_eq!(p.thumbprint.len(), 40);
    assert_eq!(p.fingerprint.len(), 59);
    assert_eq!(p.fingerprint.replace(':', ""), p.thumbprint);
    assert_eq!(B64URL.decode(&p.x5t).unwrap().len(), 20);
    assert_eq!(B64URL.decode(&p.x5t_s256).unwrap().len(), 32);
    // The PKCS#7 wraps exactly this certificate.
    let cert = pem_to_der(&k.cert_pem, "CERTIFICATE").unwrap();
    let p7 = pem_to_der(&k.pkcs7_pem, "PKCS7").unwrap();
    assert_eq!(p7, pkcs7_certs_only(&cert));
    assert!(p7.windows(cert.len()).any(|w| w == cert.as_slice()));
    // Subject CN is the domain (UTF8String or PrintableString, same bytes).
    assert!(cert
        .windows(b"acme.example.com".len())
        .any(|w| w == b"acme.example.com"));
    assert!(!format!("{k:?}").contains(&hex::encode(&k.private_pkcs8.0[..16])));
}

#[test]
fn sign_then_verify_round_trip_and_tamper() {
    let ring = KeyRing::from_rows(keys()).unwrap();
    assert_eq!(ring.current_kid(), keys()[0].kid);
    for scheme in [RsaScheme::Pkcs1Sha256, RsaScheme::PssSha256] {
        let sig = ring.sign(scheme, b"hello").unwrap();
        assert_eq!(sig.len(), 256);
        assert_eq!(
            ring.verify(&keys()[0].kid, scheme, b"hello", &sig),
            Some(true)
        );
        assert_eq!(
            ring.verify(&keys()[0].kid, scheme, b"hellp", &sig),
            Some(false)
        );
        assert_eq!(
            ring.verify(&keys()[1].kid, scheme, b"hello", &sig),
            Some(false)
        );
        assert_eq!(ring.verify("nope", scheme, b"hello", &sig), None);
    }
    let pss = ring.sign(RsaScheme::PssSha256, b"x").unwrap();
    let kid = &keys()[0].kid;
    assert_eq!(
        ring.verify(kid, RsaScheme::Pkcs1Sha256, b"x", &pss),
        Some(false)
    );
}

#[test]
fn jwks_publishes_current_next_previous_and_verifies_independently() {
    let ring = KeyRing::from_rows(keys()).unwrap();
    let jwks = ring.jwks();
    let list = jwks["keys"].as_array().unwrap();
    let kids: Vec<&str> = list.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, [&keys()[0].kid, &keys()[1].kid, &keys()[2].kid]);
    let sig = ring.sign(RsaScheme::Pkcs1Sha256, b"payload").unwrap();
    for (i, k) in list.iter().enumerate() {
        let mut names: Vec<&String> = k.as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(names, ["alg", "e", "kid", "kty", "n", "use", "x5c", "x5t"]);
        assert_eq!(k["alg"], "RS256");
        assert_eq!(k["kty"], "RSA");
        assert_eq!(k["use"], "sig");
        assert_eq!(b64url(&k["e"]), vec![1u8, 0, 1]);
        let cert = base64::engine::general_purpose::STANDARD
            .decode(k["x5c"][0].as_str().unwrap())
            .unwrap();
        assert_eq!(k["x5t"], CertPrints::of(&cert).x5t);
        let n = b64url(&k["n"]);
        assert_eq!(n.len(), 256);
        // The certificate carries the same modulus.
        assert!(cert.windows(n.len()).any(|w| w == n.as_slice()));
        // Verify with nothing but the published n and e.
        let e = b64url(&k["e"]);
        let public = RsaPublicKeyComponents {
            n: n.as_slice(),
            e: e.as_slice(),
        };
        let ok = public
            .verify(&signature::RSA_PKCS1_2048_8192_SHA256, b"payload", &sig)
            .is_ok();
        assert_eq!(ok, i == 0);
    }
}

#[test]
fn revoked_keys_are_neither_published_nor_trusted() {
    let mut rows = keys().to_vec();
    rows[2].state = KeyState::Revoked;
    let ring = KeyRing::from_rows(&rows).unwrap();
    assert_eq!(ring.jwks()["keys"].as_array().unwrap().len(), 2);
    assert!(!ring.trusts(&rows[2].kid));
    assert!(ring.trusts(&rows[1].kid));
}

#[test]
fn a_ring_needs_a_current_key() {
    let rows = vec![keys()[1].clone()];
    assert!(matches!(
        KeyRing::from_rows(&rows),
        Err(KeyError::NoCurrentKey)
    ));
    let mut broken = keys()[0].clone();
    broken.private_pkcs8 = SecretBytes(vec![1, 2, 3]);
    assert!(matches!(
        KeyRing::from_rows(&[broken]),
        Err(KeyError::BadKey { .. })
    ));
}

#[test]
fn openssl_reads_the_pkcs7_if_present() {
    // An independent parser, when the machine has one; skipped silently otherwise.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.p7");
    std::fs::write(&path, &keys()[0].pkcs7_pem).unwrap();
    let Ok(out) = std::process::Command::new("openssl")
        .args(["pkcs7", "-print_certs", "-noout", "-in"])
        .arg(&path)
        .output()
    else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("CN=acme.example.com") || text.contains("CN = acme.example.com"));
}
