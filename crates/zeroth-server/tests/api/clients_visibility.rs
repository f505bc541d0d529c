//! What GET shows by the token's scopes, and the 404 for clients that do not exist.

use serde_json::json;

use crate::support::{id_of, keys, TestApp};

#[tokio::test]
async fn what_a_token_sees_depends_on_its_scopes() {
    let app = TestApp::spawn().await;
    let c = app
        .create_client(json!({"name": "Vis", "description": "d", "app_type": "spa",
                              "token_endpoint_auth_method": "none",
                              "encryption_key": {"pub": "p", "cert": "c"}}))
        .await;
    let path = format!("/api/v2/clients/{}", id_of(&c));

    let summary = app.token_with_scopes(&["read:client_summary"]).await;
    let res = app.get(&summary, &path).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        keys(&res.json),
        ["app_type", "client_id", "description", "name"]
    );
    let res = app.get(&summary, "/api/v2/clients").await;
    for item in res.json.as_array().unwrap() {
        for k in keys(item) {
            assert!(["app_type", "client_id", "description", "name"].contains(&k.as_str()));
        }
    }

    let reader = app.token_with_scopes(&["read:clients"]).await;
    let res = app.get(&reader, &path).await;
    for hidden in ["client_secret", "signing_keys", "encryption_key"] {
        assert!(res.json.get(hidden).is_none(), "{hidden}: {:#}", res.json);
    }
    assert_eq!(res.json["grant_types"], c["grant_types"]);
    let res = app
        .get(
            &reader,
            &format!("{path}?fields=client_secret&include_fields=true"),
        )
        .await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "You cannot read the following fields: client_secret",
    );
    let res = app
        .get(&reader, "/api/v2/clients?fields=name,client_secret")
        .await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "You cannot read the following fields: client_secret",
    );

    let keys_reader = app.token_with_scopes(&["read:client_keys"]).await;
    let res = app.get(&keys_reader, &path).await;
    assert_eq!(res.json, c);

    let creds = app.token_with_scopes(&["read:client_credentials"]).await;
    let res = app
        .get(&creds, &format!("{path}?fields=client_secret"))
        .await;
    assert_eq!(res.json["client_secret"], c["client_secret"]);

    let none = app.token_with_scopes(&["create:clients"]).await;
    let res = app.get(&none, &path).await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "Insufficient scope, expected any of: read:clients, read:client_keys, \
         read:client_credentials, read:client_summary",
    );
    let res = app.get(&none, "/api/v2/clients").await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn an_unknown_client_is_404_inexistent_client_whatever_its_shape() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    for id in [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "this-client-does-not-exist",
        "x",
        "%E2%9C%93",
    ] {
        let res = app.get(&token, &format!("/api/v2/clients/{id}")).await;
        res.assert_error(404, Some("inexistent_client"), "The client does not exist");
    }
}
