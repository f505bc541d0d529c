//! Reading the token request and authenticating the client: a secret (body or HTTP
//! Basic) or an RFC 7523 `client_assertion` (`private_key_jwt`).

use axum::http::{header, HeaderMap, StatusCode};
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use zeroth_core::credentials::{assertion, linked_ids};
use zeroth_core::store::ClientRow;
use zeroth_core::tokens::now_secs;

use super::{AuthContext, OAuthError};

/// RFC 7523 §2.2.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

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
    /// A `private_key_jwt` assertion, not yet verified.
    pub assertion: Option<String>,
}

/// Picks the credentials from Basic or the body; using both for the secret is refused
/// (RFC 6749 §2.3: one method per request).
pub fn client_creds(headers: &HeaderMap, req: &TokenRequest) -> Result<ClientCreds, OAuthError> {
    if req.client_assertion.is_some() || req.client_assertion_type.is_some() {
        return assertion_creds(headers, req);
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
                assertion: None,
            })
        }
        None => Ok(ClientCreds {
            client_id: req
                .client_id
                .clone()
                .ok_or_else(|| OAuthError::missing("client_id"))?,
            secret: req.client_secret.clone(),
            assertion: None,
        }),
    }
}

fn assertion_creds(headers: &HeaderMap, req: &TokenRequest) -> Result<ClientCreds, OAuthError> {
    if req.client_assertion_type.as_deref() != Some(JWT_BEARER) {
        return Err(OAuthError::invalid_request(format!(
            "client_assertion_type must be {JWT_BEARER}"
        )));
    }
    let jwt = req
        .client_assertion
        .clone()
        .ok_or_else(|| OAuthError::missing("client_assertion"))?;
    if req.client_secret.is_some() || basic(headers)?.is_some() {
        return Err(OAuthError::invalid_request(
            "Only one client authentication method may be used per request",
        ));
    }
    let claimed = assertion::claimed_client(&jwt)
        .ok_or_else(|| assertion_refused("The client_assertion is not a well-formed JWT"))?;
    if req.client_id.as_ref().is_some_and(|id| *id != claimed) {
        return Err(assertion_refused(
            "The client_id does not match the client_assertion sub",
        ));
    }
    Ok(ClientCreds {
        client_id: claimed,
        secret: None,
        assertion: Some(jwt),
    })
}

fn assertion_refused(description: impl Into<String>) -> OAuthError {
    OAuthError {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        description: description.into(),
    }
}

/// Checks the proof `creds` carries for `client`: the assertion against the client's
/// linked credentials (single use through the `jti`), else the secret in constant
/// time. A `private_key_jwt` client cannot fall back to its secret.
pub async fn authenticate_client(
    ctx: &AuthContext,
    client: &ClientRow,
    creds: &ClientCreds,
) -> Result<(), OAuthError> {
    let linked = linked_ids(&client.doc);
    let uses_pkj = client
        .doc
        .get("client_authentication_methods")
        .and_then(|m| m.get("private_key_jwt"))
        .is_some();
    let Some(jwt) = &creds.assertion else {
        if uses_pkj {
            return Err(assertion_refused(
                "This client must authenticate with a client_assertion (private_key_jwt)",
            ));
        }
        let ok = match (&client.client_secret, &creds.secret) {
            (Some(stored), Some(given)) => stored.matches(given),
            _ => false,
        };
        return if ok {
            Ok(())
        } else {
            Err(OAuthError::bad_credentials())
        };
    };
    let pkj_ids: Vec<String> = client
        .doc
        .get("client_authentication_methods")
        .and_then(|m| m.get("private_key_jwt"))
        .and_then(|m| m.get("credentials"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|c| c.get("id").and_then(Value::as_str).map(String::from))
                .filter(|id| linked.contains(id))
                .collect()
        })
        .unwrap_or_default();
    if pkj_ids.is_empty() {
        return Err(assertion_refused(
            "The client has no private_key_jwt credentials",
        ));
    }
    let creds_rows: Vec<_> = ctx
        .store
        .list_credentials(&client.client_id)
        .await?
        .into_iter()
        .filter(|c| pkj_ids.contains(&c.id))
        .collect();
    let audiences: Vec<String> = std::iter::once(&ctx.tenant.domain)
        .chain(ctx.tenant.aliases.iter())
        .flat_map(|d| [format!("https://{d}/oauth/token"), format!("https://{d}/")])
        .collect();
    let verified = assertion::verify(jwt, &client.client_id, &creds_rows, &audiences, now_secs())
        .map_err(assertion_refused)?;
    if !ctx
        .store
        .consume_jti(&client.client_id, &verified.jti, verified.exp)
        .await?
    {
        return Err(assertion_refused(
            "The client_assertion jti has already been used",
        ));
    }
    Ok(())
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
