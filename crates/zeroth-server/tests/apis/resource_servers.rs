//! `/api/v2/resource-servers`: defaults, look-ups, PATCH, conflicts, the system API.

use reqwest::Method;
use serde_json::json;

use crate::{both_engines, envelope, App};

fn enc(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

async fn create_read_update_delete(app: &App) {
    let api = app
        .api(json!({"identifier": "https://orders.example/"}))
        .await;
    let id = api["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        api,
        json!({"id": id, "identifier": "https://orders.example/", "name": "https://orders.example/",
            "allow_offline_access": false, "skip_consent_for_verifiable_first_party_clients": false,
            "token_lifetime": 86400, "signing_alg": "RS256", "scopes": [], "enforce_policies": false,
            "token_dialect": "access_token", "token_lifetime_for_web": 7200})
    );
    // By id and by identifier.
    let (s, by_id) = app
        .call(Method::GET, &format!("/resource-servers/{id}"), None)
        .await;
    assert_eq!((s, &by_id), (200, &api));
    let path = format!("/resource-servers/{}", enc("https://orders.example/"));
    let (s, by_ident) = app.call(Method::GET, &path, None).await;
    assert_eq!((s, by_ident), (200, api.clone()));

    let patch = json!({"name": "Orders", "token_lifetime": 3600,
        "scopes": [{"value": "read:orders", "description": "Read orders"}]});
    let (s, patched) = app
        .call(
            Method::PATCH,
            &format!("/resource-servers/{id}"),
            Some(patch),
        )
        .await;
    assert_eq!(s, 200, "{patched}");
    assert_eq!(patched["name"], "Orders");
    assert_eq!(patched["token_lifetime"], 3600);
    assert_eq!(patched["token_lifetime_for_web"], 3600);
    assert_eq!(patched["scopes"][0]["value"], "read:orders");
    assert_eq!(patched["identifier"], "https://orders.example/");

    let (s, body) = app
        .call(
            Method::PATCH,
            &format!("/resource-servers/{id}"),
            Some(json!({"identifier": "https://other/", "name": "a<b"})),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(body["errorCode"], "invalid_body");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("Payload validation error: 'Additional properties not allowed: identifier'."));
    let (_, unchanged) = app
        .call(Method::GET, &format!("/resource-servers/{id}"), None)
        .await;
    assert_eq!(unchanged, patched, "a refused PATCH changes nothing");

    let (s, body) = app
        .call(
            Method::POST,
            "/resource-servers",
            Some(json!({"identifier": "https://orders.example/", "name": "Again"})),
        )
        .await;
    assert_eq!(
        (s, body),
        (
            409,
            envelope(
                409,
                "Conflict",
                "A resource server with the same identifier already exists",
                "resource_server_conflict"
            )
        )
    );

    let (s, body) = app
        .call(
            Method::POST,
            "/resource-servers",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(
        (s, body),
        (
            400,
            envelope(
                400,
                "Bad Request",
                "Payload validation error: 'Missing required property: identifier'.",
                "invalid_body"
            )
        )
    );

    let (s, _) = app
        .call(Method::DELETE, &format!("/resource-servers/{id}"), None)
        .await;
    assert_eq!(s, 204);
    let (s, body) = app
        .call(Method::GET, &format!("/resource-servers/{id}"), None)
        .await;
    assert_eq!(
        (s, body),
        (
            404,
            envelope(
                404,
                "Not Found",
                "The resource server does not exist",
                "inexistent_resource_server"
            )
        )
    );
    let (s, _) = app
        .call(
            Method::PATCH,
            &format!("/resource-servers/{id}"),
            Some(json!({"name": "z"})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = app
        .call(Method::DELETE, &format!("/resource-servers/{id}"), None)
        .await;
    assert_eq!(s, 204, "deleting twice is not an error");
}
both_engines!(create_read_update_delete);

async fn lists_and_filters(app: &App) {
    for i in 0..3 {
        app.api(json!({"identifier": format!("urn:api:{i}"), "name": format!("API {i}")}))
            .await;
    }
    let (s, all) = app.call(Method::GET, "/resource-servers", None).await;
    assert_eq!(s, 200);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 4, "three APIs and the Management API");
    assert_eq!(all[0]["is_system"], true);
    assert_eq!(all[0]["identifier"], app.mgmt_audience());

    let (_, page) = app
        .call(
            Method::GET,
            "/resource-servers?include_totals=true&per_page=2&page=1",
            None,
        )
        .await;
    assert_eq!(page["total"], 4);
    assert_eq!(page["start"], 2);
    assert_eq!(page["limit"], 2);
    let names: Vec<&str> = page["resource_servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["API 1", "API 2"]);

    let (_, some) = app
        .call(
            Method::GET,
            "/resource-servers?identifiers=urn%3Aapi%3A2&identifiers=urn%3Aapi%3A0&identifiers=nope",
            None,
        )
        .await;
    let idents: Vec<&str> = some
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(idents, ["urn:api:0", "urn:api:2"]);

    let (s, body) = app
        .call(Method::GET, "/resource-servers?per_page=0&bogus=1", None)
        .await;
    assert_eq!(s, 400);
    assert_eq!(body["errorCode"], "invalid_query_string");
    assert_eq!(
        body["message"],
        "Query validation error: 'Additional properties not allowed: bogus'. (also) Query \
         validation error: 'Value 0 is less than minimum 1' on property per_page."
    );
}
both_engines!(lists_and_filters);

/// A script creating APIs one after another reads them back in that order, even when
/// several land in the same millisecond (ids are random, so they cannot break the tie).
async fn a_burst_of_creations_lists_in_creation_order(app: &App) {
    let made: Vec<String> = (0..40).map(|i| format!("urn:burst:{i}")).collect();
    for identifier in &made {
        app.api(json!({ "identifier": identifier })).await;
    }
    let (s, all) = app
        .call(Method::GET, "/resource-servers?per_page=100", None)
        .await;
    assert_eq!(s, 200);
    let listed: Vec<&str> = all.as_array().unwrap()[1..]
        .iter()
        .map(|r| r["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(listed, made);
}
both_engines!(a_burst_of_creations_lists_in_creation_order);

async fn hs256_secrets(app: &App) {
    let api = app
        .api(json!({"identifier": "urn:hs", "signing_alg": "HS256"}))
        .await;
    let secret = api["signing_secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 32);
    let (_, read) = app
        .call(Method::GET, "/resource-servers/urn%3Ahs", None)
        .await;
    assert_eq!(read["signing_secret"], secret.as_str());

    let given = "0123456789abcdef-given";
    let api2 = app
        .api(json!({"identifier": "urn:hs2", "signing_alg": "HS256", "signing_secret": given}))
        .await;
    assert_eq!(api2["signing_secret"], given);

    // Switching an RS256 API to HS256 gives it a secret.
    let rs = app.api(json!({"identifier": "urn:rs"})).await;
    assert!(rs.get("signing_secret").is_none());
    let (s, hs) = app
        .call(
            Method::PATCH,
            "/resource-servers/urn%3Ars",
            Some(json!({"signing_alg": "HS256"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(hs["signing_secret"].as_str().unwrap().len(), 32);

    let (s, body) = app
        .call(
            Method::POST,
            "/resource-servers",
            Some(json!({"identifier": "urn:short", "signing_secret": "short"})),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        body["message"],
        "Payload validation error: 'String is too short (5 chars), minimum 16' on property \
         signing_secret."
    );
}
both_engines!(hs256_secrets);

async fn system_api_is_protected(app: &App) {
    let path = format!("/resource-servers/{}", enc(&app.mgmt_audience()));
    let (s, sys) = app.call(Method::GET, &path, None).await;
    assert_eq!(s, 200);
    assert_eq!(sys["is_system"], true);
    assert_eq!(sys["name"], "Auth0 Management API");
    assert_eq!(sys["scopes"].as_array().unwrap().len(), 221);

    let (s, body) = app
        .call(Method::PATCH, &path, Some(json!({"scopes": []})))
        .await;
    assert_eq!(
        (s, body),
        (
            400,
            envelope(
                400,
                "Bad Request",
                "Payload validation error: 'Additional properties not allowed: scopes'.",
                "invalid_body"
            )
        )
    );
    let (s, body) = app
        .call(Method::PATCH, &path, Some(json!({"token_lifetime": 36000})))
        .await;
    assert_eq!((s, &body["token_lifetime"]), (200, &json!(36000)));

    let (s, body) = app.call(Method::DELETE, &path, None).await;
    assert_eq!(s, 400);
    assert_eq!(body["errorCode"], "operation_not_supported");
    let (s, _) = app.call(Method::GET, &path, None).await;
    assert_eq!(s, 200, "still there");
}
both_engines!(system_api_is_protected);
