#!/usr/bin/env python3
"""Builds tests/postman/collection.json around the seed request.

The seed (tests/postman/seed/update-a-client.postman_collection.json, a verbatim copy
of the published "Update a client" Postman item) is used as-is: its method, URL
template, headers, description and raw body (byte for byte, CRLFs included) become the
"literal" request. The other requests get a token, create the client the seed request
targets, send the same keys with valid values, and repeat that with a token lacking
update:client_keys.

Run it after changing this file; commit both. run.py refuses to run if the literal
request's body ever drifts from the seed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed" / "update-a-client.postman_collection.json"
OUT = HERE / "collection.json"

LITERAL_NAME = "Update a client (seed body, literal)"

ENCRYPTION_PUB = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE12iexg3vvowC2M1nx3B8GSeAgo0U\n"
    "gL4vCz39rQ6NxCNEsAGwdGWCzF1aJeIMdsbtZdjSdb5xJ7PiAWwY/7GZZQ==\n"
    "-----END PUBLIC KEY-----\n"
)
ENCRYPTION_CERT = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBgDCCASegAwIBAgIURfmbD1isCxukDfEZtSAng9bmtbYwCgYIKoZIzj0EAwIw\n"
    "FjEUMBIGA1UEAwwLemVyb3RoLXNlZWQwHhcNMjYxMTI5MjA0OTQxWhcNMzYxMTI2\n"
    "MjA0OTQxWjAWMRQwEgYDVQQDDAt6ZXJvdGgtc2VlZDBZMBMGByqGSM49AgEGCCqG\n"
    "SM49AwEHA0IABNdonsYN776MAtjNZ8dwfBkngIKNFIC+Lws9/a0OjcQjRLABsHRl\n"
    "gsxdWiXiDHbG7WXY0nW+cSez4gFsGP+xmWWjUzBRMB0GA1UdDgQWBBSTiHJOoswB\n"
    "LtsSbvXFh4utb75ZOTAfBgNVHSMEGDAWgBSTiHJOoswBLtsSbvXFh4utb75ZOTAP\n"
    "BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIH6w2SURmkeTut1/EERc\n"
    "eUUwNM2llt9NqdSdXqkx//R/AiAS5rqscDS0TNsGPp7SIBMl+608hbf1tc4PndkH\n"
    "xfabWw==\n"
    "-----END CERTIFICATE-----\n"
)

# Every key of the seed body, in the seed's order, with a value Auth0 accepts.
VALID_BODY = {
    "name": "Seed App (valid values)",
    "client_secret": "seed-secret-chosen-by-the-caller-0123456789+ABC=",
    "logo_uri": "https://example.com/logo.png",
    "callbacks": ["https://example.com/callback"],
    "allowed_origins": ["https://example.com"],
    "client_aliases": ["urn:example:seed-app"],
    "allowed_clients": ["AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
    "allowed_logout_urls": ["https://example.com/logout"],
    "jwt_configuration": {
        "lifetime_in_seconds": 3600,
        "secret_encoded": True,
        "scopes": {"users": {"actions": ["read"]}},
        "alg": "RS256",
    },
    "encryption_key": {"pub": ENCRYPTION_PUB, "cert": ENCRYPTION_CERT, "subject": "/CN=zeroth-seed"},
    "sso": True,
    "custom_login_page_on": True,
    "token_endpoint_auth_method": "client_secret_post",
    "app_type": "regular_web",
    "is_first_party": True,
    "custom_login_page": "<html><body>login</body></html>",
    "custom_login_page_preview": "<html><body>preview</body></html>",
    "form_template": "<form method=\"post\"></form>",
    "addons": {
        "aws": {"principal": "arn:aws:iam::123456789012:saml-provider/zeroth",
                "role": "arn:aws:iam::123456789012:role/zeroth", "lifetime_in_seconds": 3600},
        "azure_blob": {"accountName": "zerothacct", "containerName": "seed-box", "blob_read": True,
                       "expiration": 5},
        "azure_sb": {"namespace": "zeroth", "sasKeyName": "key", "sasKey": "value", "expiration": 5},
        "rms": {"url": "https://rms.example.com"},
        "mscrm": {"url": "https://crm.example.com"},
        "slack": {"team": "zeroth"},
        "box": {},
        "cloudbees": {},
        "concur": {},
        "dropbox": {},
        "echosign": {"domain": "example"},
        "egnyte": {"domain": "example"},
        "firebase": {"secret": "firebase-secret", "lifetime_in_seconds": 3600},
        "newrelic": {"account": "123456"},
        "office365": {"domain": "example.com", "connection": "example-ad"},
        "salesforce": {"entity_id": "https://example.my.salesforce.com"},
        "salesforce_api": {"clientid": "sf-client", "principal": "sf@example.com"},
        "salesforce_sandbox_api": {"clientid": "sf-client", "principal": "sf@example.com"},
        "samlp": {"audience": "urn:example:sp", "mappings": {"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"},
                  "lifetimeInSeconds": 3600},
        "layer": {"providerId": "layer-provider", "keyId": "layer-key", "privateKey": "layer-private-key"},
        "sap_api": {"clientid": "sap-client", "tokenEndpointUrl": "https://sap.example.com/oauth/token"},
        "sharepoint": {"url": "https://sharepoint.example.com"},
        "springcm": {"acsurl": "https://springcm.example.com/acs"},
        "wams": {"masterkey": "wams-master-key"},
        "wsfed": {},
        "zendesk": {"accountName": "example"},
        "zoom": {"account": "example"},
    },
    "resource_servers": [{"identifier": "https://api.example.com/", "scopes": ["read:things"]}],
    "client_metadata": {"plan": "gold"},
    "mobile": {
        "android": {"app_package_name": "com.example.seed", "sha256_cert_fingerprints": ["AB:CD:EF"]},
        "ios": {"team_id": "ABCDE12345", "app_bundle_identifier": "com.example.seed"},
    },
}

# Properties of the literal seed body that Auth0's validator names (clients-api.md §3, §6):
# empty name/enum values and empty array items. Not exhaustive; each must be reported.
SEED_PROBLEM_PROPERTIES = [
    "name",
    "client_secret",
    "callbacks[0]",
    "client_aliases[0]",
    "allowed_clients[0]",
    "jwt_configuration.alg",
    "token_endpoint_auth_method",
    "app_type",
]

HELPERS = r"""
const body = pm.response.text() ? pm.response.json() : null;
function namesProperty(message, path) {
  const esc = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('on property ' + esc + '(?=[\\s.(]|$)').test(message);
}
// every value sent is found in `actual`: objects key by key (recursively), the rest by deep equality
function expectCarries(actual, sent, path) {
  if (sent !== null && typeof sent === 'object' && !Array.isArray(sent)) {
    pm.expect(actual, path + ' should be an object').to.be.an('object');
    Object.keys(sent).forEach(function (k) { expectCarries(actual[k], sent[k], path + '.' + k); });
  } else {
    pm.expect(actual, path).to.deep.equal(sent);
  }
}
"""


def script(*lines: str) -> list[dict]:
    code = HELPERS + "\n".join(lines)
    return [{"listen": "test", "script": {"type": "text/javascript", "exec": code.strip("\n").split("\n")}}]


def token_request(name: str, scope: str | None, var: str, tests: list[str]) -> dict:
    form = [
        {"key": "grant_type", "value": "client_credentials"},
        {"key": "client_id", "value": "{{auth0_client_id}}"},
        {"key": "client_secret", "value": "{{auth0_client_secret}}"},
        {"key": "audience", "value": "https://{{auth0_domain}}/api/v2/"},
    ]
    if scope is not None:
        form.append({"key": "scope", "value": scope})
    return {
        "name": name,
        "event": script(
            "pm.test('200 with a Bearer access token', function () {",
            "  pm.response.to.have.status(200);",
            "  pm.expect(body.token_type).to.equal('Bearer');",
            "  pm.expect(body.access_token).to.be.a('string').and.not.empty;",
            "  pm.expect(body.expires_in).to.be.a('number').above(0);",
            "});",
            *tests,
            f"pm.environment.set('{var}', body.access_token);",
        ),
        "request": {
            "method": "POST",
            "header": [{"key": "Content-Type", "value": "application/x-www-form-urlencoded"}],
            "body": {"mode": "urlencoded", "urlencoded": form},
            "url": {
                "raw": "https://{{auth0_domain}}/oauth/token",
                "protocol": "https",
                "host": ["{{auth0_domain}}"],
                "path": ["oauth", "token"],
            },
        },
    }


def client_url() -> dict:
    return {
        "raw": "https://{{auth0_domain}}/api/v2/clients/:id",
        "protocol": "https",
        "host": ["{{auth0_domain}}"],
        "path": ["api", "v2", "clients", ":id"],
        "variable": [{"key": "id", "value": "{{client_id}}", "type": "any"}],
    }


def get_client(name: str, tests: list[str]) -> dict:
    return {
        "name": name,
        "event": script("pm.test('200', function () { pm.response.to.have.status(200); });", *tests),
        "request": {
            "method": "GET",
            "header": [{"key": "Authorization", "value": "Bearer {{auth0_token}}"}],
            "url": client_url(),
        },
    }


def patch_with(seed_item: dict, name: str, raw: str, token_var: str, tests: list[str]) -> dict:
    item = copy.deepcopy(seed_item)
    item["name"] = name
    req = item["request"]
    for h in req["header"]:
        if h["key"] == "Authorization":
            h["value"] = "Bearer {{%s}}" % token_var
    req["body"]["raw"] = raw
    for v in req["url"]["variable"]:
        if v["key"] == "id":
            v["value"] = "{{client_id}}"
    item["event"] = script(*tests)
    return item


def build() -> dict:
    seed = json.loads(SEED.read_text())
    (seed_item,) = seed["item"]
    seed_raw = seed_item["request"]["body"]["raw"]
    valid_raw = json.dumps(VALID_BODY, indent=2)
    probs = json.dumps(SEED_PROBLEM_PROPERTIES)

    items = [
        token_request(
            "Get a Management API token",
            None,
            "auth0_token",
            [
                "pm.test('the token may update client keys', function () {",
                "  pm.expect(body.scope.split(' ')).to.include.members(",
                "    ['read:clients', 'create:clients', 'update:clients', 'delete:clients', 'read:client_keys', 'update:client_keys']);",
                "});",
            ],
        ),
        token_request(
            "Get a token without update:client_keys",
            "read:clients update:clients",
            "auth0_token_narrow",
            [
                "pm.test('granted exactly the requested scopes', function () {",
                "  pm.expect(body.scope.split(' ').sort()).to.deep.equal(['read:clients', 'update:clients']);",
                "});",
            ],
        ),
        {
            "name": "Create a client",
            "event": script(
                "pm.test('201 with a generated 32-character client_id', function () {",
                "  pm.response.to.have.status(201);",
                "  pm.expect(body.client_id).to.match(/^[A-Za-z0-9]{32}$/);",
                "  pm.expect(body.name).to.match(/^newman seed target \\d+$/);",
                "});",
                "pm.environment.set('client_id', body.client_id);",
                "pm.environment.set('created_name', body.name);",
                "pm.environment.set('created_secret', body.client_secret);",
            ),
            "request": {
                "method": "POST",
                "header": [
                    {"key": "Authorization", "value": "Bearer {{auth0_token}}"},
                    {"key": "Content-Type", "value": "application/json"},
                ],
                "body": {"mode": "raw", "raw": "{\"name\": \"newman seed target {{$timestamp}}\"}"},
                "url": {
                    "raw": "https://{{auth0_domain}}/api/v2/clients",
                    "protocol": "https",
                    "host": ["{{auth0_domain}}"],
                    "path": ["api", "v2", "clients"],
                },
            },
        },
        patch_with(
            seed_item,
            LITERAL_NAME,
            seed_raw,
            "auth0_token",
            [
                "pm.test('400 invalid_body', function () {",
                "  pm.response.to.have.status(400);",
                "  pm.expect(body.statusCode).to.equal(400);",
                "  pm.expect(body.error).to.equal('Bad Request');",
                "  pm.expect(body.errorCode).to.equal('invalid_body');",
                "  pm.expect(body.message).to.match(/^Payload validation error: /);",
                "});",
                f"{probs}.forEach(function (p) {{",
                "  pm.test('the message names ' + p, function () {",
                "    pm.expect(namesProperty(body.message, p), body.message).to.be.true;",
                "  });",
                "});",
            ],
        ),
        get_client(
            "Get the client (the rejected PATCH changed nothing)",
            [
                "pm.test('name and secret are still the ones from create', function () {",
                "  pm.expect(body.name).to.equal(pm.environment.get('created_name'));",
                "  pm.expect(body.client_secret).to.equal(pm.environment.get('created_secret'));",
                "  pm.expect(body).to.not.have.property('app_type');",
                "});",
            ],
        ),
        patch_with(
            seed_item,
            "Update a client (seed keys, valid values)",
            valid_raw,
            "auth0_token",
            [
                "pm.test('200', function () { pm.response.to.have.status(200); });",
                "pm.test('the returned client carries every value sent', function () {",
                "  expectCarries(body, JSON.parse(pm.request.body.raw), 'client');",
                "  pm.expect(body.client_id).to.equal(pm.environment.get('client_id'));",
                "});",
            ],
        ),
        get_client(
            "Get the client (the update persisted)",
            [
                f"const sent = {valid_raw.replace(chr(10), ' ')};",
                "pm.test('a fresh read carries every value sent', function () {",
                "  expectCarries(body, sent, 'client');",
                "});",
            ],
        ),
        patch_with(
            seed_item,
            "Update a client (valid values, token without update:client_keys)",
            valid_raw,
            "auth0_token_narrow",
            [
                "pm.test('403 insufficient_scope', function () {",
                "  pm.response.to.have.status(403);",
                "  pm.expect(body.statusCode).to.equal(403);",
                "  pm.expect(body.error).to.equal('Forbidden');",
                "  pm.expect(body.errorCode).to.equal('insufficient_scope');",
                "  pm.expect(body.message).to.be.a('string').and.not.empty;",
                "});",
            ],
        ),
        get_client(
            "Get the client (the forbidden PATCH changed nothing)",
            [
                f"const sent = {valid_raw.replace(chr(10), ' ')};",
                "pm.test('secret and name are still the previously set ones', function () {",
                "  pm.expect(body.client_secret).to.equal(sent.client_secret);",
                "  pm.expect(body.name).to.equal(sent.name);",
                "});",
            ],
        ),
        {
            "name": "Delete the client",
            "event": script("pm.test('204', function () { pm.response.to.have.status(204); });"),
            "request": {
                "method": "DELETE",
                "header": [{"key": "Authorization", "value": "Bearer {{auth0_token}}"}],
                "url": client_url(),
            },
        },
    ]
    coll = {
        "info": {
            "name": "Zeroth: Update a client (seed request) against the Management API",
            "description": "Built by tests/postman/make_collection.py around the published 'Update a client' request.",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    return coll


def render() -> str:
    return json.dumps(build(), indent=2) + "\n"


def main() -> None:
    OUT.write_text(render())


if __name__ == "__main__":
    main()
