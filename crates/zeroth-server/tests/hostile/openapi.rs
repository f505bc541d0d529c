//! `/api/v2/openapi.json`: public, complete (every route the router serves), and its bodies are the validator's schemas.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};
use zeroth_core::schema::to_json_schema;

use crate::support::TestApp;

/// Every operation Zeroth serves, written out by hand so a new route without a
/// document entry (or the reverse) fails here.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v2/clients"),
    ("post", "/api/v2/clients"),
    ("get", "/api/v2/clients/{id}"),
    ("patch", "/api/v2/clients/{id}"),
    ("delete", "/api/v2/clients/{id}"),
    ("post", "/api/v2/clients/{id}/rotate-secret"),
    ("get", "/api/v2/clients/{client_id}/credentials"),
    ("post", "/api/v2/clients/{client_id}/credentials"),
    (
        "get",
        "/api/v2/clients/{client_id}/credentials/{credential_id}",
    ),
    (
        "patch",
        "/api/v2/clients/{client_id}/credentials/{credential_id}",
    ),
    (
        "delete",
        "/api/v2/clients/{client_id}/credentials/{credential_id}",
    ),
    ("get", "/api/v2/resource-servers"),
    ("post", "/api/v2/resource-servers"),
    ("get", "/api/v2/resource-servers/{id}"),
    ("patch", "/api/v2/resource-servers/{id}"),
    ("delete", "/api/v2/resource-servers/{id}"),
    ("get", "/api/v2/client-grants"),
    ("post", "/api/v2/client-grants"),
    ("get", "/api/v2/client-grants/{id}"),
    ("patch", "/api/v2/client-grants/{id}"),
    ("delete", "/api/v2/client-grants/{id}"),
    ("get", "/api/v2/keys/signing"),
    ("post", "/api/v2/keys/signing/rotate"),
    ("get", "/api/v2/keys/signing/{kid}"),
    ("put", "/api/v2/keys/signing/{kid}/revoke"),
    ("get", "/api/v2/logs"),
    ("get", "/api/v2/logs/{id}"),
    ("get", "/api/v2/openapi.json"),
    ("post", "/oauth/token"),
    ("get", "/.well-known/jwks.json"),
    ("get", "/.well-known/openid-configuration"),
    ("get", "/healthz"),
    ("get", "/readyz"),
];

async fn document(app: &TestApp) -> Value {
    // No Authorization header: the document is public.
    let res = app
        .send(app.http.get(app.url("/api/v2/openapi.json")))
        .await;
    assert_eq!(res.status, 200, "{:#}", res.json);
    res.json
}

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

/// The path literals of every `.route("…"` in the server's source.
fn routes_in_source() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // The dashboard's HTML pages are for browsers, not API clients: undocumented on purpose.
            if path.is_dir() && path.file_name().is_some_and(|n| n == "admin") {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                // Unit-test routers (`tests.rs`) serve nothing in production.
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split(".route(").skip(1) {
                    let piece = piece.trim_start();
                    if let Some(rest) = piece.strip_prefix('"') {
                        out.insert(rest.split('"').next().unwrap().to_string());
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    // Served on the separate metrics listener, not the API's.
    out.remove("/metrics");
    out
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_server_serves() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], json!("3.1.0"));
    assert_eq!(
        doc["servers"][0]["url"],
        json!(format!("https://{}", app.domain))
    );
    let want: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(operations(&doc), want);
    let doc_paths: BTreeSet<String> = want.iter().map(|(_, p)| p.clone()).collect();
    assert_eq!(routes_in_source(), doc_paths);
}

/// Auth0's bare 404: what the router answers for a route or method it does not have.
fn is_unrouted(res: &crate::support::Res) -> bool {
    res.status == 404 && res.json.get("errorCode").is_none() && res.json["message"] == "Not Found"
}

#[tokio::test]
async fn every_documented_method_is_routed_and_no_other_is() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let documented = operations(&doc);
    let paths: BTreeSet<String> = documented.iter().map(|(_, p)| p.clone()).collect();
    for path in paths {
        let concrete = path
            .replace("{client_id}", "abc")
            .replace("{credential_id}", "cred_x")
            .replace("{id}", "abc")
            .replace("{kid}", "abc");
        for method in ["get", "post", "put", "patch", "delete"] {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app.send(app.http.request(m, app.url(&concrete))).await;
            let is_doc = documented.contains(&(method.to_string(), path.clone()));
            assert_eq!(
                !is_unrouted(&res),
                is_doc,
                "{method} {path}: {:#}",
                res.json
            );
        }
    }
}

#[tokio::test]
async fn bodies_are_the_validator_schemas_and_errors_use_the_envelope() {
    use zeroth_core::{client_grants, clients, credentials, resource_servers};
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let body = |method: &str, path: &str| {
        doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
    };
    let cases = [
        (
            "post",
            "/api/v2/clients",
            to_json_schema(clients::schema::create_schema()),
        ),
        (
            "patch",
            "/api/v2/clients/{id}",
            to_json_schema(clients::schema::update_schema()),
        ),
        (
            "post",
            "/api/v2/resource-servers",
            to_json_schema(resource_servers::schema::create_schema()),
        ),
        (
            "patch",
            "/api/v2/resource-servers/{id}",
            to_json_schema(resource_servers::schema::update_schema()),
        ),
        (
            "post",
            "/api/v2/client-grants",
            to_json_schema(client_grants::schema::create_schema()),
        ),
        (
            "patch",
            "/api/v2/client-grants/{id}",
            to_json_schema(client_grants::schema::update_schema()),
        ),
        (
            "post",
            "/api/v2/clients/{client_id}/credentials",
            to_json_schema(&credentials::schema::create()),
        ),
        (
            "patch",
            "/api/v2/clients/{client_id}/credentials/{credential_id}",
            to_json_schema(&credentials::schema::update()),
        ),
    ];
    for (m, p, want) in cases {
        assert_eq!(body(m, p), want, "{m} {p}");
        let responses = &doc["paths"][p][m]["responses"];
        for s in ["400", "413", "415"] {
            assert_eq!(
                responses[s]["$ref"],
                json!(format!("#/components/responses/E{s}")),
                "{m} {p}"
            );
        }
    }
    let envelope = &doc["components"]["schemas"]["Error"];
    assert_eq!(
        envelope["required"],
        json!(["statusCode", "error", "message"])
    );
    // Every Management API operation is secured with its scopes and documents the 401.
    for (method, path) in operations(&doc) {
        if !path.starts_with("/api/v2/") || path == "/api/v2/openapi.json" {
            continue;
        }
        let op = &doc["paths"][&path][&method];
        let scopes = op["security"][0]["bearerAuth"].as_array().unwrap();
        assert!(!scopes.is_empty(), "{method} {path}");
        for s in scopes {
            let s = s.as_str().unwrap();
            assert!(
                doc["components"]["securitySchemes"]["oAuth2ClientCredentials"]["flows"]
                    ["clientCredentials"]["scopes"]
                    .get(s)
                    .is_some(),
                "{s}"
            );
        }
        assert_eq!(
            op["responses"]["401"]["$ref"],
            json!("#/components/responses/E401")
        );
    }
    assert_eq!(
        doc["paths"]["/api/v2/clients"]["post"]["security"][0]["bearerAuth"],
        json!(["create:clients"])
    );
}
