"""Python CPU per request, one request at a time, under the production settings (issue 17
item 1). Not a test: it prints figures.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.profile [--runs 30]
        [--only home] [--cprofile /tmp/out.prof]

Each persona of the load test (bench.loadtest) signs in through the sign-in pages (the demo
password; the demo's authenticator key for those who need a second factor); then each of its
pages is requested once to warm up and ``--runs`` times, through Django's whole stack in this
process with the database cache, as gunicorn's worker would. It prints, per page, the median
CPU time this process spent (``time.process_time``: Python, not PostgreSQL) and its minimum
(steadier on a shared machine), the median wall time and the queries, and on PostgreSQL the
mean CPU its server process spent on each request (read from ``/proc``: the page's share of
the load test's "db" cost; a parallel worker's CPU is not counted), and the median share of
the CPU spent rendering templates (``tpl ms``: the page and any panel rendered on its own).
``--cprofile`` writes a
profile of every timed request (for ``python -m pstats`` or snakeviz)."""

from __future__ import annotations

import argparse
import cProfile
import os
import secrets
import statistics
import sys
import time
from typing import Any

os.environ.update(
    DJANGO_SETTINGS_MODULE="oversight.settings.production",
    OVERSIGHT_LOCAL_HTTP="true",
    ALLOWED_HOSTS="127.0.0.1,localhost",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "oversight@localhost")
os.environ.setdefault("CACHE_URL", "dbcache://oversight_cache")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.loadtest import PASSWORD, persona_pages  # noqa: E402


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def backend_cpu_ms(pid: int | None) -> float:
    """CPU milliseconds the database server process ``pid`` has used (0 off PostgreSQL, or
    where ``/proc`` cannot be read)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def server_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


class TemplateClock:
    """Process CPU spent in Django templates' outermost ``render`` calls: the page's template
    and any rendered apart from it (a home panel, say), nested renders counted once."""

    def __init__(self) -> None:
        from django.template.backends.django import Template

        self.spent = 0.0
        self._depth = 0
        original = Template.render

        def render(template: Any, *args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            started = time.process_time()
            try:
                return original(template, *args, **kwargs)
            finally:
                self._depth -= 1
                if not self._depth:
                    self.spent += time.process_time() - started

        Template.render = render  # type: ignore[method-assign]


def signed_in(username: str) -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from oversight.signin.testing import code_for

    client = Client(HTTP_HOST="127.0.0.1")
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    if client.get(reverse("home")).status_code != 200:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        device.last_t = -1
        device.save(update_fields=["last_t"])
        client.post(reverse("signin:second_factor"), {"code": code_for(device)})
    if client.get(reverse("home")).status_code != 200:
        raise RuntimeError(f"could not sign in as {username}")
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="Only pages whose name contains this.")
    parser.add_argument("--cprofile", default="", help="Write a cProfile of the timed runs.")
    args = parser.parse_args()
    call_command("createcachetable")
    profile = cProfile.Profile() if args.cprofile else None
    templates = TemplateClock()
    say(
        f"{'page':<45} {'cpu ms':>7} {'min':>7} {'tpl ms':>7} {'wall ms':>7} "
        f"{'queries':>7} {'db ms':>6}"
    )
    for persona, urls in persona_pages().items():
        client = signed_in(persona)
        for url in urls:
            name = f"{persona} {url}"
            if args.only not in name:
                continue
            client.get(url)
            cpu: list[float] = []
            wall: list[float] = []
            rendering: list[float] = []
            queries = 0
            pid = server_pid()  # the connection stays open (CONN_MAX_AGE) across requests
            database = backend_cpu_ms(pid)
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as captured:
                    templates.spent = 0.0
                    c0, w0 = time.process_time(), time.perf_counter()
                    if profile:
                        profile.enable()
                    response = client.get(url)
                    if profile:
                        profile.disable()
                    cpu.append((time.process_time() - c0) * 1000)
                    wall.append((time.perf_counter() - w0) * 1000)
                    rendering.append(templates.spent * 1000)
                queries = len(captured)
                if response.status_code != 200:
                    raise RuntimeError(f"{name} answered {response.status_code}")
            # The kernel counts CPU in ticks (10 ms): the mean over the runs, not each run's.
            database = (backend_cpu_ms(pid) - database) / args.runs
            say(
                f"{name:<45} {statistics.median(cpu):>7.1f} {min(cpu):>7.1f} "
                f"{statistics.median(rendering):>7.1f} {statistics.median(wall):>7.1f} "
                f"{queries:>7} {database:>6.1f}"
            )
    if profile:
        profile.dump_stats(args.cprofile)
    say(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
