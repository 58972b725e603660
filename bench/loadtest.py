"""A closed-loop load test of Oversight as production runs it (issue 17 item 4). Not a test:
it prints figures.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.loadtest [--users 10,50,200]
        [--seconds 30] [--port 8190] [--workers 2] [--threads 2]

It starts gunicorn (gunicorn.conf.py; WEB_CONCURRENCY and GUNICORN_THREADS as in production,
or ``--workers`` and ``--threads``)
under the production settings on loopback, with the database cache, against the database in
``DATABASE_URL`` (after ``seed_demo``, normally ``--scale large``). It signs in the five
personas once each (the demo password; the demo's authenticator key for those who need a
second factor), then, for each level, runs that many virtual users at once for ``--seconds``:
each user belongs to a persona in turn, requests the persona's pages one after another
with no pause (a closed loop: a user asks again only once answered), and every answer is
timed. An answer other than 200, or none within the timeout, is an error. ``--think S``
makes each user read each page for a while before the next, S seconds on average
(exponential, seeded per user), as people do; the default 0 is the stress the targets name.
With no pause, Little's law ties the two targets together: the mean answer at N users is
N / (requests per second), so a p95 under 500 ms at 50 users needs well over 100 requests/s.

Per level it prints requests per second, the 50th, 95th and 99th percentiles, the errors
and the machine's one-minute load average before the level began and when it ended (the
load test shares the machine with whatever else runs there); the targets of issue 17
are printed beside the figures. Then, per level, the CPU each request cost gunicorn,
PostgreSQL and this client (from /proc), and the requests per second the machine's cores
could give at that cost: the ceiling no concurrency setting can pass."""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")

import django

django.setup()

import requests  # noqa: E402
from django.urls import reverse  # noqa: E402

