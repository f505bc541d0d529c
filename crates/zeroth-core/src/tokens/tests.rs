//! Tests for signing, every rejection path, the cache and client-credentials claims.
// Tests may unwrap; there is no clippy.toml `allow-unwrap-in-tests`, and `expect` would
// turn into an error the day one is added.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use serde_json::{json, Map};

use super::*;
use crate::crypto::keys::{generate_signing_key, KeyRing};
use crate::store::{KeyState, SigningKeyRow};

const ISS: &str = "https://acme.test/";
const AUD: &str = "https://acme.test/api/v2/";
const NOW: i64 = 1_800_000_000;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn rows() -> &'static Vec<SigningKeyRow> {
    static ROWS: OnceLock<Vec<SigningKeyRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        [KeyState::Current, KeyState::Next, KeyState::Current]
            .into_iter()
            .enumerate()
            .map(|(i, s)| generate_signing_key("acme.test", s, i as i64).unwrap())
            .collect()
    })
}

/// A ring signing with key 0 and trusting key 1.
fn ring() -> KeyRing {
    KeyRing::from_rows(&rows()[..2]).unwrap()
}

/// A ring signing with key 2, which `ring()` does not know.
fn foreign_ring() -> KeyRing {
    KeyRing::from_rows(&rows()[2..]).unwrap()
}

fn claims() -> Claims {
    Claims {
        iss: ISS.into(),
        sub: "abc@clients".into(),
        aud: Audience::One(AUD.into()),
        iat: Some(NOW),
        exp: NOW + 3600,
        nbf: None,
        scope: Some("read:clients create:clients".into()),
        gty: Some("client-credentials".into()),
        azp: Some("abc".into()),
        extra: Map::new(),
        granted_memo: Default::default(),
    }
}

fn validation() -> Validation {
    Validation {
        algs: vec![Alg::RS256],
        issuer: ISS.into(),
        audiences: vec![AUD.into(), "https://127.0.0.1:8443/api/v2/".into()],
    }
}

fn verify(ring: &KeyRing, token: &str) -> Result<Claims, TokenError> {
    verify_rsa(ring, token, &validation(), NOW)
}

/// A token with a hand-made header and payload, signed with key 0 as RS256.
fn forged(header: serde_json::Value, payload: serde_json::Value) -> String {
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(payload.to_string())
    );
    let sig = ring()
        .sign(
            crate::crypto::keys::RsaScheme::Pkcs1Sha256,
            input.as_bytes(),
        )
        .unwrap();
    format!("{input}.{}", B64.encode(sig))
}

