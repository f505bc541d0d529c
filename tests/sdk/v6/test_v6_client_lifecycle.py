"""A client's life through auth0-python 6: create, read, update, rotate, delete."""

from __future__ import annotations

import pytest
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.management.errors import NotFoundError

import support
from support import wire


def token_status(settings, client_id: str, client_secret: str) -> int:
    """What the token endpoint says to these credentials (200, or the error status)."""
    try:
        GetToken(settings.domain, client_id, client_secret=client_secret) \
            .client_credentials(settings.audience)
        return 200
    except Auth0Error as e:
        return e.status_code


# --- create -------------------------------------------------------------------------


def test_a_new_client_gets_auth0_defaults(settings, new_client):
    created = new_client(name="Defaults App")
    c = wire(created)

    assert support.CLIENT_ID_RE.match(c["client_id"]), c["client_id"]
    assert support.GENERATED_SECRET_RE.match(c["client_secret"]), c["client_secret"]
    assert c["name"] == "Defaults App"
    assert c["tenant"] == settings.domain.split(":")[0].split(".")[0]
    assert c["global"] is False
    assert c["is_first_party"] is True
    assert c["oidc_conformant"] is False
    assert c["sso_disabled"] is False
    assert c["cross_origin_authentication"] is False
    assert c["is_token_endpoint_ip_header_trusted"] is False
    assert c["custom_login_page_on"] is True
    assert sorted(c["grant_types"]) == sorted(support.DEFAULT_GRANT_TYPES)
    assert len(c["grant_types"]) == len(support.DEFAULT_GRANT_TYPES)
    assert c["jwt_configuration"] == support.DEFAULT_JWT_CONFIGURATION
    assert c["refresh_token"]["rotation_type"] == "non-rotating"
    assert c["refresh_token"]["expiration_type"] == "non-expiring"
    assert c["signing_keys"] and all(
        k["cert"].startswith("-----BEGIN CERTIFICATE-----") for k in c["signing_keys"]
    )
    # Auth0 emits no app_type / token_endpoint_auth_method unless they were sent.
    assert "app_type" not in c
    assert "token_endpoint_auth_method" not in c


def test_every_client_gets_its_own_id_and_secret(new_client):
    a, b = wire(new_client()), wire(new_client())
    assert a["client_id"] != b["client_id"]
    assert a["client_secret"] != b["client_secret"]


def test_a_public_spa_gets_no_client_credentials_grant(new_client):
    c = wire(new_client(app_type="spa", token_endpoint_auth_method="none"))
    assert sorted(c["grant_types"]) == ["authorization_code", "implicit", "refresh_token"]
    assert c["app_type"] == "spa"
    assert c["token_endpoint_auth_method"] == "none"


def test_explicit_grant_types_and_jwt_configuration_are_kept(new_client):
    c = wire(new_client(grant_types=["client_credentials"], jwt_configuration={"alg": "RS256"}))
    assert c["grant_types"] == ["client_credentials"]
    # the given object is stored; only secret_encoded is filled in
    assert c["jwt_configuration"] == {"alg": "RS256", "secret_encoded": False}


# --- read ---------------------------------------------------------------------------


def test_get_returns_the_client_as_created(mgmt, new_client):
    created = wire(new_client(callbacks=["https://example.com/cb"], client_metadata={"team": "blue"}))
    got = wire(mgmt.clients.get(created["client_id"]))
    assert got == created


def test_get_with_fields_returns_only_those_fields(mgmt, new_client):
    c = new_client()
    got = wire(mgmt.clients.get(c.client_id, fields="name,client_id", include_fields=True))
    assert {"name", "client_id"} <= set(got) <= {"name", "client_id", "tenant"}
    assert got["name"] == c.name


def test_get_with_excluded_fields_returns_the_rest(mgmt, new_client):
    c = new_client()
    got = wire(mgmt.clients.get(
        c.client_id, fields="client_secret,signing_keys,jwt_configuration", include_fields=False
    ))
    assert not {"client_secret", "signing_keys", "jwt_configuration"} & set(got)
    assert got["client_id"] == c.client_id and got["name"] == c.name
    assert "grant_types" in got


def test_an_unknown_client_is_a_404_inexistent_client(mgmt):
    with pytest.raises(NotFoundError) as err:
        mgmt.clients.get("this-client-does-not-exist")
    assert err.value.status_code == 404
    assert err.value.body == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "The client does not exist",
        "errorCode": "inexistent_client",
    }


# --- update -------------------------------------------------------------------------


