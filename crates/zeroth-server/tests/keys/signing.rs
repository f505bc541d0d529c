//! `/api/v2/keys/signing` while tokens are being verified, and JWKS after each step.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use aws_lc_rs::signature::{self, RsaPublicKeyComponents};
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::harness::*;

/// Kids published at `/.well-known/jwks.json`, after checking each entry independently:
/// the key rebuilt from `n`/`e` alone is the one in its `x5c` certificate.
async fn jwks_kids(s: &Server) -> BTreeSet<String> {
    let jwks = s.jwks().await;
    let mut kids = BTreeSet::new();
    for k in jwks["keys"].as_array().unwrap() {
        assert_eq!(k["kty"], "RSA");
        assert_eq!(k["alg"], "RS256");
        let n = B64URL.decode(k["n"].as_str().unwrap()).unwrap();
        let cert = base64::engine::general_purpose::STANDARD
            .decode(k["x5c"][0].as_str().unwrap())
            .unwrap();
        assert!(cert.windows(n.len()).any(|w| w == n.as_slice()));
        kids.insert(k["kid"].as_str().unwrap().to_string());
    }
    kids
}

/// Verifies `jwt` with nothing but the JWKS entry its `kid` names.
async fn verifies_with_jwks(s: &Server, jwt: &str) -> bool {
    let kid = header_kid(jwt);
    let jwks = s.jwks().await;
    let Some(k) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
    else {
        return false;
    };
    let n = B64URL.decode(k["n"].as_str().unwrap()).unwrap();
    let e = B64URL.decode(k["e"].as_str().unwrap()).unwrap();
    let (signed, sig) = jwt.rsplit_once('.').unwrap();
    let sig = B64URL.decode(sig).unwrap();
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &sig,
        )
        .is_ok()
}

fn by_state<'a>(list: &'a Value, flag: &str) -> Vec<&'a Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|k| k[flag] == true)
        .collect()
}

