"""Fixtures shared by both SDK suites: where the server is and who we are.

Two suites, one per auth0-python generation, each needing its own venv:
  v6/  auth0-python 6.x  (tests/sdk/requirements.txt)     -- the main suite
  v4/  auth0-python 4.x  (tests/sdk/v4/requirements.txt)  -- the classic API
`pytest tests/sdk` runs the suite matching the installed SDK and says so in the header;
scripts/test-clients runs it once per venv. Nothing is skipped silently: without a
server to talk to every test fails with the reason.
"""

from __future__ import annotations

import importlib.metadata

import pytest

import support

try:
    SDK_VERSION = importlib.metadata.version("auth0-python")
except importlib.metadata.PackageNotFoundError:
    SDK_VERSION = None
SUITES = {"6": "v6", "4": "v4"}
ACTIVE = SUITES.get((SDK_VERSION or "").split(".")[0])
collect_ignore = [d for d in SUITES.values() if d != ACTIVE]


def pytest_report_header(config):
    lines = []
    if ACTIVE is None:
        lines.append(f"auth0-python {SDK_VERSION or 'is not installed'}: no suite for it")
    for d in collect_ignore:
        lines.append(f"tests/sdk/{d}: not collected, it needs another auth0-python (this venv has {SDK_VERSION})")
    try:
        s = support.load_settings()
        lines.append(f"zeroth: {s.url} as {s.client_id} (CA: {s.ca_file or 'system'})")
    except support.ConfigError as e:
        lines.append(f"zeroth: NOT CONFIGURED: {e}")
    return lines


@pytest.fixture(scope="session")
def settings() -> support.Settings:
    try:
        s = support.load_settings()
    except support.ConfigError as e:
        pytest.fail(str(e), pytrace=False)
    support.trust_ca(s)
    return s


@pytest.fixture(scope="session")
def run_tag() -> str:
    """Prefix for names of everything this run creates (easy to spot on a shared tenant)."""
    return support.unique_name("sdk-test")
