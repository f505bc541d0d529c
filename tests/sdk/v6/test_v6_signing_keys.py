"""Signing-key rotation through auth0-python 6 while tokens are in use: a rotated-out key
keeps verifying until it is revoked, then its tokens are refused everywhere."""

from __future__ import annotations

import jwt
import requests

import support
from support import wire


def management_status(settings, token: str) -> int:
    return requests.get(f"{settings.url}/api/v2/clients?per_page=1", timeout=30,
                        headers={"Authorization": f"Bearer {token}"}).status_code


def jwks_kids(settings) -> set[str]:
    return {k["kid"] for k in requests.get(settings.jwks_url, timeout=30).json()["keys"]}


def test_a_rotated_out_key_verifies_until_it_is_revoked(settings, mgmt):
    # The session's SDK token was signed by whatever key was current; this test never
    # revokes that key, so the other tests keep working.
    first = next(wire(k) for k in mgmt.keys.signing.list() if wire(k).get("current"))

    second = wire(mgmt.keys.signing.rotate())
    assert second["kid"] != first["kid"]
    keys = {k["kid"]: k for k in (wire(k) for k in mgmt.keys.signing.list())}
    assert keys[second["kid"]].get("current") is True
    assert keys[first["kid"]].get("previous") is True
    token = support.raw_token_response(settings).json()["access_token"]
    assert jwt.get_unverified_header(token)["kid"] == second["kid"]
    support.verify_access_token(settings, token)

    third = wire(mgmt.keys.signing.rotate())
    assert third["kid"] not in (first["kid"], second["kid"])
    # Rotated out but not revoked: still published, still accepted.
    assert {first["kid"], second["kid"], third["kid"]} <= jwks_kids(settings)
    support.verify_access_token(settings, token)
    assert management_status(settings, token) == 200

    revoked = wire(mgmt.keys.signing.revoke(second["kid"]))
    assert revoked["kid"] == second["kid"]
    assert second["kid"] not in jwks_kids(settings)
    assert management_status(settings, token) == 401
    assert {k["kid"]: k for k in (wire(k) for k in mgmt.keys.signing.list())}[second["kid"]].get("revoked") is True
