//! The application's settings forms, grouped as Auth0's dashboard groups them.

use maud::{html, Markup};
use serde_json::Value;
use zeroth_core::clients::rules::KNOWN_GRANT_TYPES;

use crate::admin::layout::{
    bool_at, checkbox_field, field_errors, select_field, text_at, text_field, textarea_field,
};
use crate::admin::problems::Problems;

/// A tab whose content is one form saved with one PATCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Settings,
    RefreshToken,
    Uris,
    Credentials,
    Addons,
    Advanced,
    Mobile,
    Metadata,
}

const LIST_HINT: &str = "One per line, or separated by commas.";
const APP_TYPES: &[&str] = &["native", "spa", "regular_web", "non_interactive"];
const AUTH_METHODS: &[&str] = &["none", "client_secret_post", "client_secret_basic"];
const JWT_ALGS: &[&str] = &["HS256", "RS256", "PS256"];

impl Section {
    pub fn parse(s: &str) -> Option<Section> {
        Some(match s {
            "settings" => Section::Settings,
            "refresh_token" => Section::RefreshToken,
            "uris" => Section::Uris,
            "credentials" => Section::Credentials,
            "addons" => Section::Addons,
            "advanced" => Section::Advanced,
            "mobile" => Section::Mobile,
            "metadata" => Section::Metadata,
            _ => return None,
        })
    }

    pub fn slug(self) -> &'static str {
        match self {
            Section::Settings => "settings",
            Section::RefreshToken => "refresh_token",
            Section::Uris => "uris",
            Section::Credentials => "credentials",
            Section::Addons => "addons",
            Section::Advanced => "advanced",
            Section::Mobile => "mobile",
            Section::Metadata => "metadata",
        }
    }

    /// The tab the form is on: refresh tokens sit on Settings, as in Auth0's dashboard.
    pub fn tab(self) -> &'static str {
        match self {
            Section::RefreshToken => "settings",
            other => other.slug(),
        }
    }

    /// The properties this form edits: problems about anything else go on top of it.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Section::Settings => &[
                "name",
                "description",
                "logo_uri",
                "app_type",
                "is_first_party",
            ],
            Section::Uris => &[
                "initiate_login_uri",
                "callbacks",
                "allowed_logout_urls",
                "web_origins",
                "allowed_origins",
            ],
            Section::RefreshToken => &["refresh_token"],
            Section::Credentials => &["token_endpoint_auth_method"],
            Section::Addons => &["addons"],
            Section::Advanced => &[
                "jwt_configuration",
                "oidc_conformant",
                "grant_types",
                "cross_origin_authentication",
                "cross_origin_loc",
                "sso_disabled",
                "allowed_clients",
                "is_token_endpoint_ip_header_trusted",
                "require_pushed_authorization_requests",
            ],
            Section::Mobile => &["mobile"],
            Section::Metadata => &["client_metadata"],
        }
    }

    /// The form's fields, showing `doc` (the stored client, or what was just rejected).
    pub fn render(self, doc: &Value, p: &Problems) -> Markup {
        match self {
            Section::Settings => html! {
                (text_field("Name", "name", &text_at(doc, "name"), "", p))
                (textarea_field("Description", "description", &text_at(doc, "description"),
                    "At most 140 characters.", p))
                (text_field("Application Logo", "logo_uri", &text_at(doc, "logo_uri"),
                    "An absolute URL of the logo shown on the login page.", p))
                (select_field("Application Type", "app_type", APP_TYPES, &text_at(doc, "app_type"), p))
                (checkbox_field("First-party application", "is_first_party", bool_at(doc, "is_first_party"), p))
            },
            Section::Uris => html! {
                (text_field("Application Login URI", "initiate_login_uri",
                    &text_at(doc, "initiate_login_uri"), "An https URL that starts a login.", p))
                (textarea_field("Allowed Callback URLs", "callbacks", &text_at(doc, "callbacks"), LIST_HINT, p))
                (textarea_field("Allowed Logout URLs", "allowed_logout_urls",
                    &text_at(doc, "allowed_logout_urls"), LIST_HINT, p))
                (textarea_field("Allowed Web Origins", "web_origins", &text_at(doc, "web_origins"), LIST_HINT, p))
                (textarea_field("Allowed Origins (CORS)", "allowed_origins",
                    &text_at(doc, "allowed_origins"), LIST_HINT, p))
            },
            Section::RefreshToken => refresh_token(doc, p),
            Section::Credentials => html! {
                (select_field("Authentication Method", "token_endpoint_auth_method", AUTH_METHODS,
                    &text_at(doc, "token_endpoint_auth_method"), p))
            },
            Section::Addons => {
                // A rejected edit comes back as the text the user typed.
                let text = match doc.get("addons") {
                    Some(Value::String(raw)) => raw.clone(),
                    Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                    None => "{}".into(),
                };
                html! {
                    (textarea_field("Add-ons (JSON)", "addons", &text,
                        "One key per add-on (samlp, wsfed, aws, …) with its settings; remove a key to disable it.", p))
                }
            }
            Section::Advanced => advanced(doc, p),
            Section::Mobile => html! {
                h2 { "Android" }
                (text_field("App Package Name", "mobile.android.app_package_name",
                    &text_at(doc, "mobile.android.app_package_name"), "", p))
                (textarea_field("Key Hashes (SHA-256 certificate fingerprints)",
                    "mobile.android.sha256_cert_fingerprints",
                    &text_at(doc, "mobile.android.sha256_cert_fingerprints"), LIST_HINT, p))
                h2 { "iOS" }
                (text_field("Team ID", "mobile.ios.team_id", &text_at(doc, "mobile.ios.team_id"), "", p))
                (text_field("App Bundle Identifier", "mobile.ios.app_bundle_identifier",
                    &text_at(doc, "mobile.ios.app_bundle_identifier"), "", p))
            },
            Section::Metadata => metadata(doc, p),
        }
    }
}

