"""Runs schemathesis against a running Zeroth, driven by its own /api/v2/openapi.json.

Usage: run.py ST_EXECUTABLE
Environment (set by scripts/test-clients): ZEROTH_URL, ZEROTH_DATA_DIR (admin credentials),
SSL_CERT_FILE (the dev CA). Exits non-zero when schemathesis finds a failure.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

# Failing means a 5xx, or a status, content type or body the document does not describe.
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])
# Bounded and reproducible: a few minutes at most on a laptop.
MAX_EXAMPLES = os.environ.get("ZEROTH_ST_MAX_EXAMPLES", "25")
SEED = os.environ.get("ZEROTH_ST_SEED", "20240501")


def admin_token(base, data_dir, ca):
    with open(os.path.join(data_dir, "admin-credentials.json")) as f:
        creds = json.load(f)
    form = urllib.parse.urlencode({
        "grant_type": "client_credentials",
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
        "audience": creds["audience"],
    }).encode()
    import ssl
    ctx = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(base + "/oauth/token", data=form, context=ctx) as res:
        return json.load(res)["access_token"]


def main():
    st = os.path.abspath(sys.argv[1])
    base = os.environ["ZEROTH_URL"]
    ca = os.path.abspath(os.environ["SSL_CERT_FILE"])
    token = admin_token(base, os.environ["ZEROTH_DATA_DIR"], ca)
    cmd = [
        st, "run", base + "/api/v2/openapi.json",
        "--url", base,
        "--tls-verify", ca,
        "-H", "Authorization: Bearer " + token,
        "--checks", CHECKS,
        "--max-examples", MAX_EXAMPLES,
        "--seed", SEED,
        # Stateful chains could delete the admin client or revoke the signing key
        # mid-run; the per-operation phases cover every endpoint.
        "--phases", "examples,coverage,fuzzing",
        # Rotating the signing key retires the key our token was signed with.
        "--exclude-path", "/api/v2/keys/signing/rotate",
        # One worker: schemathesis 4.32 on CPython 3.11 can crash in ast.parse under threads.
        "--workers", "1",
        "--request-timeout", "10",
        "--suppress-health-check", "all",
    ]
    print("+", " ".join(c if "Bearer" not in c else "Authorization: Bearer ***" for c in cmd))
    # A hung run is a failure too; 25 examples per operation take about two minutes.
    try:
        # Its caches and reports go to a scratch directory, not the checkout.
        with tempfile.TemporaryDirectory() as scratch:
            return subprocess.call(
                cmd, cwd=scratch, timeout=int(os.environ.get("ZEROTH_ST_TIMEOUT", "600"))
            )
    except subprocess.TimeoutExpired:
        print("schemathesis did not finish in time")
        return 1


if __name__ == "__main__":
    sys.exit(main())
