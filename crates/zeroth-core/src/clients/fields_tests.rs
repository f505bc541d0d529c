//! Tests for `fields` parsing, scope-based visibility and write-scope checks.

use super::*;
use serde_json::json;

fn client() -> Map<String, Value> {
    json!({
        "tenant": "t", "name": "a", "description": "d", "client_id": "id", "app_type": "spa",
        "callbacks": ["https://a.com"], "client_secret": "s", "signing_keys": [],
        "encryption_key": {"pub": "p", "cert": "c"},
        "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": 36000}
    })
    .as_object()
    .unwrap()
    .clone()
}

fn keys(m: &Map<String, Value>) -> Vec<&str> {
    m.keys().map(String::as_str).collect()
}

fn scope_msg(r: Result<impl std::fmt::Debug, Error>) -> String {
    match r {
        Err(Error::InsufficientScope(m)) => m,
        other => format!("unexpected: {other:?}"),
    }
}

#[test]
fn whitelist_has_82_names_and_parse_checks_each() {
    assert_eq!(FIELDS.len(), 82);
    assert_eq!(
        parse_fields("name,jwt_configuration.alg").unwrap(),
        ["name", "jwt_configuration.alg"]
    );
    match parse_fields("name,,nope") {
        Err(Error::InvalidQuery(m)) => assert_eq!(
            m,
            "Query validation error: 'Field name is empty' on property fields. (also) \
             Query validation error: 'Field is not allowed: nope' on property fields."
        ),
        other => unreachable!("{other:?}"),
    }
}

#[test]
fn access_from_scopes() {
    assert_eq!(
        ReadAccess::from_scopes(&["read:client_summary"]),
        ReadAccess {
            config: false,
            keys: false
        }
    );
    assert_eq!(
        ReadAccess::from_scopes(&["read:clients"]),
        ReadAccess {
            config: true,
            keys: false
        }
    );
    assert_eq!(
        ReadAccess::from_scopes(&["read:client_keys"]),
        ReadAccess {
            config: true,
            keys: true
        }
    );
    assert_eq!(
        ReadAccess::from_scopes(&["read:client_credentials"]),
        ReadAccess {
            config: false,
            keys: true
        }
    );
}

#[test]
fn hidden_fields_are_silently_omitted() {
    let summary = project(&client(), ReadAccess::default(), None, true).unwrap();
    assert_eq!(
        keys(&summary),
        ["name", "description", "client_id", "app_type"]
    );
    let config = ReadAccess {
        config: true,
        keys: false,
    };
    let read = project(&client(), config, None, true).unwrap();
    assert!(!read.contains_key("client_secret") && !read.contains_key("signing_keys"));
    assert!(read.contains_key("callbacks") && read.contains_key("tenant"));
}

#[test]
fn explicitly_requested_secret_without_scope_is_403() {
    let config = ReadAccess {
        config: true,
        keys: false,
    };
    let f = vec![
        "client_secret".to_owned(),
        "encryption_key.pub".to_owned(),
        "name".to_owned(),
    ];
    assert_eq!(
        scope_msg(project(&client(), config, Some(&f), true)),
        "You cannot read the following fields: client_secret, encryption_key.pub"
    );
    // Excluding a field one cannot read is harmless.
    assert!(project(&client(), config, Some(&f), false).is_ok());
}

#[test]
fn include_and_exclude_with_dotted_names() {
    let all = ReadAccess {
        config: true,
        keys: true,
    };
    let f = vec!["client_id".to_owned(), "jwt_configuration.alg".to_owned()];
    let got = project(&client(), all, Some(&f), true).unwrap();
    assert_eq!(
        Value::Object(got),
        json!({"tenant": "t", "client_id": "id", "jwt_configuration": {"alg": "RS256"}})
    );
    let excluded = project(&client(), all, Some(&f), false).unwrap();
    assert!(!excluded.contains_key("client_id"));
    assert_eq!(
        excluded["jwt_configuration"],
        json!({"lifetime_in_seconds": 36000})
    );
    assert!(excluded.contains_key("client_secret"));
}

#[test]
fn write_scopes() {
    let patch = json!({"name": "x", "client_secret": "s", "encryption_key": null});
    let patch = patch.as_object().unwrap();
    assert_eq!(
        scope_msg(check_write_scopes(patch, &["read:clients"])),
        "Insufficient scope, expected any of: update:clients, update:client_keys, \
         update:client_credentials, update:client_token_vault_privileged_access"
    );
    assert_eq!(
        scope_msg(check_write_scopes(patch, &["update:clients"])),
        "You cannot update the following fields: client_secret, encryption_key"
    );
    assert_eq!(
        scope_msg(check_write_scopes(patch, &["update:client_keys"])),
        "You cannot update the following fields: name"
    );
    assert!(check_write_scopes(patch, &["update:clients", "update:client_keys"]).is_ok());
    let cam = json!({"client_authentication_methods": null});
    let cam = cam.as_object().unwrap();
    assert!(check_write_scopes(cam, &["update:client_keys"]).is_err());
    assert!(check_write_scopes(cam, &["update:client_credentials"]).is_ok());
}

#[test]
fn create_scopes() {
    let body = json!({"name": "a", "client_authentication_methods": {}});
    let body = body.as_object().unwrap();
    assert_eq!(
        scope_msg(check_create_scopes(body, &["create:clients"])),
        "You cannot create the following fields: client_authentication_methods"
    );
    assert!(check_create_scopes(body, &["create:clients", "create:client_credentials"]).is_ok());
    assert!(check_create_scopes(body, &["create:client_credentials"]).is_err());
}
