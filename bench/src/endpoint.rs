//! The RS256-only endpoint: Zeroth's HTTP and TLS stack answering each request with a
//! freshly signed RS256 token and nothing else, the ceiling token issuance is held to.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Context};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

struct Signer {
    key: RsaKeyPair,
    rng: SystemRandom,
    /// The claims of a real Zeroth token; `iat` and `exp` are set per request so every
    /// answer is a new signature over an input of the same size.
    claims: Map<String, Value>,
    header: String,
}

/// Serves `POST /oauth/token` on `listen` until killed, with Zeroth's TLS settings
/// (`zeroth_server::tls`), TCP_NODELAY as Zeroth sets it, and the same axum/hyper/rustls
/// versions, on the same multi-threaded runtime.
pub async fn serve(
    listen: SocketAddr,
    cert: &Path,
    key: &Path,
    claims: &Path,
) -> anyhow::Result<()> {
    let claims: Map<String, Value> = serde_json::from_slice(
        &std::fs::read(claims).with_context(|| format!("reading {}", claims.display()))?,
    )
    .context("CLAIMS must hold a JSON object")?;
    let signer = Arc::new(Signer {
        key: RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| anyhow!("RSA keygen failed"))?,
        rng: SystemRandom::new(),
        claims,
        header: URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","kid":"ceiling"}"#),
    });
    let tls = zeroth_server::tls::rustls_config(cert, key)?;
    let app = Router::new()
        .route("/oauth/token", post(issue))
        .with_state(signer);
    axum_server::bind_rustls(listen, tls)
        .map(|tls| tls.acceptor(axum_server::accept::NoDelayAcceptor))
        .serve(app.into_make_service())
        .await?;
    Ok(())
}

async fn issue(State(s): State<Arc<Signer>>, _body: Bytes) -> Response {
    match sign(&s) {
        Ok(token) => axum::Json(zeroth_server::oauth::TokenResponse {
            access_token: &token,
            scope: s.claims.get("scope").and_then(Value::as_str),
            expires_in: 86_400,
            token_type: "Bearer",
        })
        .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn sign(s: &Signer) -> anyhow::Result<String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let mut claims = s.claims.clone();
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + 86_400));
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?);
    let mut token = format!("{}.{payload}", s.header);
    let mut sig = vec![0u8; s.key.public_modulus_len()];
    s.key
        .sign(&RSA_PKCS1_SHA256, &s.rng, token.as_bytes(), &mut sig)
        .map_err(|_| anyhow!("signing failed"))?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(&sig));
    Ok(token)
}
