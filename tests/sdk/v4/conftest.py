"""auth0-python 4.x (the classic, hand-written SDK): auth0.management.Auth0 with a token
from auth0.authentication.GetToken."""

from __future__ import annotations

import importlib.metadata
from typing import Any, Callable

import pytest

import support

SDK_VERSION = importlib.metadata.version("auth0-python")
if SDK_VERSION.split(".")[0] != "4":
    raise RuntimeError(
        f"tests/sdk/v4 needs auth0-python 4.x, this venv has {SDK_VERSION}; "
        "install tests/sdk/v4/requirements.txt (6.x runs tests/sdk/v6)"
    )

from auth0.authentication import GetToken  # noqa: E402
from auth0.exceptions import Auth0Error  # noqa: E402
from auth0.management import Auth0  # noqa: E402


def pytest_report_header(config):
    return [f"auth0-python {SDK_VERSION} (classic Auth0 + GetToken)"]


@pytest.fixture(scope="session")
def admin_token(settings: support.Settings) -> dict:
    return GetToken(settings.domain, settings.client_id, client_secret=settings.client_secret) \
        .client_credentials(settings.audience)


@pytest.fixture(scope="session")
def auth0(settings: support.Settings, admin_token: dict) -> Auth0:
    return Auth0(settings.domain, admin_token["access_token"])


@pytest.fixture(scope="session")
def created_ids(auth0: Auth0):
    ids: list[str] = []
    yield ids
    for client_id in ids:
        try:
            auth0.clients.delete(client_id)
        except Auth0Error:
            pass


@pytest.fixture
def new_client(auth0: Auth0, created_ids: list[str], run_tag: str) -> Callable[..., dict]:
    def make(**fields: Any) -> dict:
        fields.setdefault("name", support.unique_name(run_tag))
        client = auth0.clients.create(fields)
        created_ids.append(client["client_id"])
        return client

    return make
