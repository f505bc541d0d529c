//! Restarting the server on the same data: every acknowledged change is still there.

use serde_json::json;

use crate::support::{id_of, TestApp};

#[tokio::test]
async fn every_acknowledged_change_survives_a_restart() {
    let mut app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let kept = app.create_client(json!({"name": "Kept"})).await;
    let patched = app.create_client(json!({"name": "Patched"})).await;
    let rotated = app.create_client(json!({"name": "Rotated"})).await;
    let deleted = app.create_client(json!({"name": "Deleted"})).await;
    let res = app
        .patch(
            &token,
            &format!("/api/v2/clients/{}", id_of(&patched)),
            &json!({"description": "after", "client_metadata": {"k": "v"}}),
        )
        .await;
    assert_eq!(res.status, 200);
    let patched = res.json;
    let res = app
        .post(
            &token,
            &format!("/api/v2/clients/{}/rotate-secret", id_of(&rotated)),
            &json!(null),
        )
        .await;
    let rotated = res.json;
    let res = app
        .delete(&token, &format!("/api/v2/clients/{}", id_of(&deleted)))
        .await;
    assert_eq!(res.status, 204);
    let list_before = app.get(&token, "/api/v2/clients").await.json;

    let admin_before = app.admin_id.clone();
    app.restart().await;
    assert_eq!(
        app.admin_id, admin_before,
        "the admin client is not re-made"
    );

    // A token issued before the restart is still good: the signing keys persisted.
    let res = app.get(&token, "/api/v2/clients").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json, list_before);
    for c in [&kept, &patched, &rotated] {
        let res = app
            .get(&token, &format!("/api/v2/clients/{}", id_of(c)))
            .await;
        assert_eq!(&res.json, c);
    }
    let res = app
        .get(&token, &format!("/api/v2/clients/{}", id_of(&deleted)))
        .await;
    assert_eq!(res.status, 404);
    // The rotated secret is the one the token endpoint knows.
    let err = app
        .token_for(
            &id_of(&rotated),
            rotated["client_secret"].as_str().unwrap(),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.status, 403,
        "authenticated, but no grant: {:#}",
        err.json
    );
    assert!(app.admin_token().await.len() > 100);
}
