//! A stored signing key in Auth0's `SigningKeys` shape.

use serde_json::{json, Map, Value};

use crate::crypto::keys::CertPrints;
use crate::store::{KeyState, SigningKeyRow};

/// The key as the Management API shows it; dates only where they happened. A revoked
/// key was a previous key, so it keeps `previous: true`.
pub fn render(row: &SigningKeyRow) -> Map<String, Value> {
    let prints = CertPrints::of_pem(&row.cert_pem);
    let mut out = Map::new();
    out.insert("kid".into(), json!(row.kid));
    out.insert("cert".into(), json!(row.cert_pem));
    out.insert("pkcs7".into(), json!(row.pkcs7_pem));
    out.insert("current".into(), json!(row.state == KeyState::Current));
    out.insert("next".into(), json!(row.state == KeyState::Next));
    out.insert(
        "previous".into(),
        json!(matches!(row.state, KeyState::Previous | KeyState::Revoked)),
    );
    if let Some(t) = row.current_since {
        out.insert("current_since".into(), crate::iso_ms(t));
    }
    if let Some(t) = row.current_until {
        out.insert("current_until".into(), crate::iso_ms(t));
    }
    if let Some(p) = prints {
        out.insert("fingerprint".into(), json!(p.fingerprint));
        out.insert("thumbprint".into(), json!(p.thumbprint));
    }
    out.insert("revoked".into(), json!(row.state == KeyState::Revoked));
    if let Some(t) = row.revoked_at {
        out.insert("revoked_at".into(), crate::iso_ms(t));
    }
    out
}