fn advanced(doc: &Value, p: &Problems) -> Markup {
    let grants: Vec<String> = doc
        .get("grant_types")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    html! {
        h2 { "OAuth" }
        (select_field("JSON Web Token (JWT) Signature Algorithm", "jwt_configuration.alg", JWT_ALGS,
            &text_at(doc, "jwt_configuration.alg"), p))
        div.field {
            label for="jwt_configuration.lifetime_in_seconds" { "ID Token Expiration (seconds)" }
            input type="text" inputmode="numeric" id="jwt_configuration.lifetime_in_seconds"
                name="jwt_configuration.lifetime_in_seconds"
                value=(text_at(doc, "jwt_configuration.lifetime_in_seconds"));
            (field_errors(p, "jwt_configuration.lifetime_in_seconds"))
            (field_errors(p, "jwt_configuration.alg"))
        }
        (checkbox_field("OIDC Conformant", "oidc_conformant", bool_at(doc, "oidc_conformant"), p))
        (checkbox_field("Allow Cross-Origin Authentication", "cross_origin_authentication",
            bool_at(doc, "cross_origin_authentication"), p))
        (text_field("Cross-Origin Verification Fallback URL", "cross_origin_loc",
            &text_at(doc, "cross_origin_loc"), "", p))
        (checkbox_field("Disable Single Sign-On", "sso_disabled", bool_at(doc, "sso_disabled"), p))
        (checkbox_field("Trust Token Endpoint IP Header", "is_token_endpoint_ip_header_trusted",
            bool_at(doc, "is_token_endpoint_ip_header_trusted"), p))
        (checkbox_field("Require Pushed Authorization Requests (PAR)", "require_pushed_authorization_requests",
            bool_at(doc, "require_pushed_authorization_requests"), p))
        (textarea_field("Allowed Apps / APIs", "allowed_clients", &text_at(doc, "allowed_clients"),
            "Client ids allowed to delegate to this application. One per line.", p))
        h2 { "Grant Types" }
        fieldset.field #grant_types {
            div.scopes {
                @for g in KNOWN_GRANT_TYPES {
                    label {
                        input type="checkbox" name="grant_types" value=(g) checked[grants.iter().any(|x| x == g)];
                        " " (g)
                    }
                }
            }
            (field_errors(p, "grant_types"))
        }
    }
}

fn metadata(doc: &Value, p: &Problems) -> Markup {
    let pairs: Vec<(String, String)> = doc
        .get("client_metadata")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect();
    // Room for new pairs up to Auth0's limit of ten keys.
    let blanks = 10usize.saturating_sub(pairs.len()).min(3);
    html! {
        p.hint { "Up to 10 string values; keys and values of at most 255 characters. Clear a key to remove it." }
        table #metadata {
            thead { tr { th { "Key" } th { "Value" } } }
            tbody {
                @for (k, v) in &pairs {
                    tr {
                        td { input type="text" name="meta_key" value=(k) aria-label="Key"; }
                        td { input type="text" name="meta_value" value=(v) aria-label="Value"; }
                    }
                }
                @for _ in 0..blanks {
                    tr {
                        td { input type="text" name="meta_key" value="" aria-label="Key"; }
                        td { input type="text" name="meta_value" value="" aria-label="Value"; }
                    }
                }
            }
        }
        (field_errors(p, "client_metadata"))
    }
}

fn refresh_token(doc: &Value, p: &Problems) -> Markup {
    let number = |label: &str, name: &str| {
        html! {
            div.field {
                label for=(name) { (label) }
                input type="text" inputmode="numeric" id=(name) name=(name) value=(text_at(doc, name));
                (field_errors(p, name))
            }
        }
    };
    html! {
        h2 { "Refresh Token Rotation and Expiration" }
        (select_field("Rotation", "refresh_token.rotation_type", &["non-rotating", "rotating"],
            &text_at(doc, "refresh_token.rotation_type"), p))
        (number("Reuse Interval (seconds)", "refresh_token.leeway"))
        (select_field("Expiration", "refresh_token.expiration_type", &["non-expiring", "expiring"],
            &text_at(doc, "refresh_token.expiration_type"), p))
        (checkbox_field("Set Idle Refresh Token Lifetime to never expire", "refresh_token.infinite_idle_token_lifetime",
            bool_at(doc, "refresh_token.infinite_idle_token_lifetime"), p))
        (number("Idle Refresh Token Lifetime (seconds)", "refresh_token.idle_token_lifetime"))
        (checkbox_field("Set Maximum Refresh Token Lifetime to never expire", "refresh_token.infinite_token_lifetime",
            bool_at(doc, "refresh_token.infinite_token_lifetime"), p))
        (number("Maximum Refresh Token Lifetime (seconds)", "refresh_token.token_lifetime"))
    }
}
