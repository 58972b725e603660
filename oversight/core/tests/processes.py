"""Real processes for the deployment tests: gunicorn and ``db_worker`` under the production
settings, on the test's PostgreSQL database, each on a loopback port chosen at run time;
every process started here is stopped (its whole process group) however the test ends."""

from __future__ import annotations

import gzip
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
WAIT_SECONDS = 90  # Django starts in each process on a busy two-core machine; still bounded

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the servers are other processes: they need PostgreSQL (DATABASE_URL), as in CI",
)
# make test-dates runs the suite under libfaketime, which breaks sleeping in the servers;
# these tests do not depend on the date and make test runs them.
not_under_faketime = pytest.mark.skipif(
    "faketime" in os.environ.get("LD_PRELOAD", ""),
    reason="libfaketime breaks time.sleep in the servers; make test runs these",
)


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    """The production settings as `make serve` gives them: plain HTTP on loopback only."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        # The test suite's own switches; production never has them.
        if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith("TEST_WORKER_")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "oversight.settings.production",
        "OVERSIGHT_LOCAL_HTTP": "true",
        "SECRET_KEY": "deploy-test-" + secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "consolemail://",
        "DEFAULT_FROM_EMAIL": "oversight@example.org",
        "CACHE_URL": "dbcache://oversight_cache",
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        **extra,
    }


def free_port() -> int:
    from .mailserver import free_port as port

    return port()


@dataclass
class Started:
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    url: str = ""

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


@contextmanager
def started(command: list[str], env: dict[str, str], log: IO[bytes]) -> Iterator[Started]:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: gunicorn's workers stop with it
    )
    try:
        yield Started(process, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=WAIT_SECONDS)
        else:
            # The leader is gone; make sure nothing it started is left.
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def wait_until_answering(server: Started, path: str = "/health/") -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"The server stopped:\n{server.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The server never answered on {server.url}:\n{server.log_text()[-4000:]}")


@contextmanager
def gunicorn(env: dict[str, str], log: IO[bytes]) -> Iterator[Started]:
    """gunicorn with gunicorn.conf.py, as the web unit runs it."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"]
    with started(command, env, log) as server:
        server.url = f"http://127.0.0.1:{port}"
        wait_until_answering(server)
        yield server


@contextmanager
def db_worker(env: dict[str, str], log: IO[bytes]) -> Iterator[Started]:
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--interval",
        "0.1",
        "--no-startup-delay",
    ]
    with started(command, env, log) as worker:
        yield worker


def collectstatic(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[str(found["name"])] = found.get("value") or ""


@dataclass
class Browser:
    """A person at a browser without JavaScript: cookies kept, forms posted with their
    hidden fields (the CSRF token), redirects followed."""

    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self._open(urllib.request.Request(url, headers=headers))

    def post_form(self, url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        status, _, page = self.get(url)
        assert status == 200, f"GET {url} gave {status}"
        parser = _Inputs()
        parser.feed(page)
        data = urllib.parse.urlencode({**parser.hidden, **fields}).encode()
        return self._open(urllib.request.Request(url, data=data, headers={"Referer": url}))

    def _open(self, request: urllib.request.Request) -> tuple[int, dict[str, str], str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), _text(response)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), _text(error)


def _text(response: Any) -> str:
    body = response.read()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def text_of(page: str) -> str:
    """The page's words without markup, for asserting what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
