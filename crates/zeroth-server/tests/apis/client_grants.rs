//! `/api/v2/client-grants`: create, read, PATCH, lists, refusals, and grants removed
//! with their client or API.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{both_engines, envelope, App};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

async fn create_read_update_delete(app: &App) {
    let (client, _) = app.m2m("svc").await;
    app.api(json!({"identifier": "urn:orders", "scopes": [{"value": "read:orders"}]}))
        .await;
    let g = app
        .grant(&client, "urn:orders", json!(["read:orders"]))
        .await;
    let id = g["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("cgr_") && id.len() == 20);
    assert_eq!(
        g,
        json!({"id": id, "client_id": client, "audience": "urn:orders",
            "scope": ["read:orders"], "subject_type": "client"})
    );
    let (s, read) = app
        .call(Method::GET, &format!("/client-grants/{id}"), None)
        .await;
    assert_eq!((s, read), (200, g.clone()));

    let (s, patched) = app
        .call(
            Method::PATCH,
            &format!("/client-grants/{id}"),
            Some(json!({"scope": ["read:orders", "write:orders"], "allow_any_organization": true})),
        )
        .await;
    assert_eq!(s, 200, "{patched}");
    assert_eq!(patched["scope"], json!(["read:orders", "write:orders"]));
    assert_eq!(patched["allow_any_organization"], true);
    assert_eq!(patched["audience"], "urn:orders");

    let (s, body) = app
        .call(
            Method::PATCH,
            &format!("/client-grants/{id}"),
            Some(json!({"audience": "urn:other"})),
        )
        .await;
    assert_eq!(
        (s, body),
        (
            400,
            envelope(
                400,
                "Bad Request",
                "Payload validation error: 'Additional properties not allowed: audience'.",
                "invalid_body"
            )
        )
    );

    let dup = json!({"client_id": client, "audience": "urn:orders", "scope": []});
    let (s, body) = app.call(Method::POST, "/client-grants", Some(dup)).await;
    assert_eq!(
        (s, body),
        (
            409,
            envelope(409, "Conflict", "client_grant already exists", "conflict")
        )
    );
    let ghost = json!({"client_id": "nope", "audience": "urn:orders", "scope": []});
    let (s, body) = app.call(Method::POST, "/client-grants", Some(ghost)).await;
    assert_eq!(
        (s, body),
        (
            404,
            envelope(404, "Not Found", "Client not found", "inexistent_client")
        )
    );
    let nowhere = json!({"client_id": client, "audience": "urn:nowhere", "scope": []});
    let (s, body) = app
        .call(Method::POST, "/client-grants", Some(nowhere))
        .await;
    assert_eq!(
        (s, body),
        (
            404,
            envelope(
                404,
                "Not Found",
                "No resource with identifier urn:nowhere",
                "inexistent_resource_server"
            )
        )
    );

    let (s, _) = app
        .call(Method::DELETE, &format!("/client-grants/{id}"), None)
        .await;
    assert_eq!(s, 204);
    let (s, body) = app
        .call(Method::GET, &format!("/client-grants/{id}"), None)
        .await;
    assert_eq!(s, 404);
    assert_eq!(body["errorCode"], "inexistent_client_grant");
    let (s, _) = app
        .call(
            Method::PATCH,
            &format!("/client-grants/{id}"),
            Some(json!({"scope": []})),
        )
        .await;
    assert_eq!(s, 404);
}
both_engines!(create_read_update_delete);

async fn lists_filters_and_pages(app: &App) {
    let (a, _) = app.m2m("a").await;
    let (b, _) = app.m2m("b").await;
    app.api(json!({"identifier": "urn:one"})).await;
    app.api(json!({"identifier": "urn:two"})).await;
    let g1 = app.grant(&a, "urn:one", json!([])).await;
    let g2 = app.grant(&a, "urn:two", json!([])).await;
    let g3 = app.grant(&b, "urn:one", json!([])).await;

    let (_, by_client) = app
        .call(Method::GET, &format!("/client-grants?client_id={a}"), None)
        .await;
    assert_eq!(ids(&by_client), ids(&json!([g1, g2])));
    let (_, by_aud) = app
        .call(Method::GET, "/client-grants?audience=urn%3Aone", None)
        .await;
    assert_eq!(ids(&by_aud), ids(&json!([g1, g3])));

    let (_, totals) = app
        .call(
            Method::GET,
            "/client-grants?include_totals=true&per_page=1&page=1&audience=urn%3Aone",
            None,
        )
        .await;
    assert_eq!(totals["total"], 2);
    assert_eq!(totals["start"], 1);
    assert_eq!(totals["limit"], 1);
    assert_eq!(ids(&totals["client_grants"]), ids(&json!([g3])));

    // Checkpoint pages walk every grant (the admin grant included) exactly once.
    let mut seen = Vec::new();
    let mut from: Option<String> = None;
    loop {
        let path = match &from {
            Some(f) => format!("/client-grants?take=2&from={f}"),
            None => "/client-grants?take=2".to_string(),
        };
        let (s, page) = app.call(Method::GET, &path, None).await;
        assert_eq!(s, 200, "{page}");
        seen.extend(ids(&page["client_grants"]));
        match page.get("next").and_then(Value::as_str) {
            Some(n) => from = Some(n.to_string()),
            None => break,
        }
        assert!(seen.len() < 10);
    }
    assert_eq!(seen.len(), 4);
    for g in [&g1, &g2, &g3] {
        assert!(seen.contains(&g["id"].as_str().unwrap().to_string()));
    }

    let (s, body) = app
        .call(
            Method::GET,
            "/client-grants?allow_any_organization=false&subject_type=robot",
            None,
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        body["message"],
        "Query validation error: 'No enum match for: false' on property allow_any_organization. \
         (also) Query validation error: 'No enum match for: \"robot\"' on property subject_type."
    );
    let (_, users) = app
        .call(Method::GET, "/client-grants?subject_type=user", None)
        .await;
    assert_eq!(users, json!([]));
}
both_engines!(lists_filters_and_pages);

/// Grants made one after another list in that order, same millisecond or not.
async fn a_burst_of_grants_lists_in_creation_order(app: &App) {
    let (a, _) = app.m2m("a").await;
    let mut made = Vec::new();
    for i in 0..30 {
        let audience = format!("urn:burst:{i}");
        app.api(json!({ "identifier": audience })).await;
        made.push(app.grant(&a, &audience, json!([])).await);
    }
    let (s, listed) = app
        .call(
            Method::GET,
            &format!("/client-grants?client_id={a}&per_page=100"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(ids(&listed), ids(&json!(made)));
}
both_engines!(a_burst_of_grants_lists_in_creation_order);

async fn grants_go_with_their_client_or_api(app: &App) {
    let (a, _) = app.m2m("a").await;
    let (b, _) = app.m2m("b").await;
    let api = app.api(json!({"identifier": "urn:gone"})).await;
    app.api(json!({"identifier": "urn:kept"})).await;
    app.grant(&a, "urn:gone", json!([])).await;
    let kept = app.grant(&a, "urn:kept", json!([])).await;
    app.grant(&b, "urn:kept", json!([])).await;

    let (s, _) = app
        .call(Method::DELETE, &format!("/clients/{b}"), None)
        .await;
    assert_eq!(s, 204);
    let (_, left) = app
        .call(Method::GET, "/client-grants?audience=urn%3Akept", None)
        .await;
    assert_eq!(ids(&left), ids(&json!([kept])));

    let (s, _) = app
        .call(
            Method::DELETE,
            &format!("/resource-servers/{}", api["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (_, left) = app
        .call(Method::GET, &format!("/client-grants?client_id={a}"), None)
        .await;
    assert_eq!(ids(&left), ids(&json!([kept])));
}
both_engines!(grants_go_with_their_client_or_api);
