//! Forms: CSRF and origin checks, and validation problems shown next to their field.

use crate::support::Dash;

#[tokio::test]
async fn a_post_without_the_right_csrf_token_or_origin_is_refused_and_changes_nothing() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let before = d.app_count().await;
    let csrf = d.csrf().await;
    let cross_site = "https://evil.example";
    for (token, origin) in [
        (None, Some(d.origin())),
        (Some("wrong-token"), Some(d.origin())),
        (Some(csrf.as_str()), Some(cross_site.to_string())),
        (Some(csrf.as_str()), None),
    ] {
        let mut form = vec![("name", "Sneaky"), ("app_type", "spa")];
        if let Some(t) = token {
            form.push(("csrf_token", t));
        }
        let page = d.post_from("/admin/apps", &form, origin.as_deref()).await;
        assert_eq!(page.status, 403, "token {token:?} origin {origin:?}");
    }
    assert_eq!(d.app_count().await, before, "nothing was created");
    // The same form with both checks satisfied goes through.
    d.create_app("Honest").await;
    assert_eq!(d.app_count().await, before + 1);
}

#[tokio::test]
async fn a_bad_callback_is_shown_next_to_its_field_and_nothing_changes() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Shop").await;
    let csrf = d.csrf().await;
    let good = "https://shop.example/callback";
    let page = d
        .post(
            &format!("/admin/apps/{id}/save/uris"),
            &[("callbacks", good), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        d.client(&id).await.unwrap()["callbacks"],
        serde_json::json!([good])
    );

    let typed = format!("{good}\nnot a url");
    let page = d
        .post(
            &format!("/admin/apps/{id}/save/uris"),
            &[
                ("callbacks", &typed),
                ("web_origins", "https://shop.example"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
    let error = page
        .body
        .find("data-field=\"callbacks\"")
        .expect("an error on the callbacks field");
    assert!(page.body[error..].contains("not a url"), "{}", page.body);
    assert!(
        page.body.contains("not a url</textarea>"),
        "the input is kept"
    );
    let client = d.client(&id).await.unwrap();
    assert_eq!(
        client["callbacks"],
        serde_json::json!([good]),
        "callbacks unchanged"
    );
    assert_eq!(
        client["web_origins"],
        serde_json::json!([]),
        "nothing else saved either"
    );
}

#[tokio::test]
async fn jwt_settings_are_saved_through_the_core_rules() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Api client").await;
    let csrf = d.csrf().await;
    let path = format!("/admin/apps/{id}/save/advanced");
    let page = d
        .post(
            &path,
            &[
                ("jwt_configuration.alg", "HS256"),
                ("jwt_configuration.lifetime_in_seconds", "ten"),
                ("grant_types", "client_credentials"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("data-field=\"jwt_configuration.lifetime_in_seconds\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"ten\""),
        "the typed value is kept"
    );
    let before = d.client(&id).await.unwrap();
    assert_ne!(
        before["jwt_configuration"]["alg"], "HS256",
        "unchanged after the refusal"
    );
    assert_ne!(
        before["grant_types"],
        serde_json::json!(["client_credentials"])
    );

    let page = d
        .post(
            &path,
            &[
                ("jwt_configuration.alg", "HS256"),
                ("jwt_configuration.lifetime_in_seconds", "600"),
                ("grant_types", "client_credentials"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let after = d.client(&id).await.unwrap();
    assert_eq!(after["jwt_configuration"]["alg"], "HS256");
    assert_eq!(after["jwt_configuration"]["lifetime_in_seconds"], 600);
    assert_eq!(
        after["grant_types"],
        serde_json::json!(["client_credentials"])
    );
}

#[tokio::test]
async fn delete_needs_the_name_typed() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Keep me").await;
    let csrf = d.csrf().await;
    let path = format!("/admin/apps/{id}/delete");
    let page = d
        .post(&path, &[("confirm_name", "Keep"), ("csrf_token", &csrf)])
        .await;
    assert_eq!(page.status, 400);
    assert!(d.client(&id).await.is_some());
    let page = d
        .post(&path, &[("confirm_name", "Keep me"), ("csrf_token", &csrf)])
        .await;
    assert_eq!(page.status, 303);
    assert!(d.client(&id).await.is_none());
}

#[tokio::test]
async fn refresh_token_settings_live_on_the_settings_tab_with_their_own_errors() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Rotating").await;
    let csrf = d.csrf().await;
    let path = format!("/admin/apps/{id}/save/refresh_token");
    let form = |lifetime: &'static str| {
        vec![
            ("refresh_token.rotation_type", "rotating"),
            ("refresh_token.expiration_type", "expiring"),
            ("refresh_token.leeway", "5"),
            ("refresh_token.token_lifetime", lifetime),
        ]
    };
    let mut bad = form("0");
    bad.push(("csrf_token", &csrf));
    let page = d.post(&path, &bad).await;
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("data-field=\"refresh_token.token_lifetime\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("data-field=\"name\""),
        "the other form on the tab shows no error"
    );
    assert_ne!(
        d.client(&id).await.unwrap()["refresh_token"]["rotation_type"],
        "rotating"
    );

    let mut good = form("86400");
    good.push(("csrf_token", &csrf));
    let page = d.post(&path, &good).await;
    assert_eq!(
        (page.status, page.location()),
        (303, &*format!("/admin/apps/{id}?tab=settings&saved=1"))
    );
    let rt = d.client(&id).await.unwrap()["refresh_token"].clone();
    assert_eq!(rt["rotation_type"], "rotating");
    assert_eq!(rt["expiration_type"], "expiring");
    assert_eq!(rt["token_lifetime"], 86400);
    assert_eq!(rt["leeway"], 5);
}
