//! Request bodies read the way Auth0 reads them: JSON or form, 1 MB at most, errors enveloped.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::error::envelope;

/// The Management API refuses payloads over 1 MB.
pub const MAX_BODY: usize = 1024 * 1024;

/// A request body as JSON. An empty body reads as an empty object; a JSON `null`
/// (sent by some SDKs on bodiless calls) reads as `Value::Null`.
pub struct JsonBody(pub Value);

pub enum BodyRejection {
    TooLarge,
    UnsupportedMediaType,
    InvalidJson,
}

impl IntoResponse for BodyRejection {
    fn into_response(self) -> Response {
        match self {
            BodyRejection::TooLarge => envelope(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("Payload content length greater than maximum allowed: {MAX_BODY}"),
                None,
            ),
            BodyRejection::UnsupportedMediaType => envelope(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type",
                None,
            ),
            BodyRejection::InvalidJson => envelope(
                StatusCode::BAD_REQUEST,
                "Invalid request payload JSON format",
                Some("invalid_body"),
            ),
        }
    }
}

/// Reads at most `MAX_BODY` bytes.
pub async fn read_limited(body: Body) -> Result<bytes::Bytes, BodyRejection> {
    axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| BodyRejection::TooLarge)
}

fn media_type(req: &Request) -> Option<String> {
    req.headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = BodyRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let media = media_type(&req);
        let declared_len = req
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared_len.is_some_and(|n| n > MAX_BODY) {
            return Err(BodyRejection::TooLarge);
        }
        let bytes = read_limited(req.into_body()).await?;
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(JsonBody(Value::Object(Map::new())));
        }
        match media.as_deref() {
            Some("application/json") | None => serde_json::from_slice(&bytes)
                .map(JsonBody)
                .map_err(|_| BodyRejection::InvalidJson),
            Some("application/x-www-form-urlencoded") => {
                let pairs: Vec<(String, String)> =
                    serde_urlencoded::from_bytes(&bytes).map_err(|_| BodyRejection::InvalidJson)?;
                Ok(JsonBody(Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                )))
            }
            Some(_) => Err(BodyRejection::UnsupportedMediaType),
        }
    }
}
