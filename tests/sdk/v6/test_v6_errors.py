"""What auth0-python 6 raises when the server says no: bad bodies and missing scopes."""

from __future__ import annotations

import pytest
from auth0.management import ManagementClient
from auth0.management.errors import BadRequestError, ForbiddenError

import support
from support import wire


def assert_invalid_body(err: BadRequestError, *properties: str) -> None:
    assert err.status_code == 400
    body = err.body
    assert body["statusCode"] == 400
    assert body["error"] == "Bad Request"
    assert body["errorCode"] == "invalid_body"
    assert body["message"].startswith("Payload validation error:"), body["message"]
    for p in properties:
        assert support.property_named(body["message"], p), (p, body["message"])


def test_an_empty_name_is_an_invalid_body_naming_the_property(mgmt, new_client):
    c = new_client()
    with pytest.raises(BadRequestError) as err:
        mgmt.clients.update(c.client_id, name="")
    assert_invalid_body(err.value, "name")
    assert mgmt.clients.get(c.client_id).name == c.name


def test_an_unknown_app_type_is_rejected_on_create(mgmt):
    with pytest.raises(BadRequestError) as err:
        mgmt.clients.create(name="Bad App Type", app_type="not-an-app-type")
    assert_invalid_body(err.value, "app_type")


def test_an_unknown_property_is_rejected(mgmt, new_client):
    c = new_client()
    with pytest.raises(BadRequestError) as err:
        mgmt.clients.update(
            c.client_id, request_options={"additional_body_parameters": {"not_a_property": True}}
        )
    assert_invalid_body(err.value)
    assert "Additional properties not allowed: not_a_property" in err.value.body["message"]


def test_the_literal_seed_body_is_rejected_naming_each_bad_property(mgmt, new_client):
    literal, _ = support.seed_bodies()
    c = new_client()
    with pytest.raises(BadRequestError) as err:
        # sent as-is, bypassing the SDK's typed parameters
        mgmt.clients.update(c.client_id, request_options={"additional_body_parameters": literal})
    assert_invalid_body(
        err.value, "name", "callbacks[0]", "client_aliases[0]", "app_type",
        "token_endpoint_auth_method", "jwt_configuration.alg",
    )
    after = wire(mgmt.clients.get(c.client_id))
    assert after["name"] == c.name and "app_type" not in after


def test_an_unknown_field_name_is_an_invalid_query_string(mgmt, new_client):
    c = new_client()
    with pytest.raises(BadRequestError) as err:
        mgmt.clients.get(c.client_id, fields="name,not_a_field", include_fields=True)
    body = err.value.body
    assert (body["statusCode"], body["error"], body["errorCode"]) == (400, "Bad Request", "invalid_query_string")
    # "Query validation error: '<what>' on property fields." -- one prefix, one property
    assert body["message"].startswith("Query validation error: '"), body["message"]
    assert body["message"].count("Query validation error") == 1, body["message"]
    assert support.property_named(body["message"], "fields"), body["message"]


@pytest.fixture(scope="module")
def limited(settings) -> ManagementClient:
    """The SDK with a token narrowed to read:clients update:clients (no key scopes)."""
    token = support.narrowed_token(settings, "read:clients update:clients")
    return ManagementClient(domain=settings.domain, token=token)


def assert_insufficient_scope(err: ForbiddenError) -> None:
    assert err.status_code == 403
    assert err.body["statusCode"] == 403
    assert err.body["error"] == "Forbidden"
    assert err.body["errorCode"] == "insufficient_scope"
    assert err.body["message"]


def test_updating_the_secret_needs_update_client_keys(mgmt, limited, new_client):
    c = new_client()
    with pytest.raises(ForbiddenError) as err:
        limited.clients.update(c.client_id, client_secret=support.custom_secret())
    assert_insufficient_scope(err.value)
    assert wire(mgmt.clients.get(c.client_id))["client_secret"] == c.client_secret


def test_the_seed_update_with_valid_values_needs_update_client_keys(mgmt, limited, new_client):
    _, valid = support.seed_bodies()
    c = new_client()
    with pytest.raises(ForbiddenError) as err:
        limited.clients.update(c.client_id, request_options={"additional_body_parameters": valid})
    assert_insufficient_scope(err.value)
    after = wire(mgmt.clients.get(c.client_id))
    assert after["name"] == c.name and after["client_secret"] == c.client_secret


def test_ordinary_fields_only_need_update_clients(limited, new_client):
    c = new_client()
    updated = wire(limited.clients.update(c.client_id, name="Renamed", callbacks=["https://x.example.com/cb"]))
    assert updated["name"] == "Renamed"
    assert updated["callbacks"] == ["https://x.example.com/cb"]


def test_without_read_client_keys_the_secret_is_silently_left_out(limited, new_client):
    c = new_client()
    got = wire(limited.clients.get(c.client_id))
    assert got["name"] == c.name
    assert "client_secret" not in got


def test_asking_for_the_secret_without_read_client_keys_is_forbidden(limited, new_client):
    c = new_client()
    with pytest.raises(ForbiddenError) as err:
        limited.clients.get(c.client_id, fields="client_secret", include_fields=True)
    assert_insufficient_scope(err.value)
    assert err.value.body["message"] == "You cannot read the following fields: client_secret"


def test_rotating_needs_update_client_keys(limited, new_client):
    c = new_client()
    with pytest.raises(ForbiddenError) as err:
        limited.clients.rotate_secret(c.client_id)
    assert_insufficient_scope(err.value)


def test_creating_needs_create_clients(limited):
    with pytest.raises(ForbiddenError) as err:
        limited.clients.create(name="Not Allowed")
    assert_insufficient_scope(err.value)
    assert "create:clients" in err.value.body["message"]
