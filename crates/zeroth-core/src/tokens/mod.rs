//! Access tokens: signing, verification and the client_credentials grant.

mod cache;
mod client_credentials;
mod jwt;
mod keys;
#[cfg(test)]
mod tests;

pub use cache::VerifiedCache;
pub use client_credentials::{client_credentials_claims, narrow_scopes, ClientCredentials};
pub use jwt::{encode_hs256, encode_rsa, verify_hs256, verify_rsa, verify_rsa_signature};
pub use keys::TokenKeys;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Seconds of clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: i64 = 30;

/// The JWS algorithms Zeroth signs and verifies. `none` is deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    RS256,
    PS256,
    HS256,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
            Alg::HS256 => "HS256",
        }
    }

    pub fn parse(s: &str) -> Option<Alg> {
        match s {
            "RS256" => Some(Alg::RS256),
            "PS256" => Some(Alg::PS256),
            "HS256" => Some(Alg::HS256),
            _ => None,
        }
    }
}

/// `aud`: one string (Auth0's M2M tokens) or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let list: &[String] = match self {
            Audience::One(a) => std::slice::from_ref(a),
            Audience::Many(v) => v,
        };
        list.iter().map(String::as_str)
    }

    /// As Auth0 prints it in `Bad audience: …`.
    pub fn display(&self) -> String {
        self.iter().collect::<Vec<_>>().join(" ")
    }
}

/// The claims of an access token. Unknown claims are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The parsed `scope`, made once per verified token rather than once per request
    /// (a Management API token carries over 200 scopes).
    #[serde(skip)]
    pub granted_memo: GrantedMemo,
}

/// A lazily parsed [`Granted`]; invisible to equality and debug output.
#[derive(Clone, Default)]
pub struct GrantedMemo(std::sync::OnceLock<crate::scopes::Granted>);

impl PartialEq for GrantedMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for GrantedMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GrantedMemo")
    }
}

impl Claims {
    /// The scopes this token grants, parsed on first use.
    pub fn granted(&self) -> crate::scopes::Granted {
        self.granted_memo
            .0
            .get_or_init(|| crate::scopes::Granted::from_claim(self.scope.as_deref().unwrap_or("")))
            .clone()
    }

    /// The granted scopes, from the space-separated `scope` claim.
    pub fn scopes(&self) -> Vec<String> {
        self.scope
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }
}

/// What a verified token must satisfy beyond its signature.
#[derive(Debug, Clone)]
pub struct Validation {
    /// Accepted `alg`s; anything else (including `none`) is refused before any crypto.
    pub algs: Vec<Alg>,
    pub issuer: String,
    /// `aud` must contain at least one of these.
    pub audiences: Vec<String>,
}

/// Why a token was refused. The HTTP layer picks Auth0's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("algorithm not accepted: {0}")]
    AlgNotAllowed(String),
    #[error("unknown signing key")]
    UnknownKid,
    #[error("bad signature")]
    BadSignature,
    #[error("expired")]
    Expired,
    #[error("not valid yet")]
    NotYetValid,
    #[error("wrong issuer: {0}")]
    WrongIssuer(String),
    #[error("wrong audience: {0}")]
    WrongAudience(String),
    #[error("could not sign: {0}")]
    Signing(String),
}

/// Checks the time, issuer and audience of claims whose signature already passed.
pub fn check_claims(claims: &Claims, v: &Validation, now: i64) -> Result<(), TokenError> {
    if claims.exp + LEEWAY_SECS <= now {
        return Err(TokenError::Expired);
    }
    if claims.nbf.is_some_and(|nbf| nbf - LEEWAY_SECS > now) {
        return Err(TokenError::NotYetValid);
    }
    if claims.iss != v.issuer {
        return Err(TokenError::WrongIssuer(claims.iss.clone()));
    }
    if !claims
        .aud
        .iter()
        .any(|a| v.audiences.iter().any(|w| w == a))
    {
        return Err(TokenError::WrongAudience(claims.aud.display()));
    }
    Ok(())
}

/// Seconds since the Unix epoch, the unit of `iat` and `exp`.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}
