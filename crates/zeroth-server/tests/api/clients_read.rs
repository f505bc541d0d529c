//! GET /api/v2/clients and /clients/{id}: shapes, paging, filters, fields and visibility by scope.

use serde_json::{json, Value};

use crate::support::{id_of, keys, TestApp};

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(id_of).collect()
}

/// A tenant with its two bootstrap clients plus `n` created ones; returns every id in
/// creation order.
async fn tenant_with_clients(app: &TestApp, n: usize) -> Vec<String> {
    let token = app.admin_token().await;
    let mut all = ids(&app.get(&token, "/api/v2/clients").await.json);
    for i in 0..n {
        all.push(id_of(
            &app.create_client(json!({"name": format!("c{i}")})).await,
        ));
    }
    all
}

#[tokio::test]
async fn a_plain_list_is_a_bare_array_in_creation_order() {
    let app = TestApp::spawn().await;
    let all = tenant_with_clients(&app, 3).await;
    let res = app.get(&app.admin_token().await, "/api/v2/clients").await;
    assert_eq!(res.status, 200);
    assert_eq!(ids(&res.json), all);
    // The tenant starts with the global client and the admin client.
    let first = &res.json[0];
    assert_eq!(first["global"], true);
    assert_eq!(res.json[1]["client_id"], app.admin_id.as_str());
}

/// A script creating clients one after another reads them back in that order, even when
/// several land in the same millisecond (random ids cannot break the tie).
#[tokio::test]
async fn a_burst_of_creations_lists_in_creation_order() {
    let app = TestApp::spawn().await;
    let all = tenant_with_clients(&app, 60).await;
    let res = app
        .get(&app.admin_token().await, "/api/v2/clients?per_page=100")
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(ids(&res.json), all);
}

#[tokio::test]
async fn page_and_per_page_walk_to_the_end_with_totals() {
    let app = TestApp::spawn().await;
    let all = tenant_with_clients(&app, 5).await;
    let token = app.admin_token().await;
    let mut seen = Vec::new();
    for page in 0.. {
        let res = app
            .get(
                &token,
                &format!("/api/v2/clients?page={page}&per_page=3&include_totals=true"),
            )
            .await;
        assert_eq!(res.status, 200, "{:#}", res.json);
        assert_eq!(keys(&res.json), ["clients", "limit", "start", "total"]);
        assert_eq!(res.json["total"], json!(all.len()));
        assert_eq!(res.json["start"], json!(page * 3));
        assert_eq!(res.json["limit"], 3);
        let got = ids(&res.json["clients"]);
        if got.is_empty() {
            break;
        }
        seen.extend(got);
    }
    assert_eq!(seen, all);
    // Without include_totals the same page is a bare array.
    let res = app.get(&token, "/api/v2/clients?page=1&per_page=3").await;
    assert_eq!(ids(&res.json), all[3..6]);
}

#[tokio::test]
async fn from_and_take_walk_checkpoints_until_next_is_absent() {
    let app = TestApp::spawn().await;
    let all = tenant_with_clients(&app, 4).await;
    let token = app.admin_token().await;
    let mut seen = Vec::new();
    let mut url = "/api/v2/clients?take=2".to_string();
    loop {
        let res = app.get(&token, &url).await;
        assert_eq!(res.status, 200, "{:#}", res.json);
        seen.extend(ids(&res.json["clients"]));
        match res.json.get("next") {
            Some(next) => {
                let next = next.as_str().unwrap();
                url = format!("/api/v2/clients?take=2&from={}", urlencode(next));
            }
            None => break,
        }
        assert!(seen.len() <= all.len(), "the walk must end");
    }
    assert_eq!(seen, all);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let spa = app
        .create_client(
            json!({"name": "s", "app_type": "spa", "token_endpoint_auth_method": "none"}),
        )
        .await;
    let third = app
        .create_client(json!({"name": "t", "app_type": "regular_web", "is_first_party": false}))
        .await;
    let m2m = app
        .create_client(json!({"name": "m", "app_type": "non_interactive"}))
        .await;

    let res = app.get(&token, "/api/v2/clients?is_global=true").await;
    assert_eq!(res.json.as_array().unwrap().len(), 1);
    assert_eq!(res.json[0]["global"], true);
    let res = app.get(&token, "/api/v2/clients?is_global=false").await;
    assert!(res
        .json
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["global"] == false));

    let res = app
        .get(&token, "/api/v2/clients?is_first_party=false")
        .await;
    assert_eq!(ids(&res.json), [id_of(&third)]);

    let res = app.get(&token, "/api/v2/clients?app_type=spa").await;
    assert_eq!(ids(&res.json), [id_of(&spa)]);
    let res = app
        .get(
            &token,
            "/api/v2/clients?app_type=spa,non_interactive&is_global=false",
        )
        .await;
    // The admin client is a machine-to-machine client too.
    assert_eq!(
        ids(&res.json),
        [app.admin_id.clone(), id_of(&spa), id_of(&m2m)]
    );
}