#[test]
fn rs256_round_trip_with_auth0_header_and_claims() {
    let ring = ring();
    let token = encode_rsa(&ring, Alg::RS256, &claims()).unwrap();
    let header: serde_json::Value =
        serde_json::from_slice(&B64.decode(token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(
        header.to_string(),
        json!({"alg":"RS256","typ":"JWT","kid": ring.current_kid()}).to_string()
    );
    let payload: serde_json::Value =
        serde_json::from_slice(&B64.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap();
    let keys: Vec<&String> = payload.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["iss", "sub", "aud", "iat", "exp", "scope", "gty", "azp"]
    );
    assert_eq!(verify(&ring, &token).unwrap(), claims());
}

#[test]
fn ps256_and_hs256_round_trip() {
    let ring = ring();
    let mut v = validation();
    v.algs = vec![Alg::PS256];
    let token = encode_rsa(&ring, Alg::PS256, &claims()).unwrap();
    assert_eq!(verify_rsa(&ring, &token, &v, NOW).unwrap(), claims());
    // PS256 is refused where only RS256 is expected.
    assert_eq!(
        verify(&ring, &token),
        Err(TokenError::AlgNotAllowed("PS256".into()))
    );

    v.algs = vec![Alg::HS256];
    let secret = b"a-very-long-api-signing-secret!!";
    let token = encode_hs256(secret, &claims()).unwrap();
    assert_eq!(verify_hs256(secret, &token, &v, NOW).unwrap(), claims());
    assert_eq!(
        verify_hs256(b"another-secret-of-the-same-size!", &token, &v, NOW),
        Err(TokenError::BadSignature)
    );
    assert!(encode_rsa(&ring, Alg::HS256, &claims()).is_err());
}

#[test]
fn malformed_tokens_are_refused() {
    let ring = ring();
    let good = encode_rsa(&ring, Alg::RS256, &claims()).unwrap();
    let parts: Vec<&str> = good.split('.').collect();
    for bad in [
        "",
        "abc",
        "a.b",
        &format!("{good}.x"),
        &format!("!!.{}.{}", parts[1], parts[2]),
        &format!("{}.{}.%%", parts[0], parts[1]),
        &format!("{}.{}.{}", B64.encode("not json"), parts[1], parts[2]),
        &format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
    ] {
        assert_eq!(verify(&ring, bad), Err(TokenError::Malformed), "{bad}");
    }
    // A correctly signed token whose payload is not a claims object.
    let kid = ring.current_kid().to_string();
    let t = forged(json!({"alg":"RS256","kid":kid}), json!(["not", "claims"]));
    assert_eq!(verify(&ring, &t), Err(TokenError::Malformed));
    let t = forged(
        json!({"alg":"RS256","kid":kid}),
        json!({"iss": ISS, "sub": "x", "aud": AUD}),
    );
    assert_eq!(
        verify(&ring, &t),
        Err(TokenError::Malformed),
        "exp is required"
    );
}

#[test]
fn alg_none_and_key_confusion_are_refused() {
    let ring = ring();
    let body = B64.encode(serde_json::to_vec(&claims()).unwrap());
    let none = format!("{}.{body}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#));
    assert_eq!(
        verify(&ring, &none),
        Err(TokenError::AlgNotAllowed("none".into()))
    );
    let none_kid = format!(
        "{}.{body}.",
        B64.encode(json!({"alg":"none","kid":ring.current_kid()}).to_string())
    );
    assert_eq!(
        verify(&ring, &none_kid),
        Err(TokenError::AlgNotAllowed("none".into()))
    );
    // HS256 "signed" with the public key bytes must never reach HMAC.
    let hs = encode_hs256(
        ring.jwks()["keys"][0]["n"].as_str().unwrap().as_bytes(),
        &claims(),
    );
    assert_eq!(
        verify(&ring, &hs.unwrap()),
        Err(TokenError::AlgNotAllowed("HS256".into()))
    );
    let mut v = validation();
    v.algs = vec![Alg::RS256, Alg::HS256];
    let hs = encode_hs256(b"k", &claims()).unwrap();
    assert!(matches!(
        verify_rsa(&ring, &hs, &v, NOW),
        Err(TokenError::AlgNotAllowed(_))
    ));
}

#[test]
fn unknown_or_missing_kid_and_bad_signatures_are_refused() {
    let ring = ring();
    let foreign = encode_rsa(&foreign_ring(), Alg::RS256, &claims()).unwrap();
    assert_eq!(verify(&ring, &foreign), Err(TokenError::UnknownKid));
    let no_kid = forged(json!({"alg":"RS256","typ":"JWT"}), json!(claims()));
    assert_eq!(verify(&ring, &no_kid), Err(TokenError::UnknownKid));
    // Signed by key 0 but claiming to be the (trusted) next key.
    let next_kid = rows()[1].kid.clone();
    let lying = forged(json!({"alg":"RS256","kid":next_kid}), json!(claims()));
    assert_eq!(verify(&ring, &lying), Err(TokenError::BadSignature));
    // A payload swapped under a valid signature.
    let good = encode_rsa(&ring, Alg::RS256, &claims()).unwrap();
    let mut other = claims();
    other.scope = Some("delete:clients".into());
    let swapped_body = B64.encode(serde_json::to_vec(&other).unwrap());
    let p: Vec<&str> = good.split('.').collect();
    let swapped = format!("{}.{swapped_body}.{}", p[0], p[2]);
    assert_eq!(verify(&ring, &swapped), Err(TokenError::BadSignature));
}

#[test]
fn time_issuer_and_audience_are_checked() {
    let ring = ring();
    let sign = |c: &Claims| encode_rsa(&ring, Alg::RS256, c).unwrap();
    let mut c = claims();
    c.exp = NOW - LEEWAY_SECS - 1;
    assert_eq!(verify(&ring, &sign(&c)), Err(TokenError::Expired));
    c.exp = NOW - 5; // within leeway
    assert!(verify(&ring, &sign(&c)).is_ok());
    let mut c = claims();
    c.nbf = Some(NOW + 600);
    assert_eq!(verify(&ring, &sign(&c)), Err(TokenError::NotYetValid));
    let mut c = claims();
    c.iss = "https://evil.test/".into();
    assert_eq!(
        verify(&ring, &sign(&c)),
        Err(TokenError::WrongIssuer("https://evil.test/".into()))
    );
    let mut c = claims();
    c.aud = Audience::One("https://other/api".into());
    assert_eq!(
        verify(&ring, &sign(&c)),
        Err(TokenError::WrongAudience("https://other/api".into()))
    );
    c.aud = Audience::Many(vec!["https://a/".into(), "https://b/".into()]);
    assert_eq!(
        verify(&ring, &sign(&c)),
        Err(TokenError::WrongAudience("https://a/ https://b/".into()))
    );
    c.aud = Audience::Many(vec![
        "https://a/".into(),
        "https://127.0.0.1:8443/api/v2/".into(),
    ]);
    assert!(verify(&ring, &sign(&c)).is_ok());
    // Tokens signed by the next key verify too (published ahead of rotation).
    let next = KeyRing::from_rows(&[rows()[1].clone().promoted()]).unwrap();
    assert!(verify(&ring, &encode_rsa(&next, Alg::RS256, &claims()).unwrap()).is_ok());
}

trait Promote {
    fn promoted(self) -> Self;
}
impl Promote for SigningKeyRow {
    fn promoted(mut self) -> Self {
        self.state = KeyState::Current;
        self
    }
}

#[test]
fn cache_serves_repeat_verifications_and_is_cleared_on_revocation() {
    let keys = TokenKeys::new(ring());
    let next_signer = KeyRing::from_rows(&[rows()[1].clone().promoted()]).unwrap();
    let by_next = encode_rsa(&next_signer, Alg::RS256, &claims()).unwrap();
    let v = validation();
    assert!(keys.verify_at(&by_next, &v, NOW).is_ok());
    assert_eq!(keys.cache().len(), 1);
    assert!(keys.verify_at(&by_next, &v, NOW).is_ok());
    assert_eq!(keys.cache().len(), 1);
    // A cached token still gets its time, issuer and audience checked.
    let mut other = v.clone();
    other.audiences = vec!["https://x/".into()];
    assert!(matches!(
        keys.verify_at(&by_next, &other, NOW),
        Err(TokenError::WrongAudience(_))
    ));
    assert_eq!(
        keys.verify_at(&by_next, &v, NOW + 7200),
        Err(TokenError::Expired)
    );
    assert_eq!(keys.cache().len(), 0, "expired entries are evicted");
    assert!(keys.verify_at(&by_next, &v, NOW).is_ok());
    // Revoke the next key: its tokens stop verifying at once.
    let mut revoked = rows()[..2].to_vec();
    revoked[1].state = KeyState::Revoked;
    keys.replace(KeyRing::from_rows(&revoked).unwrap());
    assert!(keys.cache().is_empty());
    assert_eq!(
        keys.verify_at(&by_next, &v, NOW),
        Err(TokenError::UnknownKid)
    );
    // Signing uses the current key and verifies through the holder.
    let own = keys.sign(&claims()).unwrap();
    assert_eq!(*keys.verify_at(&own, &v, NOW).unwrap(), claims());
}

#[test]
fn cache_is_bounded_and_ignores_stale_generations() {
    let cache = VerifiedCache::new(16);
    let c = Arc::new(claims());
    for i in 0..100 {
        cache.insert(&format!("t{i}"), Alg::RS256, c.clone(), 0, NOW);
        assert!(cache.len() <= 16);
    }
    let gen = cache.generation();
    cache.clear();
    cache.insert("late", Alg::RS256, c.clone(), gen, NOW);
    assert!(cache.get("late", NOW).is_none());
    let mut expired = claims();
    expired.exp = NOW - 3600;
    cache.insert(
        "old",
        Alg::RS256,
        Arc::new(expired),
        cache.generation(),
        NOW,
    );
    assert!(cache.is_empty());
}

#[test]
fn cache_answers_only_for_the_exact_token() {
    let cache = VerifiedCache::new(16);
    let c = Arc::new(claims());
    let token = format!("{}.{}.sig", "h".repeat(40), "p".repeat(7000));
    cache.insert(&token, Alg::RS256, c.clone(), cache.generation(), NOW);
    assert_eq!(cache.get(&token, NOW).map(|(_, got)| got), Some(c));
    // Same signature, one payload byte changed: a different token, not a hit.
    let mut forged = token.clone().into_bytes();
    forged[100] = b'q';
    let forged = String::from_utf8(forged).unwrap();
    assert!(cache.get(&forged, NOW).is_none());
    assert!(cache.get(&token[..token.len() - 1], NOW).is_none());
}

#[test]
fn client_credentials_claims_follow_auth0() {
    let granted = ["read:clients", "create:clients", "read:client_keys"];
    let mut req = ClientCredentials {
        issuer: ISS,
        client_id: "abc",
        audience: AUD,
        granted: &granted,
        requested: None,
        lifetime_secs: 86400,
        now: NOW,
    };
    let c = client_credentials_claims(&req).unwrap();
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({"iss": ISS, "sub": "abc@clients", "aud": AUD, "iat": NOW, "exp": NOW + 86400,
               "scope": "read:clients create:clients read:client_keys",
               "gty": "client-credentials", "azp": "abc"})
    );
    req.requested = Some("read:client_keys  read:clients");
    let c = client_credentials_claims(&req).unwrap();
    assert_eq!(c.scope.as_deref(), Some("read:clients read:client_keys"));
    req.requested = Some("");
    assert_eq!(client_credentials_claims(&req).unwrap().scopes().len(), 3);
    req.requested = Some("read:clients delete:clients update:x delete:clients");
    assert_eq!(
        client_credentials_claims(&req).unwrap_err(),
        ["delete:clients", "update:x"]
    );
    req.granted = &[];
    req.requested = None;
    let c = client_credentials_claims(&req).unwrap();
    assert_eq!(c.scope, None);
    assert!(!serde_json::to_string(&c).unwrap().contains("scope"));
}
