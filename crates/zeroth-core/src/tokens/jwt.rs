//! Compact JWS encoding and verification (RS256, PS256, HS256) straight on aws-lc-rs.

use aws_lc_rs::hmac;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{check_claims, Alg, Claims, TokenError, Validation};
use crate::crypto::keys::{KeyRing, RsaScheme};

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn scheme(alg: Alg) -> Option<RsaScheme> {
    match alg {
        Alg::RS256 => Some(RsaScheme::Pkcs1Sha256),
        Alg::PS256 => Some(RsaScheme::PssSha256),
        Alg::HS256 => None,
    }
}

/// The JOSE header Zeroth signs with.
#[derive(Serialize)]
struct SigningHeader<'a> {
    alg: &'a str,
    typ: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
}

/// RSA-2048 signatures are 256 bytes: 342 base64url characters.
const SIGNATURE_B64_MAX: usize = 344;

/// `header.payload` in base64url, with room left for the signature that follows.
fn signing_input(
    header: &SigningHeader<'_>,
    claims: &impl Serialize,
) -> Result<String, TokenError> {
    let payload = serde_json::to_vec(claims).map_err(|e| TokenError::Signing(e.to_string()))?;
    let header = serde_json::to_vec(header).map_err(|e| TokenError::Signing(e.to_string()))?;
    let mut out = String::with_capacity(
        (header.len() + payload.len()).div_ceil(3) * 4 + 2 + SIGNATURE_B64_MAX,
    );
    B64URL.encode_string(header, &mut out);
    out.push('.');
    B64URL.encode_string(payload, &mut out);
    Ok(out)
}

/// Signs `claims` with the ring's current key; the header names it by `kid`.
pub fn encode_rsa(ring: &KeyRing, alg: Alg, claims: &impl Serialize) -> Result<String, TokenError> {
    let scheme = scheme(alg).ok_or_else(|| TokenError::Signing("not an RSA alg".into()))?;
    let header = SigningHeader {
        alg: alg.as_str(),
        typ: "JWT",
        kid: Some(ring.current_kid()),
    };
    let mut token = signing_input(&header, claims)?;
    let sig = ring
        .sign(scheme, token.as_bytes())
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    token.push('.');
    B64URL.encode_string(sig, &mut token);
    Ok(token)
}

/// Signs `claims` with HMAC-SHA256 under `secret` (an API's `signing_secret`).
pub fn encode_hs256(secret: &[u8], claims: &impl Serialize) -> Result<String, TokenError> {
    let header = SigningHeader {
        alg: "HS256",
        typ: "JWT",
        kid: None,
    };
    let mut token = signing_input(&header, claims)?;
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), token.as_bytes());
    token.push('.');
    B64URL.encode_string(tag.as_ref(), &mut token);
    Ok(token)
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// A token split and decoded, signature not yet checked.
struct Parts<'a> {
    alg: Alg,
    kid: Option<String>,
    signing_input: &'a str,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

fn split<'a>(token: &'a str, algs: &[Alg]) -> Result<Parts<'a>, TokenError> {
    let mut it = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(TokenError::Malformed);
    };
    let decode = |part: &str| B64URL.decode(part).map_err(|_| TokenError::Malformed);
    let header: Header = serde_json::from_slice(&decode(h)?).map_err(|_| TokenError::Malformed)?;
    // The alg is checked against what the caller expects before any key is touched,
    // which is what stops `none` and RS/HS key confusion.
    let alg = Alg::parse(&header.alg)
        .filter(|a| algs.contains(a))
        .ok_or(TokenError::AlgNotAllowed(header.alg.clone()))?;
    Ok(Parts {
        alg,
        kid: header.kid,
        signing_input: &token[..h.len() + 1 + p.len()],
        payload: decode(p)?,
        signature: decode(s)?,
    })
}

fn claims_of(parts: &Parts<'_>) -> Result<Claims, TokenError> {
    serde_json::from_slice(&parts.payload).map_err(|_| TokenError::Malformed)
}

/// Checks alg, `kid` and signature against `ring` and decodes the claims, without
/// looking at time, issuer or audience (see [`super::check_claims`]).
pub fn verify_rsa_signature(
    ring: &KeyRing,
    token: &str,
    algs: &[Alg],
) -> Result<(Alg, Claims), TokenError> {
    let rsa_only: Vec<Alg> = algs
        .iter()
        .copied()
        .filter(|a| scheme(*a).is_some())
        .collect();
    let parts = split(token, &rsa_only)?;
    let scheme = scheme(parts.alg).ok_or(TokenError::AlgNotAllowed(parts.alg.as_str().into()))?;
    let kid = parts.kid.as_deref().ok_or(TokenError::UnknownKid)?;
    match ring.verify(
        kid,
        scheme,
        parts.signing_input.as_bytes(),
        &parts.signature,
    ) {
        None => Err(TokenError::UnknownKid),
        Some(false) => Err(TokenError::BadSignature),
        Some(true) => Ok((parts.alg, claims_of(&parts)?)),
    }
}

/// Fully verifies an RS256/PS256 token at time `now` (seconds).
pub fn verify_rsa(
    ring: &KeyRing,
    token: &str,
    v: &Validation,
    now: i64,
) -> Result<Claims, TokenError> {
    let (_, claims) = verify_rsa_signature(ring, token, &v.algs)?;
    check_claims(&claims, v, now)?;
    Ok(claims)
}

/// Fully verifies an HS256 token signed with `secret` at time `now` (seconds).
pub fn verify_hs256(
    secret: &[u8],
    token: &str,
    v: &Validation,
    now: i64,
) -> Result<Claims, TokenError> {
    let hs_only: Vec<Alg> = v
        .algs
        .iter()
        .copied()
        .filter(|a| *a == Alg::HS256)
        .collect();
    let parts = split(token, &hs_only)?;
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    hmac::verify(&key, parts.signing_input.as_bytes(), &parts.signature)
        .map_err(|_| TokenError::BadSignature)?;
    let claims = claims_of(&parts)?;
    check_claims(&claims, v, now)?;
    Ok(claims)
}
