//! `/api/v2/clients/{id}/credentials`: CRUD, every refusal, and linking to the client.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair, RsaKeyPair};
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::harness::*;

/// A fresh RSA key: the pair and its public key as SPKI PEM.
pub fn rsa_key() -> (RsaKeyPair, String) {
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
    let pkcs8 = pair.as_der().unwrap();
    let pem = rcgen::KeyPair::try_from(pkcs8.as_ref())
        .unwrap()
        .public_key_pem();
    (pair, pem)
}

/// RFC 7638 thumbprint, computed here from the key pair's own n and e.
fn thumbprint(pair: &RsaKeyPair) -> String {
    let p = pair.public_key();
    let n = B64URL.encode(p.modulus().big_endian_without_leading_zero());
    let e = B64URL.encode(p.exponent().big_endian_without_leading_zero());
    let json = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    B64URL.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        json.as_bytes(),
    ))
}

fn is_ms_utc(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.'
}

pub async fn new_client(s: &Server) -> String {
    let (status, c) = s
        .admin(
            Method::POST,
            "/api/v2/clients",
            Some(json!({"name": "pkj", "app_type": "non_interactive"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["client_id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_crud_and_refusals() {
    let s = server().await;
    let cid = new_client(&s).await;
    let base = format!("/api/v2/clients/{cid}/credentials");
    let (pair, pem) = rsa_key();

    let (status, created) = s
        .admin(
            Method::POST,
            &base,
            Some(json!({"credential_type": "public_key", "name": "k1", "pem": pem})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("cred_") && id.len() == 27, "{id}");
    assert_eq!(created["kid"], thumbprint(&pair).as_str());
    assert_eq!(created["alg"], "RS256");
    assert_eq!(created["name"], "k1");
    assert!(is_ms_utc(&created["created_at"]) && is_ms_utc(&created["updated_at"]));
    assert!(created.get("expires_at").is_none(), "{created}");
    assert!(created.get("pem").is_none());

    let (status, list) = s.admin(Method::GET, &base, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["expires_at"], Value::Null);
    let one = format!("{base}/{id}");
    let (status, got) = s.admin(Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, list[0]);

    // PATCH: expires_at only, normalised to UTC milliseconds; 200.
    let (status, patched) = s
        .admin(
            Method::PATCH,
            &one,
            Some(json!({"expires_at": "2031-05-16T11:07:30.535694+02:00"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["expires_at"], "2031-05-16T09:07:30.535Z");
    let (_, patched) = s
        .admin(Method::PATCH, &one, Some(json!({"expires_at": null})))
        .await;
    assert_eq!(patched["expires_at"], Value::Null);
    for bad in [
        json!({}),
        json!({"name": "x"}),
        json!({"expires_at": "soon"}),
    ] {
        let (status, body) = s.admin(Method::PATCH, &one, Some(bad)).await;
        assert_envelope(status, &body, 400, Some("invalid_body"));
    }

    // Create refusals.
    let (_, other_pem) = rsa_key();
    for bad in [
        json!({"pem": other_pem}),
        json!({"credential_type": "public_key", "pem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}),
        json!({"credential_type": "public_key", "pem": other_pem, "kid": "short"}),
        json!({"credential_type": "public_key", "pem": other_pem, "alg": "HS256"}),
        json!({"credential_type": "public_key", "pem": other_pem, "extra": 1}),
        json!({"credential_type": "public_key"}),
    ] {
        let (status, body) = s.admin(Method::POST, &base, Some(bad.clone())).await;
        assert_envelope(status, &body, 400, Some("invalid_body"));
    }
    let (status, body) = s
        .admin(
            Method::POST,
            &base,
            Some(json!({"credential_type": "x509_cert", "pem": other_pem})),
        )
        .await;
    assert_envelope(status, &body, 400, Some("operation_not_supported"));
    let (status, body) = s
        .admin(
            Method::POST,
            &base,
            Some(json!({"credential_type": "public_key", "pem": pem})),
        )
        .await;
    assert_envelope(status, &body, 409, Some("conflict"));
    let (status, body) = s
        .admin(
            Method::POST,
            "/api/v2/clients/nope/credentials",
            Some(json!({"credential_type": "public_key", "pem": other_pem})),
        )
        .await;
    assert_envelope(status, &body, 404, Some("inexistent_client"));
    let (status, body) = s
        .admin(Method::GET, "/api/v2/clients/nope/credentials", None)
        .await;
    assert_envelope(status, &body, 404, Some("inexistent_client"));
    let (status, body) = s
        .admin(Method::GET, &format!("{base}/cred_nope"), None)
        .await;
    assert_envelope(status, &body, 404, Some("inexistent_credential"));

    // Scopes.
    let (wid, wsecret) = s.client_with_scopes(&["read:clients"]).await;
    let weak = s.token_with_secret(&wid, &wsecret).await;
    let (status, body) = s.call(Method::GET, &base, &weak, None).await;
    assert_envelope(status, &body, 403, Some("insufficient_scope"));
    let (status, body) = s.call(Method::DELETE, &one, &weak, None).await;
    assert_envelope(status, &body, 403, Some("insufficient_scope"));

    // Linking: only this client's existing credentials.
    let other = new_client(&s).await;
    let (_, foreign) = s
        .admin(
            Method::POST,
            &format!("/api/v2/clients/{other}/credentials"),
            Some(json!({"credential_type": "public_key", "pem": other_pem})),
        )
        .await;
    let link = |cred: &str| json!({"token_endpoint_auth_method": null, "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": cred}]}}});
    for cred in [
        "cred_0000000000000000000000",
        foreign["id"].as_str().unwrap(),
    ] {
        let (status, body) = s
            .admin(
                Method::PATCH,
                &format!("/api/v2/clients/{cid}"),
                Some(link(cred)),
            )
            .await;
        assert_envelope(status, &body, 400, Some("invalid_body"));
        assert!(body["message"].as_str().unwrap().contains(cred), "{body}");
    }
    let (status, body) = s
        .admin(
            Method::PATCH,
            &format!("/api/v2/clients/{cid}"),
            Some(link(&id)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["client_authentication_methods"]["private_key_jwt"]["credentials"][0]["id"],
        id.as_str()
    );
    // A linked credential cannot be deleted; once unlinked it can, twice.
    let (status, body) = s.admin(Method::DELETE, &one, None).await;
    assert_envelope(status, &body, 400, Some("operation_not_supported"));
    let (status, body) = s
        .admin(
            Method::PATCH,
            &format!("/api/v2/clients/{cid}"),
            Some(json!({"client_authentication_methods": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for _ in 0..2 {
        let (status, _) = s.admin(Method::DELETE, &one, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, body) = s.admin(Method::GET, &one, None).await;
    assert_envelope(status, &body, 404, Some("inexistent_credential"));
    s.running.stop().await.unwrap();
}

/// Several keys given in one `POST /clients` list in the order the body gave them, though
/// they are stored in one go (random ids could not order them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_given_together_list_in_body_order() {
    let s = server().await;
    let names = ["first", "second", "third", "fourth", "fifth"];
    let credentials: Vec<Value> = names
        .iter()
        .map(|name| json!({"credential_type": "public_key", "name": name, "pem": rsa_key().1}))
        .collect();
    let (status, created) = s
        .admin(
            Method::POST,
            "/api/v2/clients",
            Some(json!({
                "name": "many keys",
                "app_type": "non_interactive",
                "client_authentication_methods": {"private_key_jwt": {"credentials": credentials}}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let client_id = created["client_id"].as_str().unwrap();
    let (status, listed) = s
        .admin(
            Method::GET,
            &format!("/api/v2/clients/{client_id}/credentials"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, names);
    s.running.stop().await.unwrap();
}
