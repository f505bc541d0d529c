//! The pages' behaviour: secrets behind Reveal, escaping, grants, API permissions and keys.

use serde_json::json;
use zeroth_core::scopes::Granted;

use crate::support::Dash;

#[tokio::test]
async fn the_secret_stays_out_of_the_page_until_revealed_and_rotate_replaces_it() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Secretive").await;
    let secret = d.client(&id).await.unwrap()["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    for tab in ["settings", "credentials", "advanced"] {
        let page = d.get(&format!("/admin/apps/{id}?tab={tab}")).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains(&secret),
            "secret shown on {tab} without Reveal"
        );
    }
    let csrf = d.csrf().await;
    let shown = d
        .post(
            &format!("/admin/apps/{id}/secret/reveal"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert!(shown.body.contains(&secret));
    let rotated = d
        .post(
            &format!("/admin/apps/{id}/secret/rotate"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(rotated.status, 200);
    let new = d.client(&id).await.unwrap()["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new, secret);
    assert!(rotated.body.contains(&new) && !rotated.body.contains(&secret));
}

#[tokio::test]
async fn what_users_type_is_escaped_on_the_way_out() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let id = d.create_app("Escaped").await;
    let csrf = d.csrf().await;
    let evil = "\"><script>alert(1)</script>";
    let page = d
        .post(
            &format!("/admin/apps/{id}/save/settings"),
            &[
                ("name", "Escaped"),
                ("description", evil),
                ("app_type", "spa"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(d.client(&id).await.unwrap()["description"], evil);
    let page = d.get(&format!("/admin/apps/{id}?tab=settings")).await;
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn an_api_made_on_the_dashboard_can_be_granted_to_an_app_with_a_scope() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let csrf = d.csrf().await;
    let identifier = "https://orders.example/api";
    let page = d
        .post(
            "/admin/apis",
            &[
                ("name", "Orders"),
                ("identifier", identifier),
                ("signing_alg", "RS256"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let api_page = page.location().to_string();
    let page = d
        .post(
            &format!("{api_page}/scopes"),
            &[
                ("value", "read:orders"),
                ("description", "Read orders"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);

    let app = d.create_app("Order reader").await;
    let page = d
        .post(
            &format!("/admin/apps/{app}/grants"),
            &[
                ("audience", identifier),
                ("scope", "read:orders"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let grants = zeroth_core::client_grants::service::list(
        d.running.state.store(),
        &Granted::from_claim("read:client_grants"),
        &zeroth_core::client_grants::service::ListQuery {
            filter: zeroth_core::store::ClientGrantFilter {
                client_id: Some(app.clone()),
                ..Default::default()
            },
            page: zeroth_core::store::PageReq::Offset {
                page: 0,
                per_page: 10,
            },
            include_totals: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(grants[0]["audience"], identifier);
    assert_eq!(grants[0]["scope"], json!(["read:orders"]));
    // The grant shows on the API's page too.
    assert!(d.get(&api_page).await.body.contains(&app));
}

#[tokio::test]
async fn rotating_a_key_on_the_dashboard_changes_what_signs_and_what_clients_show() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let keys = || async {
        zeroth_core::signing_keys::list(
            d.running.state.store(),
            &Granted::from_claim("read:signing_keys"),
        )
        .await
        .unwrap()
    };
    let before = keys().await;
    let next = before
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["next"] == true)
        .unwrap()["kid"]
        .clone();
    let csrf = d.csrf().await;
    let page = d.post("/admin/keys/rotate", &[("csrf_token", &csrf)]).await;
    assert_eq!(
        (page.status, page.location()),
        (303, "/admin/keys?rotated=1")
    );
    let after = keys().await;
    let current = after
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["current"] == true)
        .unwrap();
    assert_eq!(current["kid"], next);
    // Clients show the new signing certificate at once on this node (as after the API call).
    let app = d.create_app("Shows keys").await;
    let shown = d.client(&app).await.unwrap()["signing_keys"][0]["cert"].clone();
    assert_eq!(shown, current["cert"]);
}

#[tokio::test]
async fn a_previous_key_is_revoked_after_its_confirmation_page() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let csrf = d.csrf().await;
    let old = d.running.state.store().list_signing_keys().await.unwrap();
    let old_current = old
        .iter()
        .find(|k| k.state == zeroth_core::store::KeyState::Current)
        .unwrap()
        .kid
        .clone();
    d.post("/admin/keys/rotate", &[("csrf_token", &csrf)]).await;
    let confirm = d.get(&format!("/admin/keys/{old_current}/revoke")).await;
    assert_eq!(confirm.status, 200);
    assert!(
        confirm.body.contains(&old_current),
        "the page names the key"
    );
    let still = d.running.state.store().list_signing_keys().await.unwrap();
    assert!(
        still
            .iter()
            .all(|k| k.state != zeroth_core::store::KeyState::Revoked),
        "showing the page revokes nothing"
    );
    let page = d
        .post(
            &format!("/admin/keys/{old_current}/revoke"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(
        (page.status, page.location()),
        (303, "/admin/keys?revoked=1")
    );
    let keys = d.running.state.store().list_signing_keys().await.unwrap();
    let k = keys.iter().find(|k| k.kid == old_current).unwrap();
    assert_eq!(k.state, zeroth_core::store::KeyState::Revoked);
}
