//! Who a `/oauth/token` request claims to be, read without consuming the body.

use axum::body::Body;
use axum::extract::Request;
use base64::Engine as _;
use serde::Deserialize;

use crate::body::{read_limited, BodyRejection};

/// Only the fields that name the client; serde skips the rest without copying them.
#[derive(Deserialize)]
struct Claimed {
    client_id: Option<String>,
    client_assertion: Option<String>,
}

/// The client id a token request claims (Basic header, body `client_id`, or the `sub`
/// of a `client_assertion`), and the request with its body put back. Nothing here is
/// verified: it only picks the bucket, and the endpoint authenticates afterwards.
pub async fn claimed_client(req: Request) -> Result<(Request, Option<String>), BodyRejection> {
    if let Some(id) = req
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(basic_client_id)
    {
        return Ok((req, Some(id)));
    }
    let (parts, body) = req.into_parts();
    let bytes = read_limited(body).await?;
    let is_json = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    let claimed: Option<Claimed> = if is_json {
        serde_json::from_slice(&bytes).ok()
    } else {
        serde_urlencoded::from_bytes(&bytes).ok()
    };
    let id = claimed.and_then(|c| {
        c.client_id
            .filter(|id| !id.is_empty())
            .or_else(|| c.client_assertion.as_deref().and_then(assertion_subject))
    });
    Ok((Request::from_parts(parts, Body::from(bytes)), id))
}

fn basic_client_id(header: &str) -> Option<String> {
    let encoded = header.strip_prefix("Basic ")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (id, _) = text.split_once(':')?;
    #[derive(Deserialize)]
    struct One {
        x: String,
    }
    serde_urlencoded::from_str::<One>(&format!("x={id}"))
        .ok()
        .map(|o| o.x)
        .filter(|id| !id.is_empty())
}

fn assertion_subject(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    #[derive(Deserialize)]
    struct Sub {
        sub: Option<String>,
    }
    serde_json::from_slice::<Sub>(&bytes).ok()?.sub
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn claimed(content_type: &str, auth: Option<&str>, body: &str) -> Option<String> {
        let mut req = Request::builder()
            .method("POST")
            .uri("/oauth/token")
            .header("content-type", content_type);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let req = req.body(Body::from(body.to_string())).unwrap();
        let (req, id) = claimed_client(req).await.ok().unwrap();
        // The handler still sees the whole body.
        let rest = axum::body::to_bytes(req.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(rest, body.as_bytes());
        id
    }

    #[tokio::test]
    async fn reads_the_client_from_each_place_a_request_may_put_it() {
        let form = "application/x-www-form-urlencoded";
        assert_eq!(
            claimed(form, None, "grant_type=client_credentials&client_id=a%2Bb").await,
            Some("a+b".into())
        );
        assert_eq!(
            claimed("application/json", None, r#"{"client_id":"j","x":[1]}"#).await,
            Some("j".into())
        );
        let basic = base64::engine::general_purpose::STANDARD.encode("bas%20ic:secret");
        assert_eq!(
            claimed(form, Some(&format!("Basic {basic}")), "").await,
            Some("bas ic".into())
        );
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"sub":"kid1"}"#);
        let body = format!("client_assertion=h.{claims}.s");
        assert_eq!(claimed(form, None, &body).await, Some("kid1".into()));
        assert_eq!(claimed(form, None, "grant_type=x").await, None);
    }
}
