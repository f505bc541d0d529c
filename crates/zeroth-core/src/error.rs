//! The domain's errors, each carrying Auth0's status, `errorCode` and message.

/// An error a caller of the Management API or the token endpoint can see.
///
/// The HTTP layer turns each variant into Auth0's envelope
/// `{statusCode, error, message, errorCode}`; the variant decides the status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400 `invalid_body`: the body failed schema validation or a business rule.
    #[error("{0}")]
    InvalidBody(String),
    /// 400 `invalid_query_string`.
    #[error("{0}")]
    InvalidQuery(String),
    /// 400 with another code (e.g. `invalid_uri`, `operation_not_supported`).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 401: missing or unusable credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403 `insufficient_scope`.
    #[error("{0}")]
    InsufficientScope(String),
    /// 403 with another code.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// 404 with a resource-specific code such as `inexistent_client`.
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// 409 with a resource-specific code.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 500: never shown in detail to the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> u16 {
        match self {
            Error::InvalidBody(_) | Error::InvalidQuery(_) | Error::BadRequest { .. } => 400,
            Error::Unauthorized(_) => 401,
            Error::InsufficientScope(_) | Error::Forbidden { .. } => 403,
            Error::NotFound { .. } => 404,
            Error::Conflict { .. } => 409,
            Error::Internal(_) => 500,
        }
    }

    /// Auth0's `errorCode`, where Auth0 sends one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::InvalidBody(_) => Some("invalid_body"),
            Error::InvalidQuery(_) => Some("invalid_query_string"),
            Error::BadRequest { code, .. }
            | Error::Forbidden { code, .. }
            | Error::NotFound { code, .. }
            | Error::Conflict { code, .. } => Some(code),
            Error::Unauthorized(_) => None,
            Error::InsufficientScope(_) => Some("insufficient_scope"),
            Error::Internal(_) => None,
        }
    }

    pub fn inexistent_client() -> Error {
        Error::NotFound {
            code: "inexistent_client",
            message: "The client does not exist".into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Error {
        Error::Internal(e.to_string())
    }
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Conflict(m) => Error::Conflict {
                code: "conflict",
                message: m,
            },
            other => Error::Internal(other.to_string()),
        }
    }
}
