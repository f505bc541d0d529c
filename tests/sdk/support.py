"""Plain helpers shared by the SDK suites (no SDK imports here).

Everything a test needs to know about the server under test comes from the
environment, so the same tests run against zeroth (scripts/test-clients) or a
real Auth0 tenant:

  ZEROTH_URL            https://HOST[:PORT] of the tenant (required)
  ZEROTH_DATA_DIR       a zeroth data dir: admin-credentials.json and tls/ca.pem
  ZEROTH_CLIENT_ID      } admin (machine-to-machine) credentials, used when there
  ZEROTH_CLIENT_SECRET  } is no ZEROTH_DATA_DIR (e.g. against a real Auth0 tenant)
  ZEROTH_AUDIENCE       optional, defaults to https://HOST[:PORT]/api/v2/
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlparse

import jwt
import requests

POSTMAN_DIR = Path(__file__).resolve().parent.parent / "postman"

# What a freshly created client looks like on Auth0 (clients-api.md §2, §3.3).
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9]{32}$")
GENERATED_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{64}$")
DEFAULT_GRANT_TYPES = ["authorization_code", "implicit", "refresh_token", "client_credentials"]
DEFAULT_JWT_CONFIGURATION = {"lifetime_in_seconds": 36000, "secret_encoded": False}

# Scopes the admin client needs for these suites.
REQUIRED_ADMIN_SCOPES = {
    "read:clients",
    "create:clients",
    "update:clients",
    "delete:clients",
    "read:client_keys",
    "update:client_keys",
}


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Settings:
    url: str  # https://host[:port]
    domain: str  # host[:port] -- what the SDKs take
    client_id: str
    client_secret: str
    audience: str
    ca_file: Optional[str]

    @property
    def issuer(self) -> str:
        return f"https://{self.domain}/"

    @property
    def token_url(self) -> str:
        return f"https://{self.domain}/oauth/token"

    @property
    def jwks_url(self) -> str:
        return f"https://{self.domain}/.well-known/jwks.json"


def load_settings() -> Settings:
    """Reads the environment; raises ConfigError with a message saying what is missing."""
    url = os.environ.get("ZEROTH_URL", "").strip().rstrip("/")
    if not url:
        raise ConfigError(
            "ZEROTH_URL is not set. These tests talk to a running server: run "
            "scripts/test-clients, or export ZEROTH_URL=https://HOST[:PORT] plus either "
            "ZEROTH_DATA_DIR (a zeroth data dir) or ZEROTH_CLIENT_ID/ZEROTH_CLIENT_SECRET "
            "(see tests/sdk/README.md)."
        )
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ConfigError(f"ZEROTH_URL must be https://HOST[:PORT], got {url!r}")
    domain = parsed.netloc

    creds: dict[str, Any] = {}
    ca_file = os.environ.get("SSL_CERT_FILE") or None
    data_dir = os.environ.get("ZEROTH_DATA_DIR", "").strip()
    if data_dir:
        path = Path(data_dir) / "admin-credentials.json"
        if not path.is_file():
            raise ConfigError(f"ZEROTH_DATA_DIR={data_dir} has no admin-credentials.json")
        creds = json.loads(path.read_text())
        ca = Path(data_dir) / "tls" / "ca.pem"
        if ca_file is None and ca.is_file():
            ca_file = str(ca)
    client_id = os.environ.get("ZEROTH_CLIENT_ID") or creds.get("client_id")
    client_secret = os.environ.get("ZEROTH_CLIENT_SECRET") or creds.get("client_secret")
    if not client_id or not client_secret:
        raise ConfigError(
            "No admin credentials: set ZEROTH_DATA_DIR (with admin-credentials.json) or "
            "ZEROTH_CLIENT_ID and ZEROTH_CLIENT_SECRET."
        )
    if creds.get("domain") and creds["domain"] != domain:
        raise ConfigError(
            f"admin-credentials.json is for domain {creds['domain']!r} but ZEROTH_URL is {url!r}"
        )
    audience = os.environ.get("ZEROTH_AUDIENCE") or creds.get("audience") or f"https://{domain}/api/v2/"
    return Settings(url, domain, client_id, client_secret, audience, ca_file)


def trust_ca(settings: Settings) -> None:
    """Both HTTP stacks the SDKs use read these variables: httpx (auth0-python 6) reads
    SSL_CERT_FILE, requests (auth0-python 4, and 6's authentication API) reads
    REQUESTS_CA_BUNDLE. Nothing in the SDKs themselves is changed."""
    if settings.ca_file:
        os.environ.setdefault("SSL_CERT_FILE", settings.ca_file)
        os.environ.setdefault("REQUESTS_CA_BUNDLE", settings.ca_file)


def unique_name(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def custom_secret() -> str:
    """A caller-chosen client secret (PATCH accepts any non-empty string)."""
    alphabet = string.ascii_letters + string.digits + "+="
    return "".join(secrets.choice(alphabet) for _ in range(50))


def raw_token_response(settings: Settings, scope: Optional[str] = None,
                       client_id: Optional[str] = None,
                       client_secret: Optional[str] = None) -> requests.Response:
    """POST /oauth/token as a plain OAuth client would (form encoded). Used only where the
    SDKs have no parameter for it: asking for a narrowed `scope`."""
    form = {
        "grant_type": "client_credentials",
        "client_id": client_id or settings.client_id,
        "client_secret": client_secret or settings.client_secret,
        "audience": settings.audience,
    }
    if scope is not None:
        form["scope"] = scope
    return requests.post(settings.token_url, data=form, timeout=30)


def narrowed_token(settings: Settings, scope: str) -> str:
    resp = raw_token_response(settings, scope=scope)
    assert resp.status_code == 200, f"token request with scope={scope!r}: {resp.status_code} {resp.text}"
    body = resp.json()
    assert set(body.get("scope", "").split()) == set(scope.split()), body
    return body["access_token"]


def verify_access_token(settings: Settings, token: str) -> dict[str, Any]:
    """Verifies an access token the way an API protected by this tenant would: fetch the
    JWKS, pick the key by `kid`, check RS256 signature, issuer, audience and expiry."""
    header = jwt.get_unverified_header(token)
    assert header.get("alg") == "RS256", header
    assert header.get("kid"), f"token header has no kid: {header}"
    resp = requests.get(settings.jwks_url, timeout=30)
    assert resp.status_code == 200, f"GET {settings.jwks_url}: {resp.status_code} {resp.text}"
    jwks = jwt.PyJWKSet.from_dict(resp.json())
    keys = [k for k in jwks.keys if k.key_id == header["kid"]]
    assert keys, f"kid {header['kid']!r} not in JWKS {[k.key_id for k in jwks.keys]}"
    return jwt.decode(
        token,
        key=keys[0].key,
        algorithms=["RS256"],
        audience=settings.audience,
        issuer=settings.issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )


def wire(model: Any) -> dict[str, Any]:
    """An auth0-python 6 response model as the JSON the server sent: only the keys it
    sent, under Auth0's spellings (`global`, not `global_`)."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def property_named(message: str, path: str) -> bool:
    """Whether an Auth0 'Payload validation error' message names `path` as a property
    ("... on property callbacks[0]." / "... on property name (description).")."""
    return re.search(r"on property " + re.escape(path) + r"(?=[\s.(]|$)", message) is not None


def seed_bodies() -> tuple[dict[str, Any], dict[str, Any]]:
    """(literal seed body, the same keys with valid values) -- the bodies the Postman
    collection sends, from the same source (tests/postman/make_collection.py)."""
    import sys

    sys.path.insert(0, str(POSTMAN_DIR))
    import make_collection

    seed = json.loads(make_collection.SEED.read_text())
    literal = json.loads(seed["item"][0]["request"]["body"]["raw"])
    return literal, json.loads(json.dumps(make_collection.VALID_BODY))
