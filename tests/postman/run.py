#!/usr/bin/env python3
"""Runs tests/postman/collection.json with newman against a running server.

    python tests/postman/run.py PATH_TO_NEWMAN

Reads ZEROTH_URL (https://HOST[:PORT]) and the admin credentials from ZEROTH_DATA_DIR
(admin-credentials.json) or ZEROTH_CLIENT_ID / ZEROTH_CLIENT_SECRET, writes a Postman
environment (auth0_domain, auth0_client_id, auth0_client_secret) to a temporary file
and runs `newman run collection.json -e env.json --bail`. TLS is verified: the dev CA
is passed through NODE_EXTRA_CA_CERTS (taken from the environment, else from
ZEROTH_DATA_DIR/tls/ca.pem); --insecure is never used. Exits with newman's status.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_collection  # noqa: E402


def fail(msg: str) -> "None":
    print(f"tests/postman/run.py: {msg}", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    if len(sys.argv) != 2:
        fail("usage: run.py PATH_TO_NEWMAN")
    newman = sys.argv[1]

    # The collection must be what make_collection.py builds, around the untouched seed.
    collection = HERE / "collection.json"
    if collection.read_text() != make_collection.render():
        fail("collection.json is stale: run tests/postman/make_collection.py and commit it")
    seed = json.loads(make_collection.SEED.read_text())
    ours = json.loads(collection.read_text())
    literal = [i for i in ours["item"] if i["name"] == make_collection.LITERAL_NAME]
    if len(literal) != 1 or literal[0]["request"]["body"]["raw"] != seed["item"][0]["request"]["body"]["raw"]:
        fail("the literal seed request no longer sends the seed's raw body")

    url = os.environ.get("ZEROTH_URL", "").rstrip("/")
    if not url:
        fail("ZEROTH_URL is not set (https://HOST[:PORT] of the server under test)")
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        fail(f"ZEROTH_URL must be https://HOST[:PORT], got {url!r}")

    env = dict(os.environ)
    creds: dict = {}
    data_dir = os.environ.get("ZEROTH_DATA_DIR")
    if data_dir:
        path = Path(data_dir) / "admin-credentials.json"
        if not path.is_file():
            fail(f"{path} does not exist")
        creds = json.loads(path.read_text())
        ca = Path(data_dir) / "tls" / "ca.pem"
        if not env.get("NODE_EXTRA_CA_CERTS") and ca.is_file():
            env["NODE_EXTRA_CA_CERTS"] = str(ca)
    client_id = os.environ.get("ZEROTH_CLIENT_ID") or creds.get("client_id")
    client_secret = os.environ.get("ZEROTH_CLIENT_SECRET") or creds.get("client_secret")
    if not client_id or not client_secret:
        fail("no admin credentials: set ZEROTH_DATA_DIR or ZEROTH_CLIENT_ID/ZEROTH_CLIENT_SECRET")

    environment = {
        "name": "zeroth",
        "values": [
            {"key": "auth0_domain", "value": parsed.netloc, "type": "default", "enabled": True},
            {"key": "auth0_client_id", "value": client_id, "type": "default", "enabled": True},
            {"key": "auth0_client_secret", "value": client_secret, "type": "secret", "enabled": True},
        ],
    }
    with tempfile.TemporaryDirectory(prefix="zeroth-newman-") as tmp:
        env_file = Path(tmp) / "env.json"
        env_file.write_text(json.dumps(environment))
        cmd = [newman, "run", str(collection), "-e", str(env_file), "--bail", "--color", "off"]
        print("+", " ".join(cmd), flush=True)
        return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