fn check_shape(k: &Value) {
    let cert = k["cert"].as_str().unwrap();
    assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\r\n"));
    assert!(k["pkcs7"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PKCS7-----\r\n"));
    let thumb = k["thumbprint"].as_str().unwrap();
    assert_eq!(thumb.len(), 40);
    assert_eq!(k["fingerprint"].as_str().unwrap().replace(':', ""), thumb);
    for flag in ["current", "next", "previous", "revoked"] {
        assert!(k[flag].is_boolean(), "{flag} in {k}");
    }
}

fn is_ms_utc(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.'
}

async fn keys_list(s: &Server, token: &str) -> Value {
    let (status, list) = s
        .call(Method::GET, "/api/v2/keys/signing", token, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_and_revoke_while_tokens_are_verified() {
    let s = server().await;
    let t0 = s.admin_token.clone();
    let list = keys_list(&s, &t0).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    list.as_array().unwrap().iter().for_each(check_shape);
    let cur0 = by_state(&list, "current")[0]["kid"]
        .as_str()
        .unwrap()
        .to_string();
    let next0 = by_state(&list, "next")[0]["kid"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(is_ms_utc(&by_state(&list, "current")[0]["current_since"]));
    assert_eq!(header_kid(&t0), cur0);
    assert_eq!(
        jwks_kids(&s).await,
        BTreeSet::from([cur0.clone(), next0.clone()])
    );
    assert!(verifies_with_jwks(&s, &t0).await);

    // One key by kid; an unknown kid is Auth0's 404.
    let (status, one) = s
        .admin(Method::GET, &format!("/api/v2/keys/signing/{cur0}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["current"], true);
    let (status, body) = s
        .admin(Method::GET, "/api/v2/keys/signing/nope", None)
        .await;
    assert_envelope(status, &body, 404, Some("inexistent_signing_key"));

    // Rotate: the next key signs now, the old one is previous and still trusted.
    let (status, rotated) = s
        .admin(Method::POST, "/api/v2/keys/signing/rotate", None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rotated}");
    assert_eq!(rotated["kid"], next0.as_str());
    assert!(rotated["cert"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let list = keys_list(&s, &t0).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(by_state(&list, "current")[0]["kid"], next0.as_str());
    let prev = by_state(&list, "previous");
    assert_eq!(prev.len(), 1);
    assert_eq!(prev[0]["kid"], cur0.as_str());
    assert!(is_ms_utc(&prev[0]["current_until"]));
    let next1 = by_state(&list, "next")[0]["kid"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(next1 != cur0 && next1 != next0);
    assert_eq!(
        jwks_kids(&s).await,
        BTreeSet::from([cur0.clone(), next0.clone(), next1.clone()])
    );
    // The token issued before the rotation still works; new ones use the new key.
    assert_eq!(keys_list(&s, &t0).await.as_array().unwrap().len(), 3);
    let (id, secret) = (
        s.running.admin.client_id.clone(),
        s.running.admin.client_secret.expose().to_string(),
    );
    let t1 = s.token_with_secret(&id, &secret).await;
    assert_eq!(header_kid(&t1), next0);
    assert!(verifies_with_jwks(&s, &t1).await);
    assert!(verifies_with_jwks(&s, &t0).await);

    // Only a previously used key can be revoked.
    for kid in [&next0, &next1] {
        let (status, body) = s
            .admin(
                Method::PUT,
                &format!("/api/v2/keys/signing/{kid}/revoke"),
                None,
            )
            .await;
        assert_envelope(status, &body, 400, Some("operation_not_supported"));
    }
    let (status, body) = s
        .admin(Method::PUT, "/api/v2/keys/signing/nope/revoke", None)
        .await;
    assert_envelope(status, &body, 404, Some("inexistent_signing_key"));

    let (status, revoked) = s
        .call(
            Method::PUT,
            &format!("/api/v2/keys/signing/{cur0}/revoke"),
            &t1,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["kid"], cur0.as_str());
    assert_eq!(revoked["revoked"], true);
    assert!(is_ms_utc(&revoked["revoked_at"]));
    assert_eq!(
        jwks_kids(&s).await,
        BTreeSet::from([next0.clone(), next1.clone()])
    );
    assert!(!verifies_with_jwks(&s, &t0).await);
    // The token signed by the revoked key is refused at once; the new one works.
    let (status, body) = s.call(Method::GET, "/api/v2/keys/signing", &t0, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(keys_list(&s, &t1).await.as_array().unwrap().len(), 3);
    let list = keys_list(&s, &t1).await;
    assert_eq!(by_state(&list, "revoked")[0]["kid"], cur0.as_str());
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_are_enforced() {
    let s = server().await;
    let (id, secret) = s.client_with_scopes(&["read:clients"]).await;
    let weak = s.token_with_secret(&id, &secret).await;
    for (method, path, want) in [
        (Method::GET, "/api/v2/keys/signing", "read:signing_keys"),
        (
            Method::POST,
            "/api/v2/keys/signing/rotate",
            "create:signing_keys",
        ),
        (
            Method::PUT,
            "/api/v2/keys/signing/x/revoke",
            "update:signing_keys",
        ),
    ] {
        let (status, body) = s.call(method, path, &weak, None).await;
        assert_envelope(status, &body, 403, Some("insufficient_scope"));
        assert!(body["message"].as_str().unwrap().contains(want), "{body}");
    }
    let (status, _) = s
        .call(Method::GET, "/api/v2/keys/signing", "garbage", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_node_follows_a_rotation() {
    let p = place().await;
    let a = node(&p, None).await;
    let b = node(&p, Some(a.running.tenant.domain.clone())).await;
    let (status, rotated) = a
        .admin(Method::POST, "/api/v2/keys/signing/rotate", None)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let new_current = rotated["kid"].as_str().unwrap().to_string();
    let want: BTreeSet<String> = jwks_kids(&a).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while jwks_kids(&b).await != want {
        assert!(Instant::now() < deadline, "node b never saw the rotation");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (id, secret) = (
        b.running.admin.client_id.clone(),
        b.running.admin.client_secret.expose().to_string(),
    );
    let t = b.token_with_secret(&id, &secret).await;
    assert_eq!(header_kid(&t), new_current);
    a.running.stop().await.unwrap();
    b.running.stop().await.unwrap();
}
