//! RFC 7523 client assertions (`private_key_jwt`): checked against a client's registered keys.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use base64::Engine;
use serde_json::{Map, Value};

use super::pem::RsaPublic;
use crate::store::CredentialRow;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Auth0 refuses assertions that live longer than five minutes.
pub const MAX_LIFETIME_SECS: i64 = 300;
/// Clock skew tolerated on `exp`, `nbf` and the lifetime bound.
pub const LEEWAY_SECS: i64 = 30;

/// What a good assertion tells the token endpoint: the replay-guard key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub jti: String,
    /// Unix seconds.
    pub exp: i64,
}

struct Parts {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    signed: String,
    signature: Vec<u8>,
}

fn object(b64: &str) -> Option<Map<String, Value>> {
    let bytes = B64URL.decode(b64).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn split(assertion: &str) -> Result<Parts, String> {
    let malformed = || "The client_assertion is not a well-formed JWT".to_string();
    let mut it = assertion.split('.');
    let (Some(h), Some(c), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(malformed());
    };
    Ok(Parts {
        header: object(h).ok_or_else(malformed)?,
        claims: object(c).ok_or_else(malformed)?,
        signed: format!("{h}.{c}"),
        signature: B64URL.decode(s).map_err(|_| malformed())?,
    })
}

/// The client an assertion claims to come from (`sub`, else `iss`), unverified: only
/// used to find which client's keys to check it against.
pub fn claimed_client(assertion: &str) -> Option<String> {
    let parts = split(assertion).ok()?;
    ["sub", "iss"].iter().find_map(|k| {
        parts
            .claims
            .get(*k)
            .and_then(Value::as_str)
            .map(String::from)
    })
}

fn algorithm(alg: &str) -> Option<&'static dyn VerificationAlgorithm> {
    Some(match alg {
        "RS256" => &signature::RSA_PKCS1_2048_8192_SHA256,
        "RS384" => &signature::RSA_PKCS1_2048_8192_SHA384,
        "PS256" => &signature::RSA_PSS_2048_8192_SHA256,
        _ => return None,
    })
}

fn doc_str<'a>(c: &'a CredentialRow, key: &str) -> Option<&'a str> {
    c.doc.get(key).and_then(Value::as_str)
}

/// Checks signature, issuer, subject, audience, times and `jti`. `credentials` are the
/// client's registered credentials; `audiences` the accepted `aud` values; `now` in
/// seconds. The error is the `error_description` to send.
pub fn verify(
    assertion: &str,
    client_id: &str,
    credentials: &[CredentialRow],
    audiences: &[String],
    now: i64,
) -> Result<Verified, String> {
    let parts = split(assertion)?;
    let alg = parts
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("");
    let verifier = algorithm(alg).ok_or_else(|| {
        format!(
            "The client_assertion algorithm {alg:?} is not supported (use RS256, RS384 or PS256)"
        )
    })?;
    let kid = parts.header.get("kid").and_then(Value::as_str);
    let candidates: Vec<&CredentialRow> = credentials
        .iter()
        .filter(|c| doc_str(c, "credential_type") == Some("public_key"))
        .filter(|c| kid.is_none() || doc_str(c, "kid") == kid)
        .collect();
    if candidates.is_empty() {
        return Err("No credential of the client matches the client_assertion".into());
    }
    let live: Vec<&&CredentialRow> = candidates
        .iter()
        .filter(|c| match c.doc.get("expires_at").and_then(Value::as_i64) {
            Some(ms) => ms > now * 1000,
            None => true,
        })
        .collect();
    if live.is_empty() {
        return Err("The client credential has expired".into());
    }
    let signed_ok = live.iter().any(|c| {
        doc_str(c, "alg").unwrap_or("RS256") == alg
            && doc_str(c, "pem")
                .and_then(RsaPublic::from_pem)
                .is_some_and(|k| {
                    UnparsedPublicKey::new(verifier, &k.pkcs1_der)
                        .verify(parts.signed.as_bytes(), &parts.signature)
                        .is_ok()
                })
    });
    if !signed_ok {
        return Err("The client_assertion signature is invalid".into());
    }
    check_claims(&parts.claims, client_id, audiences, now)
}

fn check_claims(
    claims: &Map<String, Value>,
    client_id: &str,
    audiences: &[String],
    now: i64,
) -> Result<Verified, String> {
    let text = |k: &str| claims.get(k).and_then(Value::as_str);
    if text("iss") != Some(client_id) {
        return Err("The client_assertion iss must be the client_id".into());
    }
    if text("sub") != Some(client_id) {
        return Err("The client_assertion sub must be the client_id".into());
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => audiences.contains(a),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .any(|a| audiences.iter().any(|w| w == a)),
        _ => false,
    };
    if !aud_ok {
        return Err(format!(
            "The client_assertion aud must be {}",
            audiences
                .first()
                .map(String::as_str)
                .unwrap_or("the token endpoint")
        ));
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or("The client_assertion must carry a numeric exp")?;
    if exp + LEEWAY_SECS <= now {
        return Err("The client_assertion has expired".into());
    }
    if exp - now > MAX_LIFETIME_SECS + LEEWAY_SECS {
        return Err("The client_assertion must expire within 5 minutes".into());
    }
    if claims
        .get("nbf")
        .and_then(Value::as_i64)
        .is_some_and(|nbf| nbf - LEEWAY_SECS > now)
    {
        return Err("The client_assertion is not valid yet".into());
    }
    let jti = text("jti")
        .filter(|j| !j.is_empty() && j.len() <= 256)
        .ok_or("The client_assertion must carry a jti")?;
    Ok(Verified {
        jti: jti.to_string(),
        exp,
    })
}
