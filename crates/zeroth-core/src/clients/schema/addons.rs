//! The `addons` object: the closed list of add-on names and each add-on's own fields.

use crate::schema::Schema;

fn s() -> Schema {
    Schema::string()
}

fn b() -> Schema {
    Schema::boolean()
}

/// An add-on object: declared fields are typed, extra keys tolerated (as the OAS says).
fn addon(fields: Vec<(&'static str, Schema)>) -> Schema {
    fields
        .into_iter()
        .fold(Schema::object(), |acc, (name, schema)| {
            acc.prop(name, schema)
        })
}

fn salesforce_api() -> Schema {
    addon(vec![
        ("clientid", s()),
        ("principal", s()),
        ("communityName", s()),
        ("community_url_section", s()),
    ])
}

fn samlp() -> Schema {
    addon(vec![
        ("mappings", Schema::object()),
        ("audience", s()),
        ("recipient", s()),
        ("createUpnClaim", b()),
        ("mapUnknownClaimsAsIs", b()),
        ("passthroughClaimsWithNoMapping", b()),
        ("mapIdentities", b()),
        ("signatureAlgorithm", s()),
        ("digestAlgorithm", s()),
        ("issuer", s()),
        ("destination", s()),
        ("lifetimeInSeconds", Schema::integer()),
        ("signResponse", b()),
        ("nameIdentifierFormat", s()),
        ("nameIdentifierProbes", Schema::array(s().min_len(1))),
        ("authnContextClassRef", s()),
    ])
}

fn azure_blob() -> Schema {
    addon(vec![
        ("accountName", s().pattern("^([a-z0-9]){3,24}$")),
        ("storageAccessKey", s().pattern("^([A-Za-z0-9+/]){86}==$")),
        (
            "containerName",
            s().pattern("^([a-z0-9]){1}([a-z0-9-]){2,62}$"),
        ),
        ("blobName", s().pattern("^(.){1,1024}$")),
        ("expiration", Schema::integer().min(0.0)),
        ("signedIdentifier", s()),
        ("blob_read", b()),
        ("blob_write", b()),
        ("blob_delete", b()),
        ("container_read", b()),
        ("container_write", b()),
        ("container_delete", b()),
        ("container_list", b()),
    ])
}

/// `ClientAddons`: only known add-on names (`additionalProperties:false`).
pub fn addons() -> Schema {
    let url = || s().format("url");
    Schema::object()
        .prop(
            "aws",
            addon(vec![
                ("principal", s()),
                ("role", s()),
                (
                    "lifetime_in_seconds",
                    Schema::integer().min(900.0).max(43200.0),
                ),
            ]),
        )
        .prop("azure_blob", azure_blob())
        .prop(
            "azure_sb",
            addon(vec![
                ("namespace", s()),
                ("sasKeyName", s()),
                ("sasKey", s()),
                ("entityPath", s()),
                ("expiration", Schema::integer()),
            ]),
        )
        .prop("rms", addon(vec![("url", url())]).required(&["url"]))
        .prop("mscrm", addon(vec![("url", url())]).required(&["url"]))
        .prop("slack", addon(vec![("team", s())]).required(&["team"]))
        .prop("sentry", addon(vec![("org_slug", s()), ("base_url", s())]))
        .prop("box", Schema::object())
        .prop("cloudbees", Schema::object())
        .prop("concur", Schema::object())
        .prop("dropbox", Schema::object())
        .prop("echosign", addon(vec![("domain", s())]))
        .prop("egnyte", addon(vec![("domain", s())]))
        .prop(
            "firebase",
            addon(vec![
                ("secret", s()),
                ("private_key_id", s()),
                ("private_key", s()),
                ("client_email", s()),
                ("lifetime_in_seconds", Schema::integer()),
            ]),
        )
        .prop("newrelic", addon(vec![("account", s())]))
        .prop(
            "office365",
            addon(vec![("domain", s()), ("connection", s())]),
        )
        .prop("salesforce", addon(vec![("entity_id", url())]))
        .prop("salesforce_api", salesforce_api())
        .prop("salesforce_sandbox_api", salesforce_api())
        .prop("samlp", samlp())
        .prop(
            "layer",
            addon(vec![
                ("providerId", s()),
                ("keyId", s()),
                ("privateKey", s()),
                ("principal", s()),
                ("expiration", Schema::integer().min(0.0)),
            ])
            .required(&["providerId", "keyId", "privateKey"]),
        )
        .prop(
            "sap_api",
            addon(vec![
                ("clientid", s()),
                ("usernameAttribute", s()),
                ("tokenEndpointUrl", url()),
                ("scope", s()),
                ("servicePassword", s()),
                ("nameIdentifierFormat", s()),
            ]),
        )
        .prop(
            "sharepoint",
            addon(vec![
                ("url", s()),
                (
                    "external_url",
                    Schema::one_of(vec![Schema::array(s()), s()]),
                ),
            ]),
        )
        .prop("springcm", addon(vec![("acsurl", s())]))
        .prop("wams", addon(vec![("masterkey", s())]))
        .prop("wsfed", Schema::object())
        .prop("zendesk", addon(vec![("accountName", s())]))
        .prop("zoom", addon(vec![("account", s())]))
        .prop(
            "sso_integration",
            addon(vec![("name", s()), ("version", s())]),
        )
        .prop("oag", Schema::object().closed().nullable())
        .closed()
}
