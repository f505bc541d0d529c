//! Tests for PEM parsing, thumbprints and client-assertion checks.

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{self, KeyPair, RsaKeyPair, RsaSignatureEncoding};
use base64::Engine;
use serde_json::json;

use super::assertion::{claimed_client, verify};
use super::*;
use crate::crypto::keys::pem_crlf;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn pair() -> &'static (RsaKeyPair, String) {
    static KEY: OnceLock<(RsaKeyPair, String)> = OnceLock::new();
    KEY.get_or_init(|| {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = pair.as_der().unwrap();
        let pem = rcgen::KeyPair::try_from(pkcs8.as_ref())
            .unwrap()
            .public_key_pem();
        (pair, pem)
    })
}

#[test]
fn spki_and_pkcs1_pems_parse_to_the_same_key() {
    let (pair, spki_pem) = pair();
    let a = RsaPublic::from_pem(spki_pem).unwrap();
    assert_eq!(a.pkcs1_der, pair.public_key().as_ref());
    let pkcs1_pem = pem_crlf("RSA PUBLIC KEY", pair.public_key().as_ref());
    let b = RsaPublic::from_pem(&pkcs1_pem).unwrap();
    assert_eq!(a.thumbprint(), b.thumbprint());
    assert_eq!(a.thumbprint().len(), 43);
    assert_eq!(a.e, vec![1, 0, 1]);
    assert!(
        RsaPublic::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_none()
    );
    assert!(RsaPublic::from_pem("not a pem").is_none());
}

#[test]
fn thumbprint_matches_rfc7638_example() {
    // RFC 7638 §3.1's example key and thumbprint.
    let n = B64URL
        .decode("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
        .unwrap();
    let key = RsaPublic {
        pkcs1_der: vec![],
        n,
        e: vec![1, 0, 1],
    };
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

fn credential(kid: &str, alg: &str, expires_at: Option<i64>) -> CredentialRow {
    let mut doc = Map::new();
    doc.insert("credential_type".into(), json!("public_key"));
    doc.insert("kid".into(), json!(kid));
    doc.insert("alg".into(), json!(alg));
    doc.insert("pem".into(), json!(pair().1));
    doc.insert("expires_at".into(), json!(expires_at));
    CredentialRow {
        id: "cred_x".into(),
        client_id: "c1".into(),
        doc,
        created_at: 0,
    }
}

fn sign(alg: &str, header_kid: &str, claims: Value) -> String {
    let h = B64URL.encode(json!({"alg": alg, "typ": "JWT", "kid": header_kid}).to_string());
    let c = B64URL.encode(claims.to_string());
    let enc: &'static RsaSignatureEncoding = match alg {
        "RS384" => &signature::RSA_PKCS1_SHA384,
        "PS256" => &signature::RSA_PSS_SHA256,
        _ => &signature::RSA_PKCS1_SHA256,
    };
    let pair = &pair().0;
    let mut sig = vec![0; pair.public_modulus_len()];
    pair.sign(
        enc,
        &SystemRandom::new(),
        format!("{h}.{c}").as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{h}.{c}.{}", B64URL.encode(sig))
}

const NOW: i64 = 1_700_000_000;
const AUD: &str = "https://acme.test/oauth/token";

fn claims(exp: i64) -> Value {
    json!({"iss": "c1", "sub": "c1", "aud": AUD, "exp": exp, "iat": NOW, "jti": "j1"})
}

#[test]
fn assertions_verify_for_each_algorithm() {
    let auds = vec![AUD.to_string(), "https://acme.test/".to_string()];
    for alg in ["RS256", "RS384", "PS256"] {
        let creds = [credential("k1", alg, None)];
        let a = sign(alg, "k1", claims(NOW + 60));
        assert_eq!(claimed_client(&a).as_deref(), Some("c1"));
        let v = verify(&a, "c1", &creds, &auds, NOW).unwrap();
        assert_eq!((v.jti.as_str(), v.exp), ("j1", NOW + 60));
        // The credential's alg is binding.
        let other = if alg == "RS256" { "PS256" } else { "RS256" };
        let creds = [credential("k1", other, None)];
        assert!(verify(&a, "c1", &creds, &auds, NOW).is_err());
    }
}

#[test]
fn every_refusal_has_its_reason() {
    let auds = vec![AUD.to_string()];
    let creds = [credential("k1", "RS256", None)];
    let check = |a: &str| verify(a, "c1", &creds, &auds, NOW).unwrap_err();
    let mut c = claims(NOW + 60);
    c["aud"] = json!("https://elsewhere/");
    assert!(check(&sign("RS256", "k1", c)).contains("aud"));
    assert!(check(&sign("RS256", "k1", claims(NOW - 120))).contains("expired"));
    assert!(check(&sign("RS256", "k1", claims(NOW + 3600))).contains("5 minutes"));
    let mut c = claims(NOW + 60);
    c["iss"] = json!("c2");
    assert!(check(&sign("RS256", "k1", c)).contains("iss"));
    let mut c = claims(NOW + 60);
    c.as_object_mut().unwrap().remove("jti");
    assert!(check(&sign("RS256", "k1", c)).contains("jti"));
    assert!(check(&sign("RS256", "k2", claims(NOW + 60))).contains("No credential"));
    assert!(check(&sign("HS256", "k1", claims(NOW + 60))).contains("algorithm"));
    assert!(check("a.b").contains("well-formed"));
    let good = sign("RS256", "k1", claims(NOW + 60));
    let tampered = good.replacen('.', ".e", 1);
    assert!(!check(&tampered).is_empty());
    let expired = [credential("k1", "RS256", Some(NOW * 1000 - 1))];
    let err = verify(&good, "c1", &expired, &auds, NOW).unwrap_err();
    assert!(err.contains("expired"), "{err}");
}
