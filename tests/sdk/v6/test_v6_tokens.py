"""Getting Management API tokens the ways auth0-python 6 does, and checking them the way
an API protected by the tenant would (PyJWT against the published JWKS)."""

from __future__ import annotations

import pytest
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.management import ManagementClient, TokenProvider
from auth0.management.errors import UnauthorizedError

import support


def test_the_sdk_token_provider_gets_a_token_that_verifies_against_the_jwks(settings):
    # TokenProvider is what ManagementClient(client_id=..., client_secret=...) uses:
    # a form-encoded client_credentials request.
    token = TokenProvider(
        domain=settings.domain,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        audience=settings.audience,
    ).get_token()

    claims = support.verify_access_token(settings, token)

    assert claims["iss"] == f"https://{settings.domain}/"
    aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert settings.audience in aud
    assert claims["sub"] == f"{settings.client_id}@clients"
    assert claims["azp"] == settings.client_id
    assert claims["gty"] == "client-credentials"
    assert claims["exp"] > claims["iat"]
    assert support.REQUIRED_ADMIN_SCOPES <= set(claims["scope"].split())


def test_the_authentication_api_returns_a_bearer_token_and_its_scopes(settings):
    # GetToken posts JSON (including "organization": null) -- the classic SDK path.
    response = GetToken(settings.domain, settings.client_id, client_secret=settings.client_secret) \
        .client_credentials(settings.audience)

    assert response["token_type"] == "Bearer"
    assert isinstance(response["expires_in"], int) and response["expires_in"] > 0
    claims = support.verify_access_token(settings, response["access_token"])
    assert claims["exp"] - claims["iat"] == response["expires_in"]
    assert set(response["scope"].split()) == set(claims["scope"].split())
    assert support.REQUIRED_ADMIN_SCOPES <= set(response["scope"].split())


def test_a_wrong_client_secret_gets_no_token(settings):
    with pytest.raises(Auth0Error) as err:
        GetToken(settings.domain, settings.client_id, client_secret="not-the-secret") \
            .client_credentials(settings.audience)
    # Auth0 answers bad client credentials with 401
    # {"error":"access_denied","error_description":"Unauthorized"} (not RFC 6749's
    # invalid_client); code written against Auth0 matches on "access_denied".
    assert err.value.status_code == 401
    assert err.value.error_code == "access_denied"
    assert err.value.message == "Unauthorized"


def test_a_narrowed_scope_request_gets_exactly_those_scopes(settings):
    token = support.narrowed_token(settings, "read:clients update:clients")
    claims = support.verify_access_token(settings, token)
    assert sorted(claims["scope"].split()) == ["read:clients", "update:clients"]


def test_the_management_api_rejects_a_token_it_did_not_issue(settings):
    forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    with pytest.raises(UnauthorizedError) as err:
        ManagementClient(domain=settings.domain, token=forged).clients.get(settings.client_id)
    assert err.value.status_code == 401
    assert err.value.body["statusCode"] == 401
    assert err.value.body["error"] == "Unauthorized"
