"""`make serve` (bin/serve): the production settings on loopback over plain HTTP, with the
built assets collected and served hashed and compressed by whitenoise, a request id in every
answer and error page, and one JSON log line per request without personal data (issue 14
item 3). The switch that allows plain HTTP cannot open a real deployment to it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from oversight.core.testing import TEST_PASSWORD

from .processes import (
    BIN,
    ROOT,
    Browser,
    database_url,
    free_port,
    needs_postgresql,
    not_under_faketime,
    started,
    text_of,
    wait_until_answering,
)

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
HASHED_CSS = re.compile(r'href="(/static/dist/oversight\.[0-9a-f]{12}\.css)"')


def set_production_password(person: Any) -> None:
    """The test settings hash with MD5 for speed; the production settings know only the
    real hashers, so the person signing in through gunicorn needs a PBKDF2 hash."""
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(TEST_PASSWORD, hasher.salt())
    type(person).objects.filter(pk=person.pk).update(password=encoded)


def json_lines(log: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")]


@pytest.mark.django_db(transaction=True)
@needs_postgresql
@not_under_faketime
def test_make_serve_answers_on_loopback_with_static_assets_and_request_ids(
    cast: Any, tmp_path: Path
) -> None:
    set_production_password(cast.practitioner)
    port = free_port()
    # Only what a developer's shell has: bin/serve supplies what production requires.
    dropped = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "CACHE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    }
    env = {
        **{k: v for k, v in os.environ.items() if k not in dropped},
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "VENV_BIN": str(BIN),
    }
    with tempfile.TemporaryFile() as log, started(["bin/serve"], env, log) as server:
        server.url = f"http://127.0.0.1:{port}"
        wait_until_answering(server)
        browser = Browser()

        status, headers, page = browser.get(server.url + "/account/sign-in/")
        assert status == 200
        assert "Sign in" in text_of(page)
        assert REQUEST_ID.match(headers["X-Request-ID"])
        # The stylesheet by its hashed name, compressed, cached for a year.
        found = HASHED_CSS.search(page)
        assert found, "the page names no hashed stylesheet"
        status, headers, css = browser.get(
            server.url + found.group(1), **{"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert ".govuk-" in css
        assert (tmp_path / "static" / "staticfiles.json").exists()

        # Signing in works over plain HTTP on loopback (cookies not marked Secure here).
        status, _, home = browser.post_form(
            server.url + "/account/sign-in/",
            {"username": "practitioner", "password": TEST_PASSWORD},
        )
        assert status == 200
        assert "Sign out" in text_of(home)

        # A page the practitioner may not see: the refusal quotes the request's id.
        status, headers, refused = browser.get(server.url + "/people/?q=Okafor")
        assert status == 403
        refused_id = headers["X-Request-ID"]
        assert f"Quote this reference: {refused_id}" in text_of(refused)
        status, headers, missing = browser.get(server.url + "/no-such-page/")
        assert status == 404
        assert f"Quote this reference: {headers['X-Request-ID']}" in text_of(missing)

        status, _, ready = browser.get(server.url + "/health/ready/")
        assert (status, json.loads(ready)) == (200, {"status": "ready"})
        log_text = server.log_text()

    # One JSON line per request, with its request id; no names, usernames or query strings.
    lines = json_lines(log_text)
    requests = [line for line in lines if line.get("event") == "request"]
    refusal = [line for line in requests if line["request_id"] == refused_id]
    assert len(refusal) == 1
    assert refusal[0]["path"] == "/people/"
    assert refusal[0]["status"] == 403
    assert {"/account/sign-in/", "/no-such-page/", "/health/ready/"} <= {
        line["path"] for line in requests
    }
    for private in ("Okafor", "Amara", "practitioner", cast.practitioner.email, "?q="):
        assert private not in log_text


def _production_check(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "oversight.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///:memory:",
        "EMAIL_URL": "consolemail://",
        "DEFAULT_FROM_EMAIL": "oversight@example.org",
        **env,
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER is not None)"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_keep_https_unless_served_locally() -> None:
    deployed = _production_check(ALLOWED_HOSTS="oversight.example.org")
    assert deployed.stdout.split() == ["True"] * 5, deployed.stderr
    local = _production_check(ALLOWED_HOSTS="127.0.0.1,localhost", OVERSIGHT_LOCAL_HTTP="true")
    assert local.stdout.split() == ["False"] * 5, local.stderr


def test_plain_http_is_refused_for_a_real_host_name() -> None:
    refused = _production_check(
        ALLOWED_HOSTS="127.0.0.1,oversight.example.org", OVERSIGHT_LOCAL_HTTP="true"
    )
    assert refused.returncode != 0
    assert "OVERSIGHT_LOCAL_HTTP serves plain HTTP on this machine only" in refused.stderr


def test_make_serve_listens_on_loopback_only() -> None:
    result = subprocess.run(
        ["bin/serve"],
        cwd=ROOT,
        env={**os.environ, "HOST": "0.0.0.0", "VENV_BIN": str(BIN)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "loopback only" in result.stderr
