//! `/oauth/token` with an RFC 7523 client assertion (`private_key_jwt`).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaKeyPair, RsaSignatureEncoding};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::credentials::{new_client, rsa_key};
use crate::harness::*;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn sign(pair: &RsaKeyPair, alg: &str, claims: &Value) -> String {
    use base64::Engine;
    let h = B64URL.encode(json!({"alg": alg, "typ": "JWT"}).to_string());
    let c = B64URL.encode(claims.to_string());
    let enc: &'static RsaSignatureEncoding = match alg {
        "PS256" => &signature::RSA_PSS_SHA256,
        "RS384" => &signature::RSA_PKCS1_SHA384,
        _ => &signature::RSA_PKCS1_SHA256,
    };
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

struct Pkj {
    client_id: String,
    cred_path: String,
    pair: RsaKeyPair,
    token_url: String,
}

impl Pkj {
    fn claims(&self, aud: &str, exp_in: i64, jti: &str) -> Value {
        json!({"iss": self.client_id, "sub": self.client_id, "aud": aud,
               "iat": now(), "exp": now() + exp_in, "jti": jti})
    }
}

/// Lets `client_id` get Management API tokens with `read:clients`.
async fn grant_read_clients(s: &Server, client_id: &str) {
    let grant = zeroth_core::store::ClientGrantRow {
        id: zeroth_core::ids::client_grant_id(),
        client_id: Some(client_id.to_string()),
        audience: s.audience(),
        doc: json!({"scope": ["read:clients"]})
            .as_object()
            .unwrap()
            .clone(),
        created_at: zeroth_core::now_ms(),
        version: 1,
    };
    s.running
        .state
        .store()
        .insert_client_grant(&grant)
        .await
        .unwrap();
}

