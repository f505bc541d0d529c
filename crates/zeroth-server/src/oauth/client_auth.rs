//! Reading the token request: form or JSON body, and client credentials from the body
//! or an HTTP Basic header.

use axum::http::{header, HeaderMap};
use base64::Engine;
use serde::Deserialize;

use super::OAuthError;

#[derive(Debug, Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub audience: Option<String>,
    pub scope: Option<String>,
    pub client_assertion: Option<String>,
    pub client_assertion_type: Option<String>,
}

impl TokenRequest {
    /// JSON when the content type says so, `application/x-www-form-urlencoded` otherwise.
    pub fn parse(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, OAuthError> {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        let parsed = if is_json {
            serde_json::from_slice(body).map_err(|e| e.to_string())
        } else {
            serde_urlencoded::from_bytes(body).map_err(|e| e.to_string())
        };
        parsed.map_err(|e| OAuthError::invalid_request(format!("Invalid request body: {e}")))
    }
}

/// The client's claimed identity and secret, wherever they came from.
#[derive(Debug)]
pub struct ClientCreds {
    pub client_id: String,
    /// Never logged.
    pub secret: Option<String>,
}

/// Picks the credentials from Basic or the body; using both for the secret is refused
/// (RFC 6749 §2.3: one method per request).
pub fn client_creds(headers: &HeaderMap, req: &TokenRequest) -> Result<ClientCreds, OAuthError> {
    if req.client_assertion.is_some() || req.client_assertion_type.is_some() {
        return Err(OAuthError::invalid_request(
            "client_assertion (private_key_jwt) is not supported yet",
        ));
    }
    match basic(headers)? {
        Some((id, secret)) => {
            if req.client_secret.is_some() || req.client_id.as_ref().is_some_and(|b| *b != id) {
                return Err(OAuthError::invalid_request(
                    "Client credentials were sent both in the Authorization header and in the body",
                ));
            }
            Ok(ClientCreds {
                client_id: id,
                secret: Some(secret),
            })
        }
        None => Ok(ClientCreds {
            client_id: req
                .client_id
                .clone()
                .ok_or_else(|| OAuthError::missing("client_id"))?,
            secret: req.client_secret.clone(),
        }),
    }
}

/// `Authorization: Basic base64(urlenc(id):urlenc(secret))`; other schemes are ignored.
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| OAuthError::invalid_client())?;
    let Some((scheme, rest)) = value.trim().split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(OAuthError::invalid_client)?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(OAuthError::invalid_client)?;
    match (form_decode(id), form_decode(secret)) {
        (Some(id), Some(secret)) if !id.is_empty() => Ok(Some((id, secret))),
        _ => Err(OAuthError::invalid_client()),
    }
}

/// `application/x-www-form-urlencoded` decoding of one value (`+` is a space).
fn form_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = (bytes.next()? as char).to_digit(16)?;
                let lo = (bytes.next()? as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
            }
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, v.parse().unwrap());
        h
    }

    #[test]
    fn basic_credentials_are_url_decoded() {
        let raw = base64::engine::general_purpose::STANDARD.encode("my%20id:s%2Bc+r%3At");
        let c = client_creds(
            &with_auth(&format!("Basic {raw}")),
            &TokenRequest::default(),
        )
        .unwrap();
        assert_eq!(c.client_id, "my id");
        assert_eq!(c.secret.as_deref(), Some("s+c r:t"));
        assert!(client_creds(&with_auth("Basic !!!"), &TokenRequest::default()).is_err());
        let both = TokenRequest {
            client_secret: Some("x".into()),
            ..Default::default()
        };
        let err = client_creds(&with_auth(&format!("Basic {raw}")), &both).unwrap_err();
        assert_eq!(err.error, "invalid_request");
    }

    #[test]
    fn body_credentials_and_formats() {
        let mut h = HeaderMap::new();
        let r = TokenRequest::parse(
            &h,
            b"grant_type=client_credentials&client_id=a&client_secret=b%2Bc",
        )
        .unwrap();
        assert_eq!(r.client_secret.as_deref(), Some("b+c"));
        h.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        let r = TokenRequest::parse(&h, br#"{"client_id":"a","scope":"x y"}"#).unwrap();
        assert_eq!(r.scope.as_deref(), Some("x y"));
        assert!(TokenRequest::parse(&h, b"grant_type=x").is_err());
        let err = client_creds(&HeaderMap::new(), &TokenRequest::default()).unwrap_err();
        assert_eq!(err.description, "Missing required parameter: client_id");
    }
}
