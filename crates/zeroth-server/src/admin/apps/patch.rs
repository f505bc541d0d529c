//! Turning a posted settings form into the PATCH body the clients service receives.

use serde_json::{json, Map, Value};

use super::sections::Section;
use crate::admin::form::Form;
use crate::admin::problems::Problems;

impl Section {
    /// The PATCH body for what was posted, or the problems found before the core is asked.
    pub fn patch(self, form: &Form, current: &Value) -> (Map<String, Value>, Problems) {
        let mut out = Map::new();
        let mut problems = Problems::none();
        match self {
            Section::Settings => {
                out.insert("name".into(), form.text("name"));
                out.insert("description".into(), form.text("description"));
                out.insert("logo_uri".into(), form.text("logo_uri"));
                if !form.get("app_type").is_empty() {
                    out.insert("app_type".into(), form.text("app_type"));
                }
                out.insert(
                    "is_first_party".into(),
                    json!(form.checked("is_first_party")),
                );
            }
            Section::RefreshToken => {
                let mut rt = Map::new();
                // The API takes the two types together or not at all.
                for k in ["rotation_type", "expiration_type"] {
                    rt.insert(k.into(), form.text(&format!("refresh_token.{k}")));
                }
                for k in ["infinite_idle_token_lifetime", "infinite_token_lifetime"] {
                    rt.insert(k.into(), json!(form.checked(&format!("refresh_token.{k}"))));
                }
                for k in ["leeway", "idle_token_lifetime", "token_lifetime"] {
                    if let Some(n) = form.number(&format!("refresh_token.{k}")) {
                        rt.insert(k.into(), n);
                    }
                }
                out.insert("refresh_token".into(), Value::Object(rt));
            }
            Section::Uris => {
                out.insert("initiate_login_uri".into(), form.text("initiate_login_uri"));
                for f in [
                    "callbacks",
                    "allowed_logout_urls",
                    "web_origins",
                    "allowed_origins",
                ] {
                    out.insert(f.into(), form.list(f));
                }
            }
            Section::Credentials => {
                if !form.get("token_endpoint_auth_method").is_empty() {
                    out.insert(
                        "token_endpoint_auth_method".into(),
                        form.text("token_endpoint_auth_method"),
                    );
                }
            }
            Section::Addons => match serde_json::from_str::<Value>(form.get("addons")) {
                Ok(Value::Object(new)) => {
                    let mut addons = removed_keys(current.get("addons"), &new);
                    addons.extend(new);
                    out.insert("addons".into(), Value::Object(addons));
                }
                Ok(_) | Err(_) => {
                    out.insert(
                        "addons".into(),
                        Value::String(form.get("addons").to_string()),
                    );
                    problems =
                        Problems::one("addons", "Expected a JSON object, such as {\"samlp\": {}}");
                }
            },
            Section::Advanced => {
                let mut jwt = Map::new();
                if !form.get("jwt_configuration.alg").is_empty() {
                    jwt.insert("alg".into(), form.text("jwt_configuration.alg"));
                }
                if let Some(n) = form.number("jwt_configuration.lifetime_in_seconds") {
                    jwt.insert("lifetime_in_seconds".into(), n);
                }
                out.insert("jwt_configuration".into(), Value::Object(jwt));
                out.insert(
                    "oidc_conformant".into(),
                    json!(form.checked("oidc_conformant")),
                );
                let grants: Vec<Value> = form
                    .all("grant_types")
                    .into_iter()
                    .map(Value::from)
                    .collect();
                out.insert("grant_types".into(), Value::Array(grants));
                out.insert(
                    "cross_origin_authentication".into(),
                    json!(form.checked("cross_origin_authentication")),
                );
                // Cleared means "no fallback page", which the API spells null.
                let loc = form.get("cross_origin_loc").trim();
                out.insert(
                    "cross_origin_loc".into(),
                    if loc.is_empty() {
                        Value::Null
                    } else {
                        json!(loc)
                    },
                );
                out.insert("sso_disabled".into(), json!(form.checked("sso_disabled")));
                for f in [
                    "is_token_endpoint_ip_header_trusted",
                    "require_pushed_authorization_requests",
                ] {
                    out.insert(f.into(), json!(form.checked(f)));
                }
                out.insert("allowed_clients".into(), form.list("allowed_clients"));
            }
            Section::Mobile => {
                out.insert(
                    "mobile".into(),
                    json!({
                        "android": {
                            "app_package_name": form.get("mobile.android.app_package_name").trim(),
                            "sha256_cert_fingerprints": form.list("mobile.android.sha256_cert_fingerprints"),
                        },
                        "ios": {
                            "team_id": form.get("mobile.ios.team_id").trim(),
                            "app_bundle_identifier": form.get("mobile.ios.app_bundle_identifier").trim(),
                        },
                    }),
                );
            }
            Section::Metadata => {
                let mut new = Map::new();
                for (k, v) in form.all("meta_key").into_iter().zip(form.all("meta_value")) {
                    if !k.trim().is_empty() {
                        new.insert(k.trim().to_string(), json!(v));
                    }
                }
                let mut meta = removed_keys(current.get("client_metadata"), &new);
                meta.extend(new);
                out.insert("client_metadata".into(), Value::Object(meta));
            }
        }
        (out, problems)
    }
}

/// The PATCH merge keeps keys it is not told about: removed ones are sent as `null`.
fn removed_keys(old: Option<&Value>, new: &Map<String, Value>) -> Map<String, Value> {
    old.and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|k| !new.contains_key(*k))
        .map(|k| (k.clone(), Value::Null))
        .collect()
}
