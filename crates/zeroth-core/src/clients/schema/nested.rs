//! The client's nested objects other than add-ons and credentials.

use crate::schema::Schema;
use serde_json::json;

fn s() -> Schema {
    Schema::string()
}

fn b() -> Schema {
    Schema::boolean()
}

/// `ClientJwtConfiguration`; `lifetime_in_seconds` also accepts a numeric string
/// because older tenants and SDKs send one (kept as an integer by the defaults).
pub fn jwt_configuration() -> Schema {
    Schema::object()
        .prop(
            "lifetime_in_seconds",
            Schema::one_of(vec![Schema::integer(), s().pattern("^[0-9]+$")]),
        )
        .prop("secret_encoded", b())
        .prop("scopes", Schema::object())
        .prop(
            "alg",
            Schema::string_enum(&["HS256", "RS256", "RS512", "PS256"]),
        )
}

pub fn encryption_key() -> Schema {
    Schema::object()
        .prop("pub", s())
        .prop("cert", s())
        .prop("subject", s())
        .nullable()
}

pub fn mobile() -> Schema {
    let android = Schema::object().prop("app_package_name", s()).prop(
        "sha256_cert_fingerprints",
        Schema::array(s().min_len(1)).min_items(1),
    );
    let ios = Schema::object()
        .prop("team_id", s())
        .prop("app_bundle_identifier", s());
    Schema::object().prop("android", android).prop("ios", ios)
}

pub fn refresh_token() -> Schema {
    let policy = Schema::object()
        .prop("audience", s().min_len(1).max_len(600))
        .prop("scope", Schema::array(s().min_len(1).max_len(280)))
        .required(&["audience", "scope"])
        .closed();
    Schema::object()
        .prop(
            "rotation_type",
            Schema::string_enum(&["rotating", "non-rotating"]),
        )
        .prop(
            "expiration_type",
            Schema::string_enum(&["expiring", "non-expiring"]),
        )
        .prop("leeway", Schema::integer().min(0.0))
        .prop(
            "token_lifetime",
            Schema::integer().min(1.0).max(157_788_000.0),
        )
        .prop("infinite_token_lifetime", b())
        .prop("idle_token_lifetime", Schema::integer().min(1.0))
        .prop("infinite_idle_token_lifetime", b())
        .prop("policies", Schema::array(policy).min_items(1).nullable())
        .required(&["rotation_type", "expiration_type"])
        .closed()
        .nullable()
}

pub fn native_social_login() -> Schema {
    let provider = || Schema::object().prop("enabled", b()).min_props(1).closed();
    Schema::object()
        .prop("apple", provider())
        .prop("facebook", provider())
        .prop("google", provider())
        .min_props(1)
        .closed()
}

/// `ClientOIDCBackchannelLogoutSettings`, used by `oidc_logout` and its deprecated alias.
pub fn oidc_logout() -> Schema {
    let initiators = Schema::object()
        .prop("mode", Schema::string_enum(&["custom", "all"]))
        .prop(
            "selected_initiators",
            Schema::array(Schema::string_enum(&[
                "rp-logout",
                "idp-logout",
                "password-changed",
                "session-expired",
                "session-revoked",
                "account-deleted",
                "email-identifier-changed",
                "mfa-phone-unenrolled",
                "account-deactivated",
            ])),
        );
    Schema::object()
        .prop(
            "backchannel_logout_urls",
            Schema::array(s().format("absolute-https-uri-with-placeholders-or-empty")),
        )
        .prop("backchannel_logout_initiators", initiators)
        .prop(
            "backchannel_logout_session_metadata",
            Schema::object().prop("include", b()).nullable(),
        )
}

pub fn session_transfer() -> Schema {
    let delegation = Schema::object()
        .prop("allow_delegated_access", b())
        .prop(
            "enforce_device_binding",
            Schema::string_enum(&["ip", "asn"]),
        )
        .closed()
        .nullable();
    Schema::object()
        .prop("can_create_session_transfer_token", b())
        .prop("enforce_cascade_revocation", b())
        .prop(
            "allowed_authentication_methods",
            Schema::array(Schema::string_enum(&["cookie", "query"])).nullable(),
        )
        .prop(
            "enforce_device_binding",
            Schema::string_enum(&["ip", "asn", "none"]),
        )
        .prop("allow_refresh_token", b())
        .prop("enforce_online_refresh_tokens", b())
        .prop("delegation", delegation)
        .closed()
        .nullable()
}

pub fn default_organization() -> Schema {
    Schema::object()
        .prop("organization_id", s().format("organization-id"))
        .prop(
            "flows",
            Schema::array(Schema::string_enum(&["client_credentials"])),
        )
        .required(&["organization_id", "flows"])
        .closed()
        .nullable()
}

pub fn token_quota() -> Schema {
    let per = || Schema::integer().min(1.0).max(2_147_483_647.0);
    let cc = Schema::object()
        .prop("enforce", b())
        .prop("per_day", per())
        .prop("per_hour", per())
        .min_props(1)
        .closed();
    Schema::object()
        .prop("client_credentials", cc)
        .required(&["client_credentials"])
        .closed()
}

pub fn token_exchange() -> Schema {
    Schema::object()
        .prop(
            "allow_any_profile_of_type",
            Schema::array(
                Schema::string_enum(&["custom_authentication", "on_behalf_of_token_exchange"])
                    .min_len(1),
            ),
        )
        .closed()
}

pub fn express_configuration() -> Schema {
    let linked = Schema::object()
        .prop("client_id", s().format("client-id"))
        .required(&["client_id"])
        .closed();
    Schema::object()
        .prop(
            "initiate_login_uri_template",
            s().format("ec-initiate-login-uri-template-url"),
        )
        .prop(
            "user_attribute_profile_id",
            s().format("user-attribute-profile-id"),
        )
        .prop("connection_profile_id", s().format("connection-profile-id"))
        .prop("enable_client", b())
        .prop("enable_organization", b())
        .prop("linked_clients", Schema::array(linked))
        .prop("okta_oin_client_id", s().format("client-id"))
        .prop("admin_login_domain", s().min_len(1))
        .prop("oin_submission_id", s().min_len(1).max_len(200))
        .required(&[
            "initiate_login_uri_template",
            "user_attribute_profile_id",
            "connection_profile_id",
            "enable_client",
            "enable_organization",
            "okta_oin_client_id",
            "admin_login_domain",
        ])
        .closed()
}

pub fn my_organization_configuration() -> Schema {
    Schema::object()
        .prop("connection_profile_id", s().format("connection-profile-id"))
        .prop(
            "user_attribute_profile_id",
            s().format("user-attribute-profile-id"),
        )
        .prop(
            "allowed_strategies",
            Schema::array(Schema::string_enum(&[
                "pingfederate",
                "adfs",
                "waad",
                "google-apps",
                "okta",
                "oidc",
                "samlp",
            ])),
        )
        .prop(
            "connection_deletion_behavior",
            Schema::string_enum(&["allow", "allow_if_empty"]).default_value(json!("allow")),
        )
        .required(&["allowed_strategies", "connection_deletion_behavior"])
        .closed()
}

/// Zeroth extension kept from the 2016–17 schema the seed body uses: echoed back as given.
pub fn resource_servers() -> Schema {
    Schema::array(
        Schema::object()
            .prop("identifier", s().min_len(1))
            .prop("scopes", Schema::array(s().min_len(1)))
            .closed(),
    )
}
