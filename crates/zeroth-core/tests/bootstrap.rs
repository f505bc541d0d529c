//! Bootstrap on both engines: what a new tenant gets, and what survives a domain change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate fails loudly

#[macro_use]
mod common;

use common::{key, TestDb};
use serde_json::Value;
use zeroth_core::bootstrap::{ensure_tenant, system_api, PinnedAdmin};
use zeroth_core::tenant::Tenant;

async fn a_new_tenant_gets_the_management_api_and_an_admin(db: TestDb) {
    let store = db.open(&key(1)).await;
    let tenant = Tenant::new("localhost:8443", vec![]);
    let admin = ensure_tenant(&store, &tenant, &PinnedAdmin::default())
        .await
        .unwrap();
    assert!(admin.created);
    let api = system_api(&store).await.unwrap().unwrap();
    assert_eq!(api.identifier, "https://localhost:8443/api/v2/");
    let grant = store
        .find_client_grant(&admin.client_id, &api.identifier)
        .await
        .unwrap()
        .unwrap();
    let scopes = grant.doc["scope"].as_array().unwrap();
    assert_eq!(scopes.len(), zeroth_core::scopes::MANAGEMENT_SCOPES.len());
    // A second start finds everything and creates nothing.
    let again = ensure_tenant(&store, &tenant, &PinnedAdmin::default())
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.client_id, admin.client_id);
}
both_engines!(a_new_tenant_gets_the_management_api_and_an_admin);

async fn the_management_api_and_its_grants_follow_a_new_domain(db: TestDb) {
    let store = db.open(&key(2)).await;
    let before = Tenant::new("localhost:18443", vec![]);
    let admin = ensure_tenant(&store, &before, &PinnedAdmin::default())
        .await
        .unwrap();
    let after = Tenant::new("localhost:18444", vec![]);
    let again = ensure_tenant(&store, &after, &PinnedAdmin::default())
        .await
        .unwrap();
    assert_eq!(again.client_id, admin.client_id);
    let api = system_api(&store).await.unwrap().unwrap();
    assert_eq!(api.identifier, "https://localhost:18444/api/v2/");
    assert_eq!(
        api.doc["identifier"],
        Value::from("https://localhost:18444/api/v2/")
    );
    assert!(store
        .find_client_grant(&admin.client_id, "https://localhost:18444/api/v2/")
        .await
        .unwrap()
        .is_some());
    assert!(store
        .find_client_grant(&admin.client_id, "https://localhost:18443/api/v2/")
        .await
        .unwrap()
        .is_none());
}
both_engines!(the_management_api_and_its_grants_follow_a_new_domain);