from oversight.people.models import Person  # noqa: E402
from oversight.people.selectors import access_profile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = os.environ.get("DEMO_PASSWORD", "oversight-demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGETS = {"rps": 80.0, "p95_ms_at_50": 500.0, "errors_at_200": 0}


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def persona_pages() -> dict[str, list[str]]:
    """The mixed load: each persona's home and the pages that persona lives in."""
    lead = Person.objects.get(username="lead.csc")
    agency_id = min(access_profile(lead).led_agency_ids)
    return {
        "practitioner.csc": [reverse("home"), reverse("children:child_list")],
        "supervisor.csc": [
            reverse("home"),
            reverse("supervision:session_list"),
            reverse("contracts:contract_list"),
        ],
        "manager.csc": [reverse("home"), reverse("assurance:compliance")],
        "lead.csc": [
            reverse("home"),
            reverse("children:child_list"),
            reverse("assurance:agency_dashboard", args=[agency_id]),
            reverse("children:decisions_waiting"),
        ],
        "auditor": [
            reverse("home"),
            reverse("assurance:partnership_dashboard"),
            reverse("assurance:audit_list"),
        ],
    }


def _token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the sign-in page")
    return found.group(1)


def sign_in(base: str, username: str) -> requests.cookies.RequestsCookieJar:
    """One signed-in session for a persona, shared by its virtual users."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from oversight.signin.testing import code_for

    http = requests.Session()
    login = urljoin(base, reverse("login"))
    page = http.get(login, timeout=60)
    answer = http.post(
        login,
        data={
            "csrfmiddlewaretoken": _token(page.text),
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": login},
        allow_redirects=True,
        timeout=60,
    )
    factor = urljoin(base, reverse("signin:second_factor"))
    if answer.url.startswith(factor):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        device.last_t = -1  # each run signs in again with a code of the same 30 seconds
        device.save(update_fields=["last_t"])
        answer = http.post(
            factor,
            data={"csrfmiddlewaretoken": _token(answer.text), "code": code_for(device)},
            headers={"Referer": factor},
            allow_redirects=True,
            timeout=60,
        )
    home = http.get(urljoin(base, reverse("home")), allow_redirects=False, timeout=60)
    if home.status_code != 200:
        raise RuntimeError(f"could not sign in as {username} (home answered {home.status_code})")
    return http.cookies


@dataclass
class Level:
    users: int
    times: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_level(
    base: str,
    level: Level,
    seconds: float,
    sessions: dict[str, requests.cookies.RequestsCookieJar],
    pages: dict[str, list[str]],
    think: float = 0.0,
) -> float:
    """Run ``level.users`` closed-loop users for ``seconds``, each pausing ``think`` seconds
    on average after each answer; returns the elapsed time."""
    stop = time.monotonic() + seconds
    personas = list(pages)

    def user(number: int) -> None:
        persona = personas[number % len(personas)]
        urls = [urljoin(base, path) for path in pages[persona]]
        http = requests.Session()
        http.cookies.update(sessions[persona])
        step = number  # users of one persona start on different pages
        pauses = random.Random(number)
        while time.monotonic() < stop:
            url = urls[step % len(urls)]
            step += 1
            start = time.perf_counter()
            try:
                answer = http.get(url, allow_redirects=False, timeout=60)
                ok = answer.status_code == 200
            except requests.RequestException:
                ok = False
            took = (time.perf_counter() - start) * 1000
            with level.lock:
                level.times.append(took)
                if not ok:
                    level.errors += 1
            if think:
                time.sleep(min(pauses.expovariate(1 / think), max(0.0, stop - time.monotonic())))

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(level.users)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_group: int) -> tuple[float, float]:
    """CPU seconds used so far by gunicorn's processes (its process group) and by
    PostgreSQL's (every process named postgres on this machine), read from /proc: where each
    request's cost goes, so the throughput the two cores can give is known, not guessed."""
    app = database = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
        except OSError:
            continue  # the process ended
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        # utime + stime, and cutime + cstime: the CPU of children it has reaped (a backend
        # that closed, a worker replaced), so a process ending moves its time, not loses it.
        used = sum(int(value) for value in fields[11:15]) / TICK
        if int(fields[2]) == server_group:
            app += used
        elif name == "postgres" or name.startswith("postgres:"):
            database += used
    return app, database


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="oversight.settings.production",
        OVERSIGHT_LOCAL_HTTP="true",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(48),
        DATABASE_URL=env.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=env.get("EMAIL_URL", "consolemail://"),
        DEFAULT_FROM_EMAIL=env.get("DEFAULT_FROM_EMAIL", "oversight@localhost"),
        CACHE_URL=env.get("CACHE_URL", "dbcache://oversight_cache"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )
    python = Path(sys.executable)
    subprocess.run(
        [str(python), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run([str(python), "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    # Requests are logged as JSON lines on stdout; the load test keeps them out of its table.
    server = subprocess.Popen(
        [str(python.parent / "gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    health = f"http://127.0.0.1:{port}/health/"
    for _ in range(120):
        try:
            if requests.get(health, timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /health/ within a minute")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="10,50,200", help="Comma-separated levels.")
    parser.add_argument("--seconds", type=float, default=30.0, help="Time at each level.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8190)))
    parser.add_argument("--workers", type=int, help="gunicorn processes (WEB_CONCURRENCY).")
    parser.add_argument("--threads", type=int, help="Threads in each (GUNICORN_THREADS).")
    parser.add_argument(
        "--think", type=float, default=0.0, help="Mean seconds a user reads a page (0: none)."
    )
    args = parser.parse_args()
    if args.workers:
        os.environ["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        os.environ["GUNICORN_THREADS"] = str(args.threads)
    if not Person.objects.filter(username="auditor").exists():
        say("No demo partnership in this database: run `manage.py seed_demo --scale large`.")
        return 1
    levels = [int(part) for part in args.users.split(",") if part.strip()]
    base = f"http://127.0.0.1:{args.port}/"
    server = start_server(args.port)
    try:
        pages = persona_pages()
        sessions = {persona: sign_in(base, persona) for persona in pages}
        workers = os.environ.get("WEB_CONCURRENCY", "2")
        threads = os.environ.get("GUNICORN_THREADS", "2")
        say(
            f"gunicorn {workers} workers x {threads} threads, production settings, "
            f"{Person.objects.count()} people; {args.seconds:.0f} s a level; "
            f"{os.cpu_count()} cores; {args.think:g} s reading each page"
        )
        say(
            f"{'users':>5} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6} {'load':>11}   target"
        )
        costs = []
        for users in levels:
            level = Level(users)
            before = os.getloadavg()[0]
            app, database = cpu_seconds(server.pid)
            client = time.process_time()
            elapsed = run_level(base, level, args.seconds, sessions, pages, args.think)
            app_after, database_after = cpu_seconds(server.pid)
            served = max(1, len(level.times))
            costs.append(
                (
                    users,
                    (app_after - app) * 1000 / served,
                    (database_after - database) * 1000 / served,
                    (time.process_time() - client) * 1000 / served,
                )
            )
            rate = len(level.times) / elapsed if elapsed else 0.0
            target = [f">= {TARGETS['rps']:.0f} req/s"]
            if users == 50:
                target.append(f"p95 < {TARGETS['p95_ms_at_50']:.0f} ms")
            if users == 200:
                target.append(f"{TARGETS['errors_at_200']} errors")
            say(
                f"{users:>5} {len(level.times):>8} {rate:>7.1f} "
                f"{statistics.median(level.times) if level.times else float('nan'):>7.0f} "
                f"{percentile(level.times, 0.95):>7.0f} {percentile(level.times, 0.99):>7.0f} "
                f"{level.errors:>6} {before:>5.2f}>{os.getloadavg()[0]:<5.2f}   "
                f"{', '.join(target)}"
            )
        say("")
        say("CPU ms per request: gunicorn, PostgreSQL (all its processes), this client;")
        say("and the requests/s the cores could give if that were all they did")
        say(f"{'users':>5} {'app':>6} {'db':>6} {'client':>6} {'ceiling':>8}")
        cores = os.cpu_count() or 1
        for users, app_ms, database_ms, client_ms in costs:
            total = app_ms + database_ms + client_ms
            say(
                f"{users:>5} {app_ms:>6.1f} {database_ms:>6.1f} {client_ms:>6.1f} "
                f"{cores * 1000 / total if total else float('nan'):>8.1f}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
