//! PATCH of an API: top-level properties are replaced whole and `null` removes one.

use serde_json::{Map, Value};

use super::defaults::sync_web_lifetime;

/// The API after `patch`. Nested objects (`proof_of_possession`, …) are replaced whole:
/// each is a small unit whose required members only make sense together.
pub fn merge_patch(current: &Map<String, Value>, patch: &Map<String, Value>) -> Map<String, Value> {
    let mut out = current.clone();
    for (k, v) in patch {
        if v.is_null() {
            out.remove(k);
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    sync_web_lifetime(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replaces_and_removes() {
        let cur = json!({"name": "a", "token_lifetime": 86400, "token_lifetime_for_web": 7200,
            "consent_policy": "transactional-authorization-with-mfa"});
        let patch = json!({"token_lifetime": 3600, "consent_policy": null});
        let out = merge_patch(
            cur.as_object().unwrap_or(&Map::new()),
            patch.as_object().unwrap_or(&Map::new()),
        );
        assert_eq!(
            Value::Object(out),
            json!({"name": "a", "token_lifetime": 3600, "token_lifetime_for_web": 3600})
        );
    }
}
