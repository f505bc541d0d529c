//! Business-rule tests on merged client objects.

use super::*;
use serde_json::json;

fn run(v: Value) -> Result<(), String> {
    match check(v.as_object().unwrap()) {
        Ok(()) => Ok(()),
        Err(Error::InvalidBody(m)) => Err(m),
        Err(other) => Err(format!("wrong variant: {other:?}")),
    }
}

#[test]
fn valid_client_passes() {
    let c = json!({"name": "a", "token_endpoint_auth_method": "client_secret_post",
        "grant_types": KNOWN_GRANT_TYPES, "client_metadata": {"a key: (x)": "v"},
        "organization_require_behavior": "post_login_prompt", "oidc_conformant": true});
    assert_eq!(run(c), Ok(()));
}

#[test]
fn public_client_cannot_use_client_credentials() {
    let c = json!({"token_endpoint_auth_method": "none", "grant_types": ["implicit", "client_credentials"]});
    assert_eq!(
        run(c),
        Err("Invalid grant types: client_credentials".into())
    );
    let ok = json!({"token_endpoint_auth_method": "client_secret_basic", "grant_types": ["client_credentials"]});
    assert_eq!(run(ok), Ok(()));
}

#[test]
fn unknown_grants_exclusive_auth_and_org_prompt() {
    let c = json!({"grant_types": ["magic", "implicit", "x"],
        "token_endpoint_auth_method": "client_secret_post",
        "client_authentication_methods": {"private_key_jwt": {"credentials": []}},
        "organization_require_behavior": "post_login_prompt"});
    assert_eq!(
        run(c),
        Err("Invalid grant types: magic, x (also) client_authentication_methods and \
             token_endpoint_auth_method are mutually exclusive (also) organization_require_behavior \
             post_login_prompt requires oidc_conformant to be true"
            .into())
    );
    let nulls = json!({"token_endpoint_auth_method": null, "client_authentication_methods": {"private_key_jwt": {"credentials": []}}});
    assert_eq!(run(nulls), Ok(()));
}

#[test]
fn client_metadata_limits() {
    let mut many = Map::new();
    for i in 0..11 {
        many.insert(format!("k{i}"), json!("v"));
    }
    let err = run(json!({"client_metadata": many})).unwrap_err();
    assert_eq!(
        err,
        "Payload validation error: 'Too many properties defined (11), maximum 10' on property client_metadata."
    );
    let long = "x".repeat(256);
    let err = run(json!({"client_metadata": {"n": 1, "bad!": "v", "long": long}})).unwrap_err();
    assert_eq!(
        err,
        "Payload validation error: 'Invalid type: number (expected string)' on property client_metadata.n. \
         (also) Payload validation error: 'Property name contains characters that are not allowed: bad!' \
         on property client_metadata.bad!. (also) Payload validation error: 'String is too long (256 chars), \
         maximum 255' on property client_metadata.long."
    );
}
