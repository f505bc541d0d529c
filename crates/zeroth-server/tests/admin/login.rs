//! Signing in and out, the session cookie, the stored password hash and the page headers.

use zeroth_core::dashboard::PASSWORD_SETTING;

use crate::support::Dash;

#[tokio::test]
async fn the_right_password_opens_a_strict_session_cookie() {
    let mut d = Dash::spawn().await;
    let page = d.login().await;
    assert_eq!(page.location(), "/admin/apps");
    let cookie = page.set_cookie();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/admin", "Secure"] {
        assert!(cookie.contains(flag), "{flag} missing from {cookie}");
    }
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("zeroth_admin=");
    assert!(token.len() >= 43, "a 256-bit token, base64url: {token}");
    let apps = d.get("/admin/apps").await;
    assert_eq!(apps.status, 200);
    assert!(
        apps.body.contains("Zeroth Admin (Management API)"),
        "{}",
        apps.body
    );
}

#[tokio::test]
async fn a_wrong_password_or_user_is_a_generic_401_without_a_session() {
    let d = Dash::spawn().await;
    for (user, password) in [("admin", "not-the-password"), ("root", d.password.as_str())] {
        let page = d
            .post(
                "/admin/login",
                &[("username", user), ("password", password)],
            )
            .await;
        assert_eq!(page.status, 401, "{user}");
        assert!(
            page.body.contains("Wrong username or password."),
            "{}",
            page.body
        );
        assert!(page.set_cookie().is_empty(), "no cookie for a failed login");
    }
}

#[tokio::test]
async fn every_page_needs_a_session() {
    let mut d = Dash::spawn().await;
    for path in [
        "/admin/apps",
        "/admin/apis",
        "/admin/keys",
        "/admin/apps/new",
    ] {
        let page = d.get(path).await;
        assert_eq!(
            (page.status, page.location()),
            (303, "/admin/login"),
            "{path}"
        );
    }
    d.cookie = Some("zeroth_admin=forged-token".into());
    let page = d.get("/admin/apps").await;
    assert_eq!((page.status, page.location()), (303, "/admin/login"));
    let page = d.post("/admin/keys/rotate", &[("csrf_token", "x")]).await;
    assert_eq!((page.status, page.location()), (303, "/admin/login"));
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let mut d = Dash::spawn().await;
    d.login().await;
    let csrf = d.csrf().await;
    let page = d.post("/admin/logout", &[("csrf_token", &csrf)]).await;
    assert_eq!((page.status, page.location()), (303, "/admin/login"));
    assert!(
        page.set_cookie().contains("Max-Age=0"),
        "{}",
        page.set_cookie()
    );
    // The browser forgets the cookie; someone who copied it must not get back in.
    let page = d.get("/admin/apps").await;
    assert_eq!((page.status, page.location()), (303, "/admin/login"));
}

#[tokio::test]
async fn only_an_argon2id_hash_of_the_password_is_stored() {
    let d = Dash::spawn().await;
    let store = d.running.state.store();
    let hash = store.get_setting(PASSWORD_SETTING).await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(&d.password));
    assert!(zeroth_core::dashboard::verify_password(&hash, &d.password));
    // Nowhere in the SQLite files either (PostgreSQL keeps its files elsewhere).
    for name in ["zeroth.db", "zeroth.db-wal"] {
        if let Ok(bytes) = std::fs::read(d.dir().join(name)) {
            let needle = d.password.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "plaintext in {name}"
            );
        }
    }
}

#[tokio::test]
async fn a_configured_password_replaces_the_stored_one() {
    let mut d = Dash::spawn_with(Some("correct horse battery staple")).await;
    assert_eq!(d.password, "correct horse battery staple");
    d.login().await;
    let wrong = d
        .post(
            "/admin/login",
            &[("username", "admin"), ("password", "guess")],
        )
        .await;
    assert_eq!(wrong.status, 401);
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let mut d = Dash::spawn().await;
    let login = d.get("/admin/login").await;
    d.login().await;
    let apps = d.get("/admin/apps").await;
    let missing = d.get("/admin/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html"),
        "an HTML 404, not the API's JSON"
    );
    for page in [&login, &apps, &missing] {
        let h = |n: &str| {
            page.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert!(h("content-security-policy").starts_with("default-src 'self'"));
        assert!(!h("content-security-policy").contains("unsafe-inline"));
        assert_eq!(h("x-frame-options"), "DENY");
        assert_eq!(h("referrer-policy"), "same-origin");
        assert_eq!(h("cache-control"), "no-store");
    }
}

#[tokio::test]
async fn failed_and_successful_logins_reach_the_tenant_logs() {
    use zeroth_core::store::{LogFilter, LogPage};
    let mut d = Dash::spawn().await;
    d.post(
        "/admin/login",
        &[("username", "admin"), ("password", "nope")],
    )
    .await;
    d.login().await;
    let filter = LogFilter {
        types: vec!["fp".into(), "s".into()],
        client_id: None,
    };
    let page = LogPage::Offset {
        page: 0,
        per_page: 10,
        newest_first: true,
    };
    // The log sink writes in batches in the background.
    for _ in 0..50 {
        let logs = d
            .running
            .state
            .store()
            .list_logs(&filter, &page, false)
            .await
            .unwrap();
        let types: Vec<&str> = logs.items.iter().map(|l| l.log_type.as_str()).collect();
        if types.contains(&"fp") && types.contains(&"s") {
            let failed = logs.items.iter().find(|l| l.log_type == "fp").unwrap();
            assert!(
                !serde_json::Value::Object(failed.doc.clone())
                    .to_string()
                    .contains("nope"),
                "no password in the log"
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no fp and s events in the tenant logs");
}

#[tokio::test]
async fn password_guessing_is_slowed_to_a_trickle() {
    let d = Dash::spawn().await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let page = d
            .post(
                "/admin/login",
                &[("username", "admin"), ("password", "guess")],
            )
            .await;
        statuses.push(page.status);
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[11], 429, "{statuses:?}");
    // Even the right password waits: the limit is per address, not per guess.
    let page = d
        .post(
            "/admin/login",
            &[("username", "admin"), ("password", &d.password)],
        )
        .await;
    assert_eq!(page.status, 429);
    assert!(page.headers.contains_key("retry-after"));
}
