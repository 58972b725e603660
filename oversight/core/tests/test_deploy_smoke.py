"""docs/deploy.md's steps, run as written on a fresh PostgreSQL database, give a working
service (issue 14 item 3): deploy/smoke.sh runs the doc's marked shell blocks with throwaway
names, starts the systemd units' commands, signs in through them as the proxy would pass a
request on, checks that the application role cannot drop or get round the audit log's
triggers, and tests a backup's restore. It needs a PostgreSQL superuser, as CI has; it makes
and removes its own database and roles."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.conf import settings

from .processes import ROOT, needs_postgresql, not_under_faketime


@needs_postgresql
@not_under_faketime
@pytest.mark.skipif(shutil.which("psql") is None, reason="needs PostgreSQL's client programs")
def test_the_deployment_guide_run_as_written_gives_a_working_service() -> None:
    db = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": db.get("USER") or "postgres",
        # Names like the test database's own (oversight_… in CI).
        "SMOKE_NAME_PREFIX": str(db["NAME"]).removeprefix("test_"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    result = subprocess.run(
        ["bash", "deploy/smoke.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "smoke: signed in as smoke.admin over the proxy's HTTPS; pages ok" in output
    assert "smoke: the application role cannot touch the audit log's triggers" in output
    assert "all intact" in output
    assert "gave a working service" in output