def test_the_seed_update_with_valid_values_is_applied_and_persisted(mgmt, new_client):
    _, valid = support.seed_bodies()
    c = new_client()
    body = dict(valid)
    # `resource_servers` (the seed's legacy key) has no SDK parameter: send it as the SDK
    # documents for extra body keys.
    extra = {"resource_servers": body.pop("resource_servers")}

    updated = wire(mgmt.clients.update(
        c.client_id, **body, request_options={"additional_body_parameters": extra}
    ))
    again = wire(mgmt.clients.get(c.client_id))

    for key, value in valid.items():
        assert updated[key] == value, key
        assert again[key] == value, key
    assert updated["client_id"] == c.client_id
    # keys the update did not mention keep their values
    assert updated["grant_types"] == wire(c)["grant_types"]


def test_jwt_configuration_is_merged_key_by_key(mgmt, new_client):
    c = new_client()
    updated = wire(mgmt.clients.update(c.client_id, jwt_configuration={"alg": "RS256"}))
    assert updated["jwt_configuration"] == {**support.DEFAULT_JWT_CONFIGURATION, "alg": "RS256"}

    updated = wire(mgmt.clients.update(c.client_id, jwt_configuration={"lifetime_in_seconds": 600}))
    assert updated["jwt_configuration"] == {
        "lifetime_in_seconds": 600, "secret_encoded": False, "alg": "RS256"
    }


def test_client_metadata_is_merged_and_null_deletes_a_key(mgmt, new_client):
    c = new_client(client_metadata={"keep": "1", "drop": "2"})

    updated = wire(mgmt.clients.update(c.client_id, client_metadata={"drop": None, "add": "3"}))
    assert updated["client_metadata"] == {"keep": "1", "add": "3"}

    updated = wire(mgmt.clients.update(c.client_id, client_metadata={"keep": None, "add": None}))
    assert updated["client_metadata"] == {}
    assert wire(mgmt.clients.get(c.client_id))["client_metadata"] == {}


def test_mobile_is_merged_but_arrays_are_replaced(mgmt, new_client):
    c = new_client(
        callbacks=["https://a.example.com/cb", "https://b.example.com/cb"],
        mobile={"android": {"app_package_name": "com.example.old"},
                "ios": {"team_id": "TEAM1", "app_bundle_identifier": "com.example"}},
    )
    updated = wire(mgmt.clients.update(
        c.client_id,
        callbacks=["https://c.example.com/cb"],
        mobile={"android": {"app_package_name": "com.example.new"}},
    ))
    assert updated["callbacks"] == ["https://c.example.com/cb"]
    assert updated["mobile"] == {
        "android": {"app_package_name": "com.example.new"},
        "ios": {"team_id": "TEAM1", "app_bundle_identifier": "com.example"},
    }


def test_a_caller_chosen_secret_replaces_the_old_one(settings, mgmt, new_client):
    c = new_client()
    chosen = support.custom_secret()
    updated = wire(mgmt.clients.update(c.client_id, client_secret=chosen))
    assert updated["client_secret"] == chosen
    assert token_status(settings, c.client_id, c.client_secret) == 401


# --- rotate -------------------------------------------------------------------------


def test_rotating_the_secret_retires_the_old_one(settings, mgmt, new_client):
    c = new_client(name="Rotate Me")
    before = token_status(settings, c.client_id, c.client_secret)
    # A new client has no grant for the Management API: Auth0 authenticates it and then
    # refuses the audience (403). Either way it must not be an authentication failure.
    assert before != 401

    rotated = wire(mgmt.clients.rotate_secret(c.client_id))

    assert rotated["client_id"] == c.client_id
    assert rotated["name"] == "Rotate Me"
    assert support.GENERATED_SECRET_RE.match(rotated["client_secret"])
    assert rotated["client_secret"] != c.client_secret
    assert wire(mgmt.clients.get(c.client_id))["client_secret"] == rotated["client_secret"]
    assert token_status(settings, c.client_id, c.client_secret) == 401
    assert token_status(settings, c.client_id, rotated["client_secret"]) == before


def test_rotating_an_unknown_client_is_a_404(mgmt):
    with pytest.raises(NotFoundError) as err:
        mgmt.clients.rotate_secret("this-client-does-not-exist")
    assert err.value.body["errorCode"] == "inexistent_client"


# --- delete -------------------------------------------------------------------------


def test_a_deleted_client_is_gone_and_deleting_again_is_fine(settings, mgmt, new_client):
    c = new_client()
    assert mgmt.clients.delete(c.client_id) is None

    with pytest.raises(NotFoundError) as err:
        mgmt.clients.get(c.client_id)
    assert err.value.status_code == 404
    assert err.value.body["statusCode"] == 404
    assert err.value.body["errorCode"] == "inexistent_client"

    mgmt.clients.delete(c.client_id)  # Auth0 answers 204 again
    assert token_status(settings, c.client_id, c.client_secret) == 401