#[tokio::test]
async fn fields_and_include_fields_shape_each_client() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let c = app
        .create_client(json!({"name": "F", "jwt_configuration": {"alg": "RS256"}}))
        .await;
    let path = format!("/api/v2/clients/{}", id_of(&c));

    let res = app
        .get(
            &token,
            &format!("{path}?fields=name,client_id&include_fields=true"),
        )
        .await;
    assert_eq!(res.status, 200);
    // Auth0 keeps `tenant` beside the asked-for fields.
    assert_eq!(keys(&res.json), ["client_id", "name", "tenant"]);

    let res = app
        .get(&token, &format!("{path}?fields=jwt_configuration.alg,name"))
        .await;
    assert_eq!(res.json["jwt_configuration"], json!({"alg": "RS256"}));
    assert_eq!(res.json["name"], "F");

    let res = app
        .get(
            &token,
            &format!("{path}?fields=name,client_secret,jwt_configuration.alg&include_fields=false"),
        )
        .await;
    assert!(res.json.get("name").is_none());
    assert!(res.json.get("client_secret").is_none());
    assert!(res.json["jwt_configuration"].get("alg").is_none());
    let mut rest = c["jwt_configuration"].clone();
    rest.as_object_mut().unwrap().remove("alg");
    assert_eq!(res.json["jwt_configuration"], rest);
    assert_eq!(res.json["client_id"], c["client_id"]);

    // The same on lists; include_fields alone is accepted.
    let res = app
        .get(
            &token,
            "/api/v2/clients?fields=client_id&include_fields=true",
        )
        .await;
    for item in res.json.as_array().unwrap() {
        assert!(
            keys(item).iter().all(|k| k == "client_id" || k == "tenant"),
            "{item}"
        );
    }
    let res = app
        .get(&token, "/api/v2/clients?include_fields=false")
        .await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn bad_query_parameters_are_400_invalid_query_string() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let cases = [
        ("per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page."),
        ("page=-1", "Query validation error: 'Value -1 is less than minimum 0' on property page."),
        ("page=one", "Query validation error: 'Invalid type: string (expected integer)' on property page."),
        ("take=0", "Query validation error: 'Value 0 is less than minimum 1' on property take."),
        ("include_totals=yes", "Query validation error: 'Invalid type: string (expected boolean)' on property include_totals."),
        ("is_global=1", "Query validation error: 'Invalid type: string (expected boolean)' on property is_global."),
        ("app_type=robot", "Query validation error: 'No enum match for: \"robot\"' on property app_type."),
        ("fields=name,nope", "Query validation error: 'Field is not allowed: nope' on property fields."),
        ("fields=name,nope,", "Query validation error: 'Field is not allowed: nope' on property fields. (also) Query validation error: 'Field name is empty' on property fields."),
        ("sort=name", "Query validation error: 'Additional properties not allowed: sort'."),
    ];
    for (q, message) in cases {
        let res = app.get(&token, &format!("/api/v2/clients?{q}")).await;
        res.assert_error(400, Some("invalid_query_string"), message);
    }
    let id = app.admin_id.clone();
    let res = app
        .get(&token, &format!("/api/v2/clients/{id}?page=1"))
        .await;
    res.assert_error(
        400,
        Some("invalid_query_string"),
        "Query validation error: 'Additional properties not allowed: page'.",
    );
}

/// The owning server keeps a list page rendered once per kind of reader; the next read
/// of the same page must still show every change made since, and each reader only
/// what its scopes allow.
#[tokio::test]
async fn a_page_read_again_shows_every_change_since() {
    let app = TestApp::spawn().await;
    tenant_with_clients(&app, 3).await;
    let token = app.admin_token().await;
    let path = "/api/v2/clients?per_page=50";
    let first = app.get(&token, path).await.json;
    assert_eq!(app.get(&token, path).await.json, first);
    let id = id_of(&first[2]);
    let one = format!("/api/v2/clients/{id}");

    let res = app.patch(&token, &one, &json!({"name": "renamed"})).await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    let renamed = app.get(&token, path).await.json;
    assert_eq!(renamed[2]["name"], "renamed");
    assert_eq!(renamed[2], app.get(&token, &one).await.json);

    let rotated = app
        .post(&token, &format!("{one}/rotate-secret"), &json!(null))
        .await
        .json;
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(Some(new_secret), first[2]["client_secret"].as_str());
    let after = app.get(&token, path).await.json;
    assert_eq!(after[2]["client_secret"], new_secret);
    assert_eq!(after[2], app.get(&token, &one).await.json);

    // A reader without a key scope, then the admin again, on the same page.
    let narrow = app.token_with_scopes(&["read:clients"]).await;
    for _ in 0..2 {
        let seen = app.get(&narrow, path).await.json;
        assert_eq!(ids(&seen), ids(&after));
        for c in seen.as_array().unwrap() {
            assert!(c.get("client_secret").is_none(), "{c:#}");
            assert!(c.get("signing_keys").is_none(), "{c:#}");
        }
        assert_eq!(app.get(&token, path).await.json, after);
    }

    // A new signing key changes every client's `signing_keys`.
    let res = app
        .post(&token, "/api/v2/keys/signing/rotate", &json!(null))
        .await;
    assert_eq!(res.status, 201, "{:#}", res.json);
    let keyed = app.get(&token, path).await.json;
    assert_ne!(keyed[2]["signing_keys"], after[2]["signing_keys"]);
    assert_eq!(keyed[2], app.get(&token, &one).await.json);
}
