//! The library's two ways through a long list agree: offset pages and checkpoints.

use std::collections::BTreeSet;

use futures::TryStreamExt as _;
use zeroth_client::models::Client;
use zeroth_client::{Credentials, ManagementClient, Options};

use crate::harness::Server;

#[tokio::test(flavor = "multi_thread")]
async fn checkpoints_and_offset_pages_list_the_same_applications() {
    let s = Server::start(Default::default()).await;
    let api = ManagementClient::with_options(
        &s.running.tenant.domain,
        Credentials::ClientCredentials {
            client_id: s.running.admin.client_id.clone(),
            client_secret: s.running.admin.client_secret.expose().to_owned(),
        },
        Options {
            ca_cert: Some(s.ca()),
            timeout: None,
        },
    )
    .unwrap();
    for i in 0..7 {
        api.create_client(&Client {
            name: Some(format!("paged {i}")),
            ..Client::default()
        })
        .await
        .unwrap();
    }
    let offset: Vec<Client> = api.clients_all().try_collect().await.unwrap();
    let mut from = None;
    let mut checkpoint = Vec::new();
    let mut pages = 0;
    loop {
        let page = api.clients_checkpoint(from.as_deref(), 3).await.unwrap();
        assert!(page.items.len() <= 3);
        checkpoint.extend(page.items);
        pages += 1;
        match page.next {
            Some(n) => from = Some(n),
            None => break,
        }
        assert!(pages < 20, "checkpoints never ended");
    }
    let ids = |v: &[Client]| -> BTreeSet<String> {
        v.iter().map(|c| c.client_id.clone().unwrap()).collect()
    };
    assert!(offset.len() >= 7);
    assert_eq!(checkpoint.len(), offset.len(), "no duplicates, none missed");
    assert_eq!(ids(&checkpoint), ids(&offset));
    assert!(pages >= 3);
    s.running.stop().await.unwrap();
}
