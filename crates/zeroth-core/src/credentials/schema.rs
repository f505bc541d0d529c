//! The credential bodies Auth0 accepts, and the stored document made from a create body.

use serde_json::{json, Map, Value};

use super::parse_time;
use super::pem::RsaPublic;
use crate::schema::Schema;
use crate::{now_ms, Error};

pub fn create() -> Schema {
    Schema::object()
        .prop(
            "credential_type",
            Schema::string_enum(&["public_key", "cert_subject_dn", "x509_cert"]),
        )
        .prop("name", Schema::string().max_len(128))
        .prop("pem", Schema::string())
        .prop("subject_dn", Schema::string().min_len(1).max_len(256))
        .prop("alg", Schema::string_enum(&["RS256", "RS384", "PS256"]))
        .prop(
            "kid",
            Schema::string()
                .min_len(10)
                .max_len(64)
                .pattern("^([0-9a-zA-Z-_]{10,64})$"),
        )
        .prop("parse_expiry_from_cert", Schema::boolean())
        .prop("expires_at", Schema::string().format("date-time"))
        .required(&["credential_type"])
        .closed()
}

pub fn update() -> Schema {
    Schema::object()
        .prop(
            "expires_at",
            Schema::string().format("date-time").nullable(),
        )
        .min_props(1)
        .closed()
}

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidBody(message.into())
}

/// The stored document for a valid create body. Only `public_key` credentials are
/// kept: Zeroth has no mutual-TLS endpoint for the certificate kinds to serve.
pub fn new_doc(body: &Value) -> Result<Map<String, Value>, Error> {
    let get = |k: &str| body.get(k);
    let kind = get("credential_type").and_then(Value::as_str).unwrap_or("");
    if kind != "public_key" {
        return Err(Error::BadRequest {
            code: "operation_not_supported",
            message: format!("credential_type {kind} is not supported; use public_key"),
        });
    }
    let pem = get("pem")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Payload validation error: 'Missing required property: pem'."))?;
    let key = RsaPublic::from_pem(pem).ok_or_else(|| {
        invalid(
            "The pem is not an RSA public key of 2048 to 8192 bits \
             (PEM \"PUBLIC KEY\" or \"RSA PUBLIC KEY\")",
        )
    })?;
    let mut doc = Map::new();
    if let Some(name) = get("name") {
        doc.insert("name".into(), name.clone());
    }
    doc.insert("credential_type".into(), json!("public_key"));
    let kid = match get("kid").and_then(Value::as_str) {
        Some(k) => k.to_string(),
        None => key.thumbprint(),
    };
    doc.insert("kid".into(), json!(kid));
    let alg = get("alg").and_then(Value::as_str).unwrap_or("RS256");
    doc.insert("alg".into(), json!(alg));
    doc.insert("pem".into(), json!(pem));
    doc.insert("updated_at".into(), json!(now_ms()));
    let expires = get("expires_at").and_then(parse_time);
    doc.insert("expires_at".into(), json!(expires));
    Ok(doc)
}
