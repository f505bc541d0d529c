//! Auth0's two-level PATCH merge with `null` deletion, plus the legacy mirror keys.
//!
//! Top-level scalars and arrays are replaced; a top-level object is merged key by key and the
//! value one level down (an addon, `mobile.android`, a metadata value) is replaced wholesale;
//! `null` deletes at either level. Emptying an object keeps it as `{}` (Auth0 does this for
//! `client_metadata`). The legacy `cross_origin_auth` and `oidc_backchannel_logout` keys are
//! recomputed from their modern counterparts whenever the patch touches either of them.

use serde_json::{Map, Value};

/// The client after applying `patch` to `current`; neither input is modified.
pub fn merge_patch(current: &Map<String, Value>, patch: &Map<String, Value>) -> Map<String, Value> {
    let mut out = current.clone();
    for (key, value) in patch {
        match value {
            Value::Null => {
                out.shift_remove(key);
            }
            Value::Object(sub) => match out.get_mut(key) {
                Some(Value::Object(existing)) => merge_level(existing, sub),
                _ => {
                    let mut fresh = Map::new();
                    merge_level(&mut fresh, sub);
                    out.insert(key.clone(), Value::Object(fresh));
                }
            },
            other => {
                out.insert(key.clone(), other.clone());
            }
        }
    }
    sync_mirrors(&mut out, patch);
    out
}

fn merge_level(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        if value.is_null() {
            target.shift_remove(key);
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
}

/// Keeps the deprecated keys Auth0 still returns in step with the ones clients write.
pub fn sync_mirrors(client: &mut Map<String, Value>, touched: &Map<String, Value>) {
    if touched.contains_key("cross_origin_authentication") {
        match client.get("cross_origin_authentication").cloned() {
            Some(v) => {
                client.insert("cross_origin_auth".into(), v);
            }
            None => {
                client.shift_remove("cross_origin_auth");
            }
        }
    }
    // The deprecated alias only carries the URLs; writing it updates the modern object too.
    if touched.contains_key("oidc_backchannel_logout") && !touched.contains_key("oidc_logout") {
        let urls = client
            .get("oidc_backchannel_logout")
            .and_then(|v| v.get("backchannel_logout_urls"))
            .cloned();
        let alias_present = client.contains_key("oidc_backchannel_logout");
        match (urls, client.get_mut("oidc_logout")) {
            (Some(urls), Some(Value::Object(logout))) => {
                logout.insert("backchannel_logout_urls".into(), urls);
            }
            (Some(urls), _) => {
                let mut logout = Map::new();
                logout.insert("backchannel_logout_urls".into(), urls);
                client.insert("oidc_logout".into(), Value::Object(logout));
            }
            // Nulling the alias drops the logout settings; an alias without URLs changes nothing.
            (None, _) if !alias_present => {
                client.shift_remove("oidc_logout");
            }
            (None, _) => {}
        }
    }
    if touched.contains_key("oidc_logout") || touched.contains_key("oidc_backchannel_logout") {
        mirror_backchannel(client);
    }
}

/// `oidc_backchannel_logout` = `{backchannel_logout_urls}` of `oidc_logout`, or absent.
pub fn mirror_backchannel(client: &mut Map<String, Value>) {
    let urls = client
        .get("oidc_logout")
        .and_then(|v| v.get("backchannel_logout_urls"))
        .cloned();
    match urls {
        Some(urls) => {
            let mut mirror = Map::new();
            mirror.insert("backchannel_logout_urls".into(), urls);
            client.insert("oidc_backchannel_logout".into(), Value::Object(mirror));
        }
        None => {
            client.shift_remove("oidc_backchannel_logout");
        }
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
