//! The client Create and Update body schemas (Auth0's `Create/UpdateClientRequestContent`).
//!
//! Derived from Auth0's OAS, with these deliberate deviations (see docs/API.md):
//! - `client_secret` is accepted on create (string, minLength 1): Auth0's docs recommend
//!   omitting it, which implies it may be sent, and the seed request sends it.
//! - `resource_servers` (array of `{identifier: string≥1, scopes: [string≥1]}`, both objects
//!   closed) is accepted on create and update and stored/echoed as given (2016–17 API shape).
//! - On update every top-level object property also accepts `null` (Auth0 accepts
//!   `addons: null` although its OAS does not say so); `null` removes the property.
//! - `jwt_configuration.lifetime_in_seconds` accepts an integer or a numeric string.

mod addons;
mod credentials;
mod nested;

use crate::schema::{self, Schema, Type};
use crate::Error;
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Update,
}

/// Every `app_type` Auth0 knows; the list filter checks `app_type=` against it too.
pub const APP_TYPES: &[&str] = &[
    "native",
    "spa",
    "regular_web",
    "non_interactive",
    "resource_server",
    "express_configuration",
    "rms",
    "box",
    "cloudbees",
    "concur",
    "dropbox",
    "mscrm",
    "echosign",
    "egnyte",
    "newrelic",
    "office365",
    "salesforce",
    "sentry",
    "sharepoint",
    "slack",
    "springcm",
    "zendesk",
    "zoom",
    "sso_integration",
    "oag",
];

/// On update, `null` is legal wherever the OAS says so; `or_null` marks those.
fn or_null(schema: Schema, mode: Mode) -> Schema {
    match mode {
        Mode::Create => schema,
        Mode::Update => schema.nullable(),
    }
}

/// On create these strings must be non-empty; on update any string is fine.
fn page_string(mode: Mode) -> Schema {
    match mode {
        Mode::Create => Schema::string().min_len(1),
        Mode::Update => Schema::string(),
    }
}

fn url_list(format: &'static str) -> Schema {
    Schema::array(Schema::string().format(format))
}

fn non_empty_list() -> Schema {
    Schema::array(Schema::string().min_len(1))
}

