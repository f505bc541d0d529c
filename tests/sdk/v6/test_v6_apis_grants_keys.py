"""Machine-to-machine authorization through auth0-python 6: an API with scopes, a grant
for part of them, and the tokens the grant allows."""

from __future__ import annotations

import jwt
import pytest
import requests
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.management.errors import NotFoundError

import support
from support import wire


def token_for(settings, client_id: str, secret: str, audience: str) -> dict:
    """A client-credentials token for `audience`, through the SDK's authentication API."""
    return GetToken(settings.domain, client_id, client_secret=secret).client_credentials(audience)


def decode_with_jwks(settings, token: str, audience: str) -> dict:
    """Verifies the token as an API protected by this tenant would: JWKS, kid, RS256."""
    header = jwt.get_unverified_header(token)
    keys = jwt.PyJWKSet.from_dict(requests.get(settings.jwks_url, timeout=30).json())
    key = next(k for k in keys.keys if k.key_id == header["kid"])
    return jwt.decode(token, key=key.key, algorithms=["RS256"], audience=audience,
                      issuer=settings.issuer)


@pytest.fixture
def api(mgmt, run_tag):
    identifier = f"urn:{support.unique_name(run_tag)}"
    created = mgmt.resource_servers.create(
        identifier=identifier,
        name="SDK test API",
        scopes=[{"value": "read:things", "description": "Read things"},
                {"value": "write:things", "description": "Write things"}],
        signing_alg="RS256",
        token_lifetime=3600,
    )
    yield wire(created)
    try:
        mgmt.resource_servers.delete(created.id)
    except NotFoundError:
        pass


def test_a_grant_decides_which_api_scopes_a_client_gets(settings, mgmt, new_client, api):
    assert api["identifier"].startswith("urn:")
    assert api["signing_alg"] == "RS256" and api["token_lifetime"] == 3600
    assert [s["value"] for s in api["scopes"]] == ["read:things", "write:things"]
    machine = wire(new_client(app_type="non_interactive", grant_types=["client_credentials"]))
    audience = api["identifier"]

    # No grant yet: Auth0's access_denied.
    with pytest.raises(Auth0Error) as refused:
        token_for(settings, machine["client_id"], machine["client_secret"], audience)
    assert refused.value.status_code == 403
    assert refused.value.error_code == "access_denied"
    assert "Client is not authorized to access" in refused.value.message

    grant = wire(mgmt.client_grants.create(
        client_id=machine["client_id"], audience=audience, scope=["read:things"]))
    assert grant["id"].startswith("cgr_")
    listed = [wire(g) for g in mgmt.client_grants.list(client_id=machine["client_id"])]
    assert [g["id"] for g in listed] == [grant["id"]]

    issued = token_for(settings, machine["client_id"], machine["client_secret"], audience)
    claims = decode_with_jwks(settings, issued["access_token"], audience)
    assert claims["scope"] == "read:things"
    assert claims["sub"] == f"{machine['client_id']}@clients"
    assert claims["exp"] - claims["iat"] == 3600 and issued["expires_in"] == 3600

    # A scope outside the grant is refused, not silently dropped (the SDK's token call
    # takes no scope, so this one goes out as a plain OAuth request).
    outside = requests.post(settings.token_url, timeout=30, data={
        "grant_type": "client_credentials", "client_id": machine["client_id"],
        "client_secret": machine["client_secret"], "audience": audience, "scope": "write:things"})
    assert outside.status_code == 403 and outside.json()["error"] == "access_denied", outside.text

    mgmt.client_grants.update(grant["id"], scope=["read:things", "write:things"])
    widened = token_for(settings, machine["client_id"], machine["client_secret"], audience)
    assert set(decode_with_jwks(settings, widened["access_token"], audience)["scope"].split()) \
        == {"read:things", "write:things"}

    mgmt.client_grants.delete(grant["id"])
    with pytest.raises(Auth0Error) as revoked:
        token_for(settings, machine["client_id"], machine["client_secret"], audience)
    assert revoked.value.status_code == 403
