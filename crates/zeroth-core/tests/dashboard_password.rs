//! The dashboard password across starts: generated once, remembered while it still pairs
//! with the stored argon2id hash, reset by configuration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{key, TestDb};
use zeroth_core::dashboard::{ensure_password, verify_password, Remembered, PASSWORD_SETTING};
use zeroth_core::Secret;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_survives_restarts_and_configuration_resets_it() {
    let db = TestDb::sqlite();
    let store = db.open(&key(1)).await;
    let first = ensure_password(&store, None, None).await.unwrap();
    assert!(first.created);
    let generated = first.password.clone().unwrap();
    let stored = store.get_setting(PASSWORD_SETTING).await.unwrap().unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(generated.expose()));

    let remember = |p: &Secret, id: &str| Remembered {
        password: p.clone(),
        hash_id: id.to_string(),
    };
    // What the last start wrote pairs with the hash: kept, same id.
    let again = ensure_password(&store, None, Some(&remember(&generated, &first.hash_id)))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.password.unwrap().expose(), generated.expose());
    assert_eq!(again.hash_id, first.hash_id);
    // An edited password does not pair and does not verify: not echoed back as valid.
    let wrong = Secret::new("not-the-password".to_string());
    let edited = ensure_password(&store, None, Some(&remember(&wrong, &first.hash_id)))
        .await
        .unwrap();
    assert!(edited.password.is_none() && edited.hash_id.is_empty());
    // A file from before the id existed: one argon2 verification decides.
    let old = ensure_password(&store, None, Some(&remember(&generated, "")))
        .await
        .unwrap();
    assert_eq!(old.password.unwrap().expose(), generated.expose());

    // Configuration wins and replaces the hash once; the next start keeps it untouched.
    let chosen = Secret::new("chosen-by-the-operator".to_string());
    let set = ensure_password(
        &store,
        Some(&chosen),
        Some(&remember(&generated, &first.hash_id)),
    )
    .await
    .unwrap();
    let replaced = store.get_setting(PASSWORD_SETTING).await.unwrap().unwrap();
    assert!(verify_password(&replaced, chosen.expose()));
    assert!(!verify_password(&replaced, generated.expose()));
    ensure_password(
        &store,
        Some(&chosen),
        Some(&remember(&chosen, &set.hash_id)),
    )
    .await
    .unwrap();
    assert_eq!(
        store.get_setting(PASSWORD_SETTING).await.unwrap().unwrap(),
        replaced
    );
}