fn client(mode: Mode) -> Schema {
    use nested::*;
    let create = mode == Mode::Create;
    let b = Schema::boolean;
    let s = Schema::string;
    let mut root = Schema::object()
        .prop("name", s().pattern("^[^<>]+$"))
        .prop("description", s().max_len(140))
        .prop("client_secret", s().min_len(1))
        .prop("logo_uri", s().format("absolute-uri-or-empty"))
        .prop("callbacks", url_list("callback-url"))
        .prop("oidc_logout", oidc_logout())
        .prop("oidc_backchannel_logout", oidc_logout())
        .prop("session_transfer", session_transfer())
        .prop("allowed_origins", url_list("url-with-placeholders"))
        .prop("web_origins", url_list("url-with-placeholders"))
        .prop("client_aliases", non_empty_list())
        .prop("allowed_clients", non_empty_list())
        .prop("allowed_logout_urls", url_list("url-with-placeholders"))
        .prop("grant_types", non_empty_list())
        .prop(
            "token_endpoint_auth_method",
            or_null(
                Schema::string_enum(&["none", "client_secret_post", "client_secret_basic"]),
                mode,
            ),
        )
        .prop("is_token_endpoint_ip_header_trusted", b())
        .prop("app_type", Schema::string_enum(APP_TYPES))
        .prop("is_first_party", b())
        .prop("oidc_conformant", b())
        .prop("jwt_configuration", jwt_configuration())
        .prop("encryption_key", encryption_key())
        .prop("sso", b())
        .prop("cross_origin_authentication", b())
        .prop(
            "cross_origin_loc",
            if create {
                s().format("url")
            } else {
                s().format("url-or-null").nullable()
            },
        )
        .prop("sso_disabled", b())
        .prop("custom_login_page_on", b())
        .prop("custom_login_page", page_string(mode))
        .prop("custom_login_page_preview", page_string(mode))
        .prop("form_template", page_string(mode))
        .prop("addons", addons::addons())
        .prop("client_metadata", Schema::object().max_props(10))
        .prop("mobile", mobile())
        .prop(
            "initiate_login_uri",
            s().format("absolute-https-uri-with-placeholders-or-empty"),
        )
        .prop("native_social_login", native_social_login())
        .prop("refresh_token", refresh_token())
        .prop("default_organization", default_organization())
        .prop(
            "organization_usage",
            or_null(Schema::string_enum(&["deny", "allow", "require"]), mode),
        )
        .prop(
            "organization_require_behavior",
            or_null(
                Schema::string_enum(&["no_prompt", "pre_login_prompt", "post_login_prompt"]),
                mode,
            ),
        )
        .prop(
            "organization_discovery_methods",
            or_null(
                Schema::array(Schema::string_enum(&["email", "organization_name"])).min_items(1),
                mode,
            ),
        )
        .prop(
            "client_authentication_methods",
            if create {
                credentials::authentication_methods_create()
            } else {
                credentials::authentication_methods_update()
            },
        )
        .prop("require_pushed_authorization_requests", b())
        .prop("require_proof_of_possession", b())
        .prop(
            "signed_request_object",
            if create {
                credentials::signed_request_object_create()
            } else {
                credentials::signed_request_object_update()
            },
        )
        .prop(
            "compliance_level",
            Schema::string_enum(&[
                "none",
                "fapi1_adv_pkj_par",
                "fapi1_adv_mtls_par",
                "fapi2_sp_pkj_mtls",
                "fapi2_sp_mtls_mtls",
            ])
            .nullable(),
        )
        .prop(
            "skip_non_verifiable_callback_uri_confirmation_prompt",
            or_null(b(), mode),
        )
        .prop("token_exchange", or_null(token_exchange(), mode))
        .prop(
            "par_request_expiry",
            Schema::integer().min(10.0).max(600.0).nullable(),
        )
        .prop("token_quota", or_null(token_quota(), mode))
        .prop(
            "express_configuration",
            or_null(express_configuration(), mode),
        )
        .prop(
            "my_organization_configuration",
            or_null(my_organization_configuration(), mode),
        )
        .prop(
            "async_approval_notification_channels",
            or_null(
                Schema::array(Schema::string_enum(&["guardian-push", "email"])).min_items(1),
                mode,
            ),
        )
        .prop(
            "third_party_security_mode",
            Schema::string_enum(&["strict", "permissive"]),
        )
        .prop(
            "redirection_policy",
            Schema::string_enum(&["allow_always", "open_redirect_protection"]),
        )
        .prop("resource_servers", resource_servers())
        .closed();
    match mode {
        Mode::Create => {
            root = root
                .prop("resource_server_identifier", s().min_len(1).max_len(600))
                .required(&["name"]);
        }
        Mode::Update => {
            root = root.min_props(1);
            for (_, prop) in root.properties.iter_mut() {
                if prop.types.contains(&Type::Object) {
                    *prop = prop.clone().nullable();
                }
            }
        }
    }
    root
}

/// The Create body schema (also served in our OpenAPI document).
pub fn create_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(|| client(Mode::Create))
}

/// The Update (PATCH) body schema.
pub fn update_schema() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(|| client(Mode::Update))
}

fn run(schema: &Schema, body: &Value) -> Result<(), Error> {
    let problems = schema::validate(schema, body);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidBody(schema::payload_error(&problems)))
    }
}

/// Validates a POST /clients body, reporting every problem in one `invalid_body` error.
pub fn validate_create(body: &Value) -> Result<(), Error> {
    run(create_schema(), body)
}

/// Validates a PATCH /clients/{id} body, reporting every problem in one `invalid_body` error.
pub fn validate_update(body: &Value) -> Result<(), Error> {
    run(update_schema(), body)
}

#[cfg(test)]
mod tests;
