//! The client schemas against the seed request, a valid version of it, and PATCH specifics.

use super::*;
use serde_json::json;

const SEED: &str = r#"{"name": "", "client_secret": "", "logo_uri": "", "callbacks": [""], "allowed_origins": [""], "client_aliases": [""], "allowed_clients": [""], "allowed_logout_urls": [""], "jwt_configuration": {"lifetime_in_seconds": 0, "secret_encoded": true, "scopes": {}, "alg": ""}, "encryption_key": {"pub": "", "cert": "", "subject": ""}, "sso": true, "custom_login_page_on": true, "token_endpoint_auth_method": "", "app_type": "", "is_first_party": true, "custom_login_page": "", "custom_login_page_preview": "", "form_template": "", "addons": {"aws": {}, "azure_blob": {}, "azure_sb": {}, "rms": {}, "mscrm": {}, "slack": {}, "box": {}, "cloudbees": {}, "concur": {}, "dropbox": {}, "echosign": {}, "egnyte": {}, "firebase": {}, "newrelic": {}, "office365": {}, "salesforce": {}, "salesforce_api": {}, "salesforce_sandbox_api": {}, "samlp": {}, "layer": {}, "sap_api": {}, "sharepoint": {}, "springcm": {}, "wams": {}, "wsfed": {}, "zendesk": {}, "zoom": {}}, "resource_servers": [{"identifier": "", "scopes": [""]}], "client_metadata": {}, "mobile": {"android": {}, "ios": {}}}"#;

fn seed() -> Value {
    // A verbatim copy of shared/seed/update-a-client.body.json (the repo must not depend on it).
    serde_json::from_str(SEED).unwrap()
}

