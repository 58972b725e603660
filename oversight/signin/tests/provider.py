"""Starts the test OpenID provider (oidc_provider/provider.mjs, npm's oidc-provider) on
127.0.0.1 at a free port, and stops it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

SCRIPT = Path(__file__).parent / "oidc_provider" / "provider.mjs"


@dataclass
class RunningProvider:
    issuer: str
    signing_keys: list[RSAKey]


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@contextmanager
def oidc_provider(
    *, clients: list[dict[str, Any]], accounts: dict[str, dict[str, Any]]
) -> Iterator[RunningProvider]:
    node = shutil.which("node")
    assert node, "Node is needed for the test OpenID provider"
    keys = [new_key("provider-key-1"), new_key("provider-key-2")]
    config = {
        "clients": clients,
        "accounts": accounts,
        "jwks": {"keys": [k.as_dict(private=True) for k in keys]},
    }
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=SCRIPT.parent,
    )
    try:
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps(config))
        process.stdin.close()
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the test OpenID provider did not start: {process.stderr.read()}")  # type: ignore[union-attr]
        yield RunningProvider(issuer=json.loads(line)["issuer"], signing_keys=keys)
    finally:
        process.terminate()
        if process.stderr:
            import sys

            sys.stderr.write(process.stderr.read())
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
