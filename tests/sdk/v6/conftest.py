"""auth0-python 6.x (Fern-generated): fixtures around auth0.management.ManagementClient."""

from __future__ import annotations

import importlib.metadata
from typing import Any, Callable

import pytest

import support

SDK_VERSION = importlib.metadata.version("auth0-python")
if SDK_VERSION.split(".")[0] != "6":
    raise RuntimeError(
        f"tests/sdk/v6 needs auth0-python 6.x, this venv has {SDK_VERSION}; "
        "install tests/sdk/requirements.txt (4.x runs tests/sdk/v4)"
    )

from auth0.management import ManagementClient  # noqa: E402
from auth0.management.errors import NotFoundError  # noqa: E402


def pytest_report_header(config):
    return [f"auth0-python {SDK_VERSION} (ManagementClient)"]


@pytest.fixture(scope="session")
def mgmt(settings: support.Settings) -> ManagementClient:
    """The SDK acquiring its own token with the admin client's credentials."""
    return ManagementClient(
        domain=settings.domain,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        audience=settings.audience,
    )


@pytest.fixture(scope="session")
def created_ids(mgmt: ManagementClient):
    """Every client the suite creates; deleted at the end so a shared tenant stays clean."""
    ids: list[str] = []
    yield ids
    for client_id in ids:
        try:
            mgmt.clients.delete(client_id)
        except NotFoundError:
            pass


@pytest.fixture
def new_client(mgmt: ManagementClient, created_ids: list[str], run_tag: str) -> Callable[..., Any]:
    def make(**fields: Any) -> Any:
        fields.setdefault("name", support.unique_name(run_tag))
        client = mgmt.clients.create(**fields)
        created_ids.append(client.client_id)
        return client

    return make
