//! What Auth0 fills in on a new API, and how a stored API is shown.

use serde_json::{json, Map, Value};

use crate::store::ResourceServerRow;
use crate::{ids, Secret};

pub const DEFAULT_SIGNING_ALG: &str = "RS256";
pub const DEFAULT_TOKEN_LIFETIME: i64 = 86_400;
/// Browser flows get at most two hours, and never more than `token_lifetime`.
pub const MAX_TOKEN_LIFETIME_FOR_WEB: i64 = 7_200;

/// Fills in Auth0's defaults for every property the body left out. `identifier` is
/// in `doc`; the name falls back to it (Auth0's OAS does not require a name).
pub fn apply_create_defaults(doc: &mut Map<String, Value>) {
    let identifier = doc.get("identifier").cloned().unwrap_or(Value::Null);
    let fill = [
        ("name", identifier),
        ("allow_offline_access", json!(false)),
        (
            "skip_consent_for_verifiable_first_party_clients",
            json!(false),
        ),
        ("token_lifetime", json!(DEFAULT_TOKEN_LIFETIME)),
        ("signing_alg", json!(DEFAULT_SIGNING_ALG)),
        ("scopes", json!([])),
        ("enforce_policies", json!(false)),
        ("token_dialect", json!("access_token")),
    ];
    for (k, v) in fill {
        if !doc.contains_key(k) {
            doc.insert(k.into(), v);
        }
    }
    sync_web_lifetime(doc);
}

/// `token_lifetime_for_web` follows `token_lifetime`, capped at two hours.
pub fn sync_web_lifetime(doc: &mut Map<String, Value>) {
    let lifetime = doc
        .get("token_lifetime")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_TOKEN_LIFETIME);
    doc.insert(
        "token_lifetime_for_web".into(),
        json!(lifetime.min(MAX_TOKEN_LIFETIME_FOR_WEB)),
    );
}

pub fn signing_alg(doc: &Map<String, Value>) -> &str {
    doc.get("signing_alg")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_SIGNING_ALG)
}

/// The secret an API should hold after a write: the one given, else the one it has,
/// else a new one when it signs with HS256 (its tokens need one).
pub fn settle_secret(
    doc: &Map<String, Value>,
    given: Option<Secret>,
    current: Option<Secret>,
) -> Option<Secret> {
    given
        .or(current)
        .or_else(|| (signing_alg(doc) == "HS256").then(|| Secret::new(ids::alnum(32))))
}

/// The API as Auth0 shows it: `id` first, the document, then `signing_secret`
/// (visible to whoever may read APIs, as on Auth0).
pub fn render(row: &ResourceServerRow) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), json!(row.id));
    for (k, v) in &row.doc {
        out.insert(k.clone(), v.clone());
    }
    out.insert("identifier".into(), json!(row.identifier));
    if row.is_system {
        out.insert("is_system".into(), json!(true));
    } else {
        out.remove("is_system");
    }
    if let Some(secret) = &row.signing_secret {
        out.insert("signing_secret".into(), json!(secret.expose()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_web_lifetime() {
        let mut doc = Map::new();
        doc.insert("identifier".into(), json!("https://api"));
        doc.insert("token_lifetime".into(), json!(600));
        apply_create_defaults(&mut doc);
        assert_eq!(doc["name"], "https://api");
        assert_eq!(doc["signing_alg"], "RS256");
        assert_eq!(doc["token_lifetime_for_web"], 600);
        assert_eq!(doc["scopes"], json!([]));
        assert!(settle_secret(&doc, None, None).is_none());
        doc.insert("signing_alg".into(), json!("HS256"));
        let s = settle_secret(&doc, None, None).map(|s| s.expose().len());
        assert_eq!(s, Some(32));
    }
}
