//! DELETE /api/v2/clients/{id} and POST /api/v2/clients/{id}/rotate-secret.

use serde_json::json;

use crate::support::{id_of, TestApp};

#[tokio::test]
async fn delete_is_204_twice_and_the_client_is_gone() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app.create_client(json!({"name": "Doomed"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&c));

    for _ in 0..2 {
        let res = app.delete(&token, &path).await;
        assert_eq!(res.status, 204);
        assert_eq!(res.json, serde_json::Value::Null, "204 has no body");
    }
    let res = app.get(&token, &path).await;
    res.assert_error(404, Some("inexistent_client"), "The client does not exist");
    let list = app.get(&token, "/api/v2/clients").await;
    assert!(!list
        .json
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["client_id"] == c["client_id"]));
}

#[tokio::test]
async fn delete_needs_delete_clients_and_spares_the_global_client() {
    let app = TestApp::spawn().await;
    let c = app.create_client(json!({"name": "Kept"})).await;
    let path = format!("/api/v2/clients/{}", id_of(&c));
    let token = app
        .token_with_scopes(&["read:clients", "update:clients", "create:clients"])
        .await;
    let res = app.delete(&token, &path).await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "Insufficient scope, expected any of: delete:clients",
    );
    assert_eq!(app.get(&token, &path).await.status, 200);

    let admin = app.admin_token().await;
    let global = app.get(&admin, "/api/v2/clients?is_global=true").await;
    let global_id = id_of(&global.json[0]);
    let res = app
        .delete(&admin, &format!("/api/v2/clients/{global_id}"))
        .await;
    assert_eq!(res.status, 400, "{:#}", res.json);
    assert_eq!(res.json["errorCode"], "operation_not_supported");
    assert_eq!(
        app.get(&admin, &format!("/api/v2/clients/{global_id}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn rotate_secret_issues_a_new_secret_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let admin_path = format!("/api/v2/clients/{}", app.admin_id);
    let old_secret = app.admin_secret.clone();
    let before = app.get(&token, &admin_path).await.json;

    let res = app
        .post(&token, &format!("{admin_path}/rotate-secret"), &json!(null))
        .await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    let new_secret = res.json["client_secret"].as_str().unwrap().to_string();
    assert_eq!(new_secret.len(), 64);
    assert_ne!(new_secret, old_secret);
    // The whole client comes back, unchanged but for the secret.
    let mut expected = before.clone();
    expected["client_secret"] = json!(new_secret);
    assert_eq!(res.json, expected);

    let err = app
        .token_for(&app.admin_id, &old_secret, None)
        .await
        .unwrap_err();
    assert_eq!(err.status, 401, "{:#}", err.json);
    assert_eq!(err.json["error"], "access_denied");
    let fresh = app
        .token_for(&app.admin_id, &new_secret, None)
        .await
        .unwrap();
    let res = app.get(&fresh, &admin_path).await;
    assert_eq!(res.json["client_secret"], new_secret.as_str());
}

#[tokio::test]
async fn rotate_secret_ignores_whatever_body_sdks_send() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app.create_client(json!({"name": "Rot"})).await;
    let id = id_of(&c);
    let path = format!("/api/v2/clients/{id}/rotate-secret");
    let mut last = c["client_secret"].as_str().unwrap().to_string();

    // go-auth0 sends JSON null; auth0-python sends {"id": …}; curl sends nothing.
    let with_null = app.post(&token, &path, &json!(null)).await;
    let with_id = app.post(&token, &path, &json!({"id": id})).await;
    let bare = app
        .send(app.http.post(app.url(&path)).bearer_auth(&token))
        .await;
    for res in [with_null, with_id, bare] {
        assert_eq!(res.status, 200, "{:#}", res.json);
        let s = res.json["client_secret"].as_str().unwrap().to_string();
        assert_ne!(s, last);
        last = s;
    }
    let read = app.get(&token, &format!("/api/v2/clients/{id}")).await;
    assert_eq!(read.json["client_secret"], last.as_str());
}

#[tokio::test]
async fn rotate_secret_needs_update_client_keys_and_a_real_client() {
    let app = TestApp::spawn().await;
    let c = app.create_client(json!({"name": "Rot"})).await;
    let path = format!("/api/v2/clients/{}/rotate-secret", id_of(&c));
    let token = app
        .token_with_scopes(&["update:clients", "read:client_keys"])
        .await;
    let res = app.post(&token, &path, &json!(null)).await;
    res.assert_error(
        403,
        Some("insufficient_scope"),
        "Insufficient scope, expected any of: update:client_keys",
    );
    let admin = app.admin_token().await;
    let read = app
        .get(&admin, &format!("/api/v2/clients/{}", id_of(&c)))
        .await;
    assert_eq!(read.json["client_secret"], c["client_secret"]);

    let res = app
        .post(&admin, "/api/v2/clients/nobody/rotate-secret", &json!(null))
        .await;
    res.assert_error(404, Some("inexistent_client"), "The client does not exist");
}
