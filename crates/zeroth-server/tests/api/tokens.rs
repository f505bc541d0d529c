//! POST /oauth/token as the Management API's clients use it: scope narrowing and refusals.

use crate::support::TestApp;

#[tokio::test]
async fn scope_narrows_the_token_and_unknown_scopes_are_refused() {
    let app = TestApp::spawn().await;
    let narrow = app
        .token_with_scopes(&["read:clients", "read:client_summary"])
        .await;
    let res = app.get(&narrow, "/api/v2/clients").await;
    assert_eq!(res.status, 200);
    let res = app
        .send(app.http.post(app.url("/oauth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &app.admin_id),
            ("client_secret", &app.admin_secret),
            ("audience", &app.audience()),
            ("scope", "read:clients"),
        ]))
        .await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    assert_eq!(res.json["scope"], "read:clients");
    assert_eq!(res.json["token_type"], "Bearer");
    assert_eq!(res.json["expires_in"], 86400);
    assert_eq!(
        res.headers.get("cache-control").unwrap().to_str().unwrap(),
        "no-store"
    );

    let err = app
        .token_for(
            &app.admin_id,
            &app.admin_secret,
            Some("read:clients fly:away"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status, 403, "{:#}", err.json);
    assert_eq!(err.json["error"], "access_denied");
}

#[tokio::test]
async fn wrong_secrets_and_unknown_clients_are_access_denied_unauthorized() {
    let app = TestApp::spawn().await;
    for (id, secret) in [
        (app.admin_id.as_str(), "wrong"),
        ("no-such-client", app.admin_secret.as_str()),
    ] {
        let err = app.token_for(id, secret, None).await.unwrap_err();
        assert_eq!(err.status, 401, "{:#}", err.json);
        // Auth0 answers bad client credentials this way, not with RFC 6749's invalid_client.
        assert_eq!(err.json["error"], "access_denied");
        assert_eq!(err.json["error_description"], "Unauthorized");
    }
}
