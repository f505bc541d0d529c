"""The classic auth0-python 4.x API (still the most deployed): token, CRUD, paging in all
three styles the API offers (bare pages, include_totals, checkpoint from/take), errors."""

from __future__ import annotations

from collections import Counter

import pytest
from auth0.authentication import GetToken
from auth0.exceptions import Auth0Error
from auth0.management import Auth0

import support

MANY = 120


def test_get_token_returns_a_verifiable_management_token(settings, admin_token):
    assert admin_token["token_type"] == "Bearer"
    claims = support.verify_access_token(settings, admin_token["access_token"])
    assert claims["sub"] == f"{settings.client_id}@clients"
    assert claims["gty"] == "client-credentials"
    assert support.REQUIRED_ADMIN_SCOPES <= set(admin_token["scope"].split())


def test_create_get_update_rotate_delete(settings, auth0, new_client):
    created = new_client(name="Classic App", client_metadata={"keep": "1", "drop": "2"})
    cid = created["client_id"]
    assert support.CLIENT_ID_RE.match(cid)
    assert support.GENERATED_SECRET_RE.match(created["client_secret"])
    assert created["jwt_configuration"] == support.DEFAULT_JWT_CONFIGURATION
    assert sorted(created["grant_types"]) == sorted(support.DEFAULT_GRANT_TYPES)
    assert created["is_first_party"] is True

    assert auth0.clients.get(cid) == created
    # 4.x always sends include_fields=true, also without fields
    only = auth0.clients.get(cid, fields=["name", "client_id"])
    assert {"name", "client_id"} <= set(only) <= {"name", "client_id", "tenant"}

    updated = auth0.clients.update(cid, {
        "jwt_configuration": {"alg": "RS256"},
        "client_metadata": {"drop": None, "add": "3"},
        "app_type": "regular_web",
    })
    assert updated["jwt_configuration"] == {**support.DEFAULT_JWT_CONFIGURATION, "alg": "RS256"}
    assert updated["client_metadata"] == {"keep": "1", "add": "3"}
    assert updated["app_type"] == "regular_web"

    # 4.x sends {"id": "<client_id>"} as the rotate-secret body
    rotated = auth0.clients.rotate_secret(cid)
    assert rotated["client_id"] == cid
    assert rotated["client_secret"] != created["client_secret"]
    with pytest.raises(Auth0Error) as err:
        GetToken(settings.domain, cid, client_secret=created["client_secret"]) \
            .client_credentials(settings.audience)
    assert err.value.status_code == 401

    auth0.clients.delete(cid)
    with pytest.raises(Auth0Error) as err:
        auth0.clients.get(cid)
    assert (err.value.status_code, err.value.error_code) == (404, "inexistent_client")
    assert err.value.message == "The client does not exist"
    auth0.clients.delete(cid)  # idempotent


def test_errors_carry_status_error_code_and_message(settings, auth0, new_client):
    c = new_client()
    with pytest.raises(Auth0Error) as err:
        auth0.clients.update(c["client_id"], {"name": "", "callbacks": [""]})
    assert (err.value.status_code, err.value.error_code) == (400, "invalid_body")
    assert err.value.message.startswith("Payload validation error:")
    assert support.property_named(err.value.message, "name")
    assert support.property_named(err.value.message, "callbacks[0]")

    limited = Auth0(settings.domain, support.narrowed_token(settings, "read:clients update:clients"))
    with pytest.raises(Auth0Error) as err:
        limited.clients.update(c["client_id"], {"client_secret": support.custom_secret()})
    assert (err.value.status_code, err.value.error_code) == (403, "insufficient_scope")
    assert auth0.clients.get(c["client_id"])["client_secret"] == c["client_secret"]


@pytest.fixture(scope="module")
def many(auth0, run_tag) -> set[str]:
    ids = []
    try:
        for i in range(MANY):
            ids.append(auth0.clients.create({"name": f"{run_tag}-v4-list-{i:03d}"})["client_id"])
        yield set(ids)
    finally:
        for cid in ids:
            try:
                auth0.clients.delete(cid)
            except Auth0Error:
                pass


def assert_each_once(seen: list[str], many: set[str]) -> None:
    dupes = [cid for cid, n in Counter(seen).items() if n > 1]
    assert dupes == []
    assert many <= set(seen)


def test_bare_pages_until_an_empty_one(auth0, many):
    seen, page = [], 0
    while True:
        batch = auth0.clients.all(page=page, per_page=50, fields=["client_id"])
        assert isinstance(batch, list)  # no include_totals: a bare array
        assert len(batch) <= 50
        if not batch:
            break
        seen += [c["client_id"] for c in batch]
        page += 1
    assert_each_once(seen, many)


def test_include_totals_pages(auth0, many):
    seen, page, total = [], 0, None
    while total is None or page * 25 < total:
        body = auth0.clients.all(page=page, per_page=25, extra_params={"include_totals": "true"})
        assert (body["start"], body["limit"]) == (page * 25, 25)
        assert total in (None, body["total"])
        total = body["total"]
        seen += [c["client_id"] for c in body["clients"]]
        page += 1
    assert len(seen) == total
    assert_each_once(seen, many)


def test_checkpoint_pages_with_from_and_take(auth0, many):
    seen, params = [], {"take": 40}
    for _ in range(1000):
        body = auth0.clients.all(extra_params=dict(params))
        assert set(body) <= {"clients", "next"}
        assert len(body["clients"]) <= 40
        seen += [c["client_id"] for c in body["clients"]]
        if not body.get("next"):
            break
        params = {"take": 40, "from": body["next"]}
    else:
        pytest.fail("checkpoint paging never ended")
    assert_each_once(seen, many)
