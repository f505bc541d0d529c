//! Failures: Auth0's error envelope as a typed value, plus transport and setup errors.

use serde::{Deserialize, Serialize};

/// The body Auth0 (and Zeroth) send with every Management API error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    #[serde(rename = "statusCode")]
    pub status_code: u16,
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub message: String,
    #[serde(rename = "errorCode", default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error_code {
            Some(code) => write!(f, "{} ({code})", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// What a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an error envelope (or a non-JSON error we shaped into one).
    #[error("{0}")]
    Api(ApiError),
    /// `/oauth/token` refused the credentials (`{error, error_description}`).
    #[error("{description} ({error})")]
    Token { error: String, description: String },
    #[error("request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("unexpected response: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// The API envelope, when the server sent one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