/// A client that authenticates with one registered key and may read clients.
async fn pkj_client(s: &Server, alg: &str) -> Pkj {
    let client_id = new_client(s).await;
    grant_read_clients(s, &client_id).await;
    let (pair, pem) = rsa_key();
    let (status, cred) = s
        .admin(
            Method::POST,
            &format!("/api/v2/clients/{client_id}/credentials"),
            Some(json!({"credential_type": "public_key", "pem": pem, "alg": alg})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cred}");
    let id = cred["id"].as_str().unwrap();
    let (status, body) = s
        .admin(
            Method::PATCH,
            &format!("/api/v2/clients/{client_id}"),
            Some(json!({"token_endpoint_auth_method": null,
                        "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": id}]}}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    Pkj {
        cred_path: format!("/api/v2/clients/{client_id}/credentials/{id}"),
        client_id,
        pair,
        token_url: format!("{}/oauth/token", s.base),
    }
}

async fn with_assertion(s: &Server, jwt: &str) -> (StatusCode, Value) {
    s.token_request(&[
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", jwt),
    ])
    .await
}

fn assert_refused(status: StatusCode, body: &Value, needle: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client", "{body}");
    let d = body["error_description"].as_str().unwrap();
    assert!(d.contains(needle), "{d:?} should mention {needle:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_key_jwt_success_and_refusals() {
    let s = server().await;
    let p = pkj_client(&s, "RS256").await;

    let good = sign(&p.pair, "RS256", &p.claims(&p.token_url, 60, "jti-1"));
    let (status, body) = with_assertion(&s, &good).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    let (status, _) = s.call(Method::GET, "/api/v2/clients", token, None).await;
    assert_eq!(status, StatusCode::OK);

    // Replay of the same jti.
    let (status, body) = with_assertion(&s, &good).await;
    assert_refused(status, &body, "jti");
    // The issuer URL is an accepted audience too.
    let by_issuer = sign(
        &p.pair,
        "RS256",
        &p.claims(&s.running.tenant.issuer(), 60, "jti-2"),
    );
    assert_eq!(with_assertion(&s, &by_issuer).await.0, StatusCode::OK);

    // Wrong signer, wrong audience, expired, too long-lived, alg other than registered.
    let (stranger, _) = rsa_key();
    let (status, body) = with_assertion(
        &s,
        &sign(&stranger, "RS256", &p.claims(&p.token_url, 60, "jti-3")),
    )
    .await;
    assert_refused(status, &body, "signature");
    let (status, body) = with_assertion(
        &s,
        &sign(
            &p.pair,
            "RS256",
            &p.claims("https://elsewhere.example/oauth/token", 60, "jti-4"),
        ),
    )
    .await;
    assert_refused(status, &body, "aud");
    let (status, body) = with_assertion(
        &s,
        &sign(&p.pair, "RS256", &p.claims(&p.token_url, -120, "jti-5")),
    )
    .await;
    assert_refused(status, &body, "expired");
    let (status, body) = with_assertion(
        &s,
        &sign(&p.pair, "RS256", &p.claims(&p.token_url, 3600, "jti-6")),
    )
    .await;
    assert_refused(status, &body, "5 minutes");
    let (status, body) = with_assertion(
        &s,
        &sign(&p.pair, "PS256", &p.claims(&p.token_url, 60, "jti-7")),
    )
    .await;
    assert_refused(status, &body, "signature");
    let mut no_jti = p.claims(&p.token_url, 60, "x");
    no_jti.as_object_mut().unwrap().remove("jti");
    let (status, body) = with_assertion(&s, &sign(&p.pair, "RS256", &no_jti)).await;
    assert_refused(status, &body, "jti");

    // Protocol mistakes.
    let (status, body) = s
        .token_request(&[
            ("client_assertion_type", "urn:other"),
            ("client_assertion", &good),
        ])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let fresh = sign(&p.pair, "RS256", &p.claims(&p.token_url, 60, "jti-8"));
    let (status, body) = s
        .token_request(&[
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &fresh),
            ("client_secret", "x"),
        ])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A private_key_jwt client cannot fall back to its secret.
    let (status, body) = s
        .token_request(&[("client_id", &p.client_id), ("client_secret", "whatever")])
        .await;
    assert_refused(status, &body, "private_key_jwt");

    // An expired credential no longer authenticates.
    let (status, body) = s
        .admin(
            Method::PATCH,
            &p.cred_path,
            Some(json!({"expires_at": "2001-01-01T00:00:00.000Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = with_assertion(
        &s,
        &sign(&p.pair, "RS256", &p.claims(&p.token_url, 60, "jti-9")),
    )
    .await;
    assert_refused(status, &body, "expired");
    s.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_key_jwt_with_ps256_and_rs384() {
    let s = server().await;
    for alg in ["PS256", "RS384"] {
        let p = pkj_client(&s, alg).await;
        let jwt = sign(&p.pair, alg, &p.claims(&p.token_url, 60, "only"));
        let (status, body) = with_assertion(&s, &jwt).await;
        assert_eq!(status, StatusCode::OK, "{alg}: {body}");
    }
    s.running.stop().await.unwrap();
}

/// Auth0 lets `POST /clients` carry the public key itself: it becomes a credential record,
/// the create response shows it whole, later reads only its id, and it works at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_given_at_create_authenticates_the_new_client() {
    let s = server().await;
    let (pair, pem) = rsa_key();
    let (status, created) = s
        .admin(
            Method::POST,
            "/api/v2/clients",
            Some(json!({
                "name": "inline pkj",
                "app_type": "non_interactive",
                "grant_types": ["client_credentials"],
                "client_authentication_methods": {"private_key_jwt": {"credentials": [
                    {"credential_type": "public_key", "name": "laptop", "pem": pem, "alg": "RS256"}
                ]}}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let shown = &created["client_authentication_methods"]["private_key_jwt"]["credentials"][0];
    let cred_id = shown["id"].as_str().unwrap().to_owned();
    assert_eq!(shown["name"], "laptop");
    assert_eq!(shown["credential_type"], "public_key");
    assert!(shown.get("pem").is_none(), "the PEM is not echoed: {shown}");

    let (_, read) = s
        .admin(Method::GET, &format!("/api/v2/clients/{client_id}"), None)
        .await;
    assert_eq!(
        read["client_authentication_methods"],
        json!({"private_key_jwt": {"credentials": [{"id": cred_id}]}})
    );
    let (_, creds) = s
        .admin(
            Method::GET,
            &format!("/api/v2/clients/{client_id}/credentials"),
            None,
        )
        .await;
    assert_eq!(creds[0]["id"], cred_id.as_str());

    grant_read_clients(&s, &client_id).await;
    let token_url = format!("{}/oauth/token", s.base);
    let claims = json!({"iss": client_id, "sub": client_id, "aud": token_url,
                        "iat": now(), "exp": now() + 60, "jti": "inline-1"});
    let (status, body) = with_assertion(&s, &sign(&pair, "RS256", &claims)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A bad key in the body creates nothing: neither the client nor a credential.
    let (status, body) = s
        .admin(
            Method::POST,
            "/api/v2/clients",
            Some(json!({
                "name": "bad inline",
                "client_authentication_methods": {"private_key_jwt": {"credentials": [
                    {"credential_type": "public_key", "pem": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n"}
                ]}}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, all) = s
        .admin(Method::GET, "/api/v2/clients?per_page=100", None)
        .await;
    assert!(!all
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "bad inline"));
}
