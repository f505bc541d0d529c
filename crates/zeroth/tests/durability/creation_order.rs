//! Creation order across a restart: what is made after it lists after what was made before.

use sqlx::Connection as _;

use crate::api::Api;
use crate::harness::{engine, Tenant};

/// Creation stamps never repeat, so a burst runs them ahead of the wall clock. A restart
/// must not start again from the wall clock, or items made just after it would list
/// before the burst. A client pushed an hour ahead in the database stands for that burst.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn items_made_after_a_restart_list_after_those_made_before() {
    let tenant = Tenant::new(engine()).await;
    let mut node = tenant.serve();
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let before = api.create_m2m("before the restart").await;
    let before = before["client_id"].as_str().unwrap().to_string();
    node.stop();

    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&tenant.url()).await.unwrap();
    let ahead = zeroth_core::now_ms() + 3_600_000;
    sqlx::query("UPDATE clients SET created_at = $1 WHERE client_id = $2")
        .bind(ahead)
        .bind(before.clone())
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();

    let mut node = tenant.serve();
    let api = Api::admin(&tenant.data_dir(), &node.base_url()).await;
    let after = api.create_m2m("after the restart").await;
    let ids = api.all_client_ids().await;
    let at = |id: &str| ids.iter().position(|x| x == id).unwrap();
    assert!(
        at(&before) < at(after["client_id"].as_str().unwrap()),
        "the client made after the restart listed first: {ids:?}"
    );
    node.stop();
}