fn problems(schema: &Schema, body: &Value) -> Vec<(String, String)> {
    schema::validate(schema, body)
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn seed_common(create: bool) -> Vec<(String, String)> {
    let short = "String is too short (0 chars), minimum 1";
    let mut v: Vec<(&str, String)> = vec![
        ("name", "String does not match pattern ^[^<>]+$: ".into()),
        ("client_secret", short.into()),
        (
            "callbacks[0]",
            "Object didn't pass validation for format callback-url: ".into(),
        ),
        (
            "allowed_origins[0]",
            "Object didn't pass validation for format url-with-placeholders: ".into(),
        ),
        ("client_aliases[0]", short.into()),
        ("allowed_clients[0]", short.into()),
        (
            "allowed_logout_urls[0]",
            "Object didn't pass validation for format url-with-placeholders: ".into(),
        ),
        ("jwt_configuration.alg", "No enum match for: \"\"".into()),
        (
            "token_endpoint_auth_method",
            "No enum match for: \"\"".into(),
        ),
        ("app_type", "No enum match for: \"\"".into()),
    ];
    if create {
        v.push(("custom_login_page", short.into()));
        v.push(("custom_login_page_preview", short.into()));
        v.push(("form_template", short.into()));
    }
    v.extend([
        ("addons.rms", "Missing required property: url".into()),
        ("addons.mscrm", "Missing required property: url".into()),
        ("addons.slack", "Missing required property: team".into()),
        (
            "addons.layer",
            "Missing required property: providerId".into(),
        ),
        ("addons.layer", "Missing required property: keyId".into()),
        (
            "addons.layer",
            "Missing required property: privateKey".into(),
        ),
        ("resource_servers[0].identifier", short.into()),
        ("resource_servers[0].scopes[0]", short.into()),
    ]);
    v.into_iter().map(|(p, m)| (p.to_owned(), m)).collect()
}

#[test]
fn literal_seed_fails_on_exactly_these_properties_on_create() {
    assert_eq!(problems(create_schema(), &seed()), seed_common(true));
}

#[test]
fn literal_seed_fails_on_exactly_these_properties_on_update() {
    // PATCH allows empty custom_login_page/_preview/form_template strings.
    assert_eq!(problems(update_schema(), &seed()), seed_common(false));
}

#[test]
fn seed_error_message_names_every_property() {
    let Err(Error::InvalidBody(msg)) = validate_create(&seed()) else {
        panic!("seed must fail")
    };
    assert!(msg.starts_with("Payload validation error: 'String does not match pattern"));
    for p in [
        "on property name.",
        "on property addons.layer.",
        "on property resource_servers[0].scopes[0].",
    ] {
        assert!(msg.contains(p), "{p} missing in {msg}");
    }
    assert_eq!(msg.matches(" (also) ").count(), seed_common(true).len() - 1);
}

fn valid_addons() -> Value {
    json!({
        "aws": {"principal": "arn:aws:iam::1:saml-provider/x", "role": "arn:aws:iam::1:role/x", "lifetime_in_seconds": 3600},
        "azure_blob": {"accountName": "acct01", "containerName": "box-01", "blob_read": true, "expiration": 5},
        "azure_sb": {"namespace": "ns", "sasKeyName": "k", "sasKey": "v", "expiration": 5},
        "rms": {"url": "https://rms.example.com"},
        "mscrm": {"url": "https://crm.example.com"},
        "slack": {"team": "example"},
        "box": {}, "cloudbees": {}, "concur": {}, "dropbox": {},
        "echosign": {"domain": "example"},
        "egnyte": {"domain": "example"},
        "firebase": {"secret": "x", "lifetime_in_seconds": 3600},
        "newrelic": {"account": "123"},
        "office365": {"domain": "example.com", "connection": "ad"},
        "salesforce": {"entity_id": "https://example.my.salesforce.com"},
        "salesforce_api": {"clientid": "c", "principal": "p"},
        "salesforce_sandbox_api": {"clientid": "c", "principal": "p"},
        "samlp": {"mappings": {"email": ["a", "b"]}, "audience": "urn:x", "lifetimeInSeconds": 3600},
        "layer": {"providerId": "p", "keyId": "k", "privateKey": "pk"},
        "sap_api": {"clientid": "c", "tokenEndpointUrl": "https://sap.example.com/token"},
        "sharepoint": {"url": "https://sp.example.com", "external_url": ["https://ext.example.com"]},
        "springcm": {"acsurl": "https://springcm.example.com"},
        "wams": {"masterkey": "k"},
        "wsfed": {},
        "zendesk": {"accountName": "example"},
        "zoom": {"account": "example"}
    })
}

/// Every key of the seed with a real value.
pub(crate) fn valid_seed() -> Value {
    json!({
        "name": "My App",
        "client_secret": "s3cr3t-s3cr3t-s3cr3t",
        "logo_uri": "https://example.com/logo.png",
        "callbacks": ["https://example.com/callback", "https://*.example.com/cb"],
        "allowed_origins": ["https://example.com"],
        "client_aliases": ["urn:example:alias"],
        "allowed_clients": ["AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
        "allowed_logout_urls": ["https://example.com/logout"],
        "jwt_configuration": {"lifetime_in_seconds": 36000, "secret_encoded": true, "scopes": {"users": {"actions": ["read"]}}, "alg": "RS256"},
        "encryption_key": {"pub": "-----BEGIN PUBLIC KEY-----", "cert": "-----BEGIN CERTIFICATE-----", "subject": "/CN=example"},
        "sso": true,
        "custom_login_page_on": true,
        "token_endpoint_auth_method": "client_secret_post",
        "app_type": "regular_web",
        "is_first_party": true,
        "custom_login_page": "<html></html>",
        "custom_login_page_preview": "<html></html>",
        "form_template": "<form></form>",
        "addons": valid_addons(),
        "resource_servers": [{"identifier": "https://api.example.com", "scopes": ["read:things"]}],
        "client_metadata": {"plan": "gold"},
        "mobile": {"android": {"app_package_name": "com.example", "sha256_cert_fingerprints": ["AB:CD"]}, "ios": {"team_id": "TEAM", "app_bundle_identifier": "com.example"}}
    })
}

#[test]
fn valid_seed_passes_create_and_update() {
    let body = valid_seed();
    assert_eq!(problems(create_schema(), &body), vec![]);
    assert_eq!(problems(update_schema(), &body), vec![]);
    assert!(validate_create(&body).is_ok());
    assert!(validate_update(&body).is_ok());
}

#[test]
fn create_requires_name_and_rejects_unknown_and_read_only_keys() {
    let got = problems(
        create_schema(),
        &json!({"client_id": "x", "tenant": "t", "sso": 1}),
    );
    assert_eq!(
        got,
        vec![
            ("".to_owned(), "Missing required property: name".to_owned()),
            (
                "".to_owned(),
                "Additional properties not allowed: client_id,tenant".to_owned()
            ),
            (
                "sso".to_owned(),
                "Invalid type: number (expected boolean)".to_owned()
            ),
        ]
    );
}

#[test]
fn non_object_body_is_a_root_type_error() {
    let Err(Error::InvalidBody(msg)) = validate_update(&json!([1])) else {
        panic!("must fail")
    };
    assert_eq!(
        msg,
        "Payload validation error: 'Invalid type: array (expected object)'."
    );
}

#[test]
fn update_needs_one_property_and_accepts_nulls_where_allowed() {
    assert_eq!(
        problems(update_schema(), &json!({})),
        vec![(
            "".to_owned(),
            "Too few properties defined (0), minimum 1".to_owned()
        )]
    );
    let nulls = json!({"addons": null, "jwt_configuration": null, "client_metadata": null,
        "token_endpoint_auth_method": null, "organization_usage": null, "cross_origin_loc": null,
        "session_transfer": null, "organization_discovery_methods": null, "refresh_token": null});
    assert_eq!(problems(update_schema(), &nulls), vec![]);
    assert_eq!(
        problems(
            update_schema(),
            &json!({"name": null, "resource_server_identifier": "x"})
        ),
        vec![
            (
                "".to_owned(),
                "Additional properties not allowed: resource_server_identifier".to_owned()
            ),
            (
                "name".to_owned(),
                "Invalid type: null (expected string)".to_owned()
            ),
        ]
    );
    // Create does not take null for the same objects.
    assert_eq!(
        problems(create_schema(), &json!({"name": "a", "addons": null})),
        vec![(
            "addons".to_owned(),
            "Invalid type: null (expected object)".to_owned()
        )]
    );
}

#[test]
fn nested_constraints() {
    let body = json!({
        "name": "a",
        "refresh_token": {"rotation_type": "rotating", "leeway": -1},
        "par_request_expiry": 5,
        "client_metadata": {"1":"","2":"","3":"","4":"","5":"","6":"","7":"","8":"","9":"","10":"","11":""},
        "client_authentication_methods": {"private_key_jwt": {"credentials": []}, "tls_client_auth": {"credentials": []}},
        "native_social_login": {"apple": {}},
        "jwt_configuration": {"lifetime_in_seconds": "3600"}
    });
    assert_eq!(
        problems(create_schema(), &body),
        vec![
            (
                "refresh_token".to_owned(),
                "Missing required property: expiration_type".to_owned()
            ),
            (
                "refresh_token.leeway".to_owned(),
                "Value -1 is less than minimum 0".to_owned()
            ),
            (
                "par_request_expiry".to_owned(),
                "Value 5 is less than minimum 10".to_owned()
            ),
            (
                "client_metadata".to_owned(),
                "Too many properties defined (11), maximum 10".to_owned()
            ),
            (
                "client_authentication_methods".to_owned(),
                "Too many properties defined (2), maximum 1".to_owned()
            ),
            (
                "native_social_login.apple".to_owned(),
                "Too few properties defined (0), minimum 1".to_owned()
            ),
        ]
    );
}

#[test]
fn schemas_render_as_openapi() {
    let v = schema::to_json_schema(create_schema());
    assert_eq!(v["required"], json!(["name"]));
    assert_eq!(v["additionalProperties"], json!(false));
    assert_eq!(
        v["properties"]["addons"]["properties"]["rms"]["required"],
        json!(["url"])
    );
    let u = schema::to_json_schema(update_schema());
    assert_eq!(u["minProperties"], json!(1));
    assert_eq!(u["properties"]["addons"]["type"], json!(["object", "null"]));
}
