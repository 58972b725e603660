"""Time Oversight's main pages and exports against a database that holds the demo
partnership (normally `seed_demo --scale large` on PostgreSQL). Not a test: it prints, per
page, the median and 95th-percentile server time warm and cold, and the number of database
queries.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.bench [--runs 20] [--only NAME]
        [--warm-only] [--day-first NIGHTS] [--past PERIODS]

Each page is requested once to warm up, then ``--runs`` times with the cache as it is
("warm"), then ``--runs`` times with the cache emptied before each request ("cold": what the
first visit after the kept figures expire costs), signed in as the persona whose page it is
(demo password from DEMO_PASSWORD, default ``oversight-demo``). The cache is the database
cache, as in production (``CACHE_URL``, default ``dbcache://oversight_cache``). Requests go
through Django's full stack in this process (middleware, access rules, templates), so the
times are server times without network. The 95th percentile is the nearest rank: with the
default 20 runs, the 19th fastest. ``--day-first`` adds what issue 17 item 2 asks of the
dashboards and exports: their first visit of the day, after the cache is emptied and the
nightly job has run, once for each of that many nights. ``--past`` times the first visit of
as many past periods, each a different one nobody has asked for (quarters, months and odd
spans between two days, drawn with a fixed seed from the history the demo holds): the
dashboards and exports read what the back-fill kept and compute the rest, once."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")
os.environ.setdefault("CACHE_URL", "dbcache://oversight_cache")

import django

django.setup()
# One log line per request would bury the table.
logging.getLogger("oversight.request").setLevel(logging.WARNING)

from oversight.core.workdays import warm_up  # noqa: E402

warm_up()  # as a web worker does when it starts (oversight.wsgi)

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from oversight.people.models import Person  # noqa: E402
from oversight.people.selectors import access_profile  # noqa: E402

PASSWORD = os.environ.get("DEMO_PASSWORD", "oversight-demo")


def _second_factor(client: Client, username: str) -> bool:
    """The demo's administrator, auditor and leads enter their authenticator app's code
    (the demo's development-only key, oversight.signin.demo) after the password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from oversight.signin.testing import code_for

    home = client.get(reverse("home"))
    if home.status_code == 200:
        return True
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return False
    device.last_t = -1  # the bench signs each persona in once; earlier runs used codes
    device.save()
    answer = client.post(reverse("signin:second_factor"), {"code": code_for(device)})
    return answer.status_code == 302


def pages() -> list[tuple[str, str, str]]:
    """(name, username, url) for every page timed."""
    lead = Person.objects.get(username="lead.csc")
    agency_id = min(access_profile(lead).led_agency_ids)
    found = [
        (f"home ({user})", user, reverse("home"))
        for user in (
            "practitioner.csc",
            "practitioner.nq",
            "supervisor.csc",
            "manager.csc",
            "lead.csc",
            "auditor",
        )
    ]
    found += [
        ("assurance index (lead)", "lead.csc", reverse("assurance:index")),
        ("partnership dashboard", "auditor", reverse("assurance:partnership_dashboard")),
        ("agency dashboard", "lead.csc", reverse("assurance:agency_dashboard", args=[agency_id])),
        ("compliance by person (lead)", "lead.csc", reverse("assurance:compliance")),
        ("compliance by person (manager)", "manager.csc", reverse("assurance:compliance")),
        (
            "partnership export csv",
            "auditor",
            reverse("assurance:partnership_export", args=["csv"]),
        ),
        (
            "partnership export xlsx",
            "auditor",
            reverse("assurance:partnership_export", args=["xlsx"]),
        ),
        (
            "agency export csv",
            "lead.csc",
            reverse("assurance:agency_export", args=[agency_id, "csv"]),
        ),
        (
            "compliance export xlsx (lead)",
            "lead.csc",
            reverse("assurance:compliance_export", args=["xlsx"]),
        ),
        ("record audits", "auditor", reverse("assurance:audit_list")),
        ("children list (lead)", "lead.csc", reverse("children:child_list")),
        ("decisions waiting (lead)", "lead.csc", reverse("children:decisions_waiting")),
        ("sessions (lead)", "lead.csc", reverse("supervision:session_list")),
        ("sessions (supervisor)", "supervisor.csc", reverse("supervision:session_list")),
        ("contracts (supervisor)", "supervisor.csc", reverse("contracts:contract_list")),
        ("children list (health visitor)", "practitioner.health", reverse("children:child_list")),
    ]
    # A child the health visitor's agency is involved with but another agency holds: the
    # multi-agency summary (issue 13), as the health visitor and as the holding agency's lead.
    from oversight.children.models import AgencyInvolvement

    health = Person.objects.get(username="practitioner.health")
    shared = (
        AgencyInvolvement.objects.current()
        .filter(allocated_worker=health)
        .exclude(case_reference="")
        .order_by("id")
        .values_list("child_id", flat=True)
        .first()
    )
    if shared:
        url = reverse("children:child_detail", args=[shared])
        found += [
            ("child summary (health visitor)", "practitioner.health", url),
            ("child page with summary (lead)", "lead.csc", url),
        ]
    # The multi-agency audit (issue 13 item 5): its page, a sampled child and the partnership
    # dashboard's multi-agency figures, which the dashboard above also shows.
    from oversight.assurance.models import AuditedChild, RecordAudit

    audit = RecordAudit.objects.live().filter(multi_agency=True).order_by("-id").first()
    if audit is not None:
        found.append(
            ("multi-agency audit", "auditor", reverse("assurance:audit_detail", args=[audit.pk]))
        )
        sampled = AuditedChild.objects.live().filter(audit=audit).order_by("id").first()
        if sampled is not None:
            found.append(
                (
                    "multi-agency audit child",
                    "auditor",
                    reverse("assurance:audited_child", args=[sampled.pk]),
                )
            )
    return found


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or
    below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def timed(client: Client, url: str, runs: int, *, cold: bool) -> tuple[list[float], int, int]:
    """``runs`` timings of one page in ms, its query count and status (of the last run)."""
    times: list[float] = []
    queries = status = 0
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        status = response.status_code
    return times, queries, status


def day_first(clients: dict[str, Client], wanted: list[tuple[str, str, str]], runs: int) -> None:
    """The first visit of the day to each page in ``wanted``, as production has it: the
    cache emptied, then the nightly job's work (``assurance_trend_warm``: today's rows and
    each dashboard's default period kept), then each page requested once. ``runs`` nights."""
    from django.utils import timezone

    from oversight.assurance.tasks import assurance_trend_warm

    times: dict[str, list[float]] = {name: [] for name, _, _ in wanted}
    for _ in range(runs):
        cache.clear()
        assurance_trend_warm.call(today=timezone.localdate().isoformat())
        for name, username, url in wanted:
            start = time.perf_counter()
            response = clients[username].get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times[name].append((time.perf_counter() - start) * 1000)
    say(f"The first visit of the day, after the nightly job ({runs} nights):")
    for name, found in times.items():
        say(
            f"{name:<36} {statistics.median(found):>8.0f} {percentile(found, 0.95):>8.0f}"
            "   (target p95 < 300 ms)"
        )


def past_periods(count: int, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """``count`` past periods, every one different: calendar quarters and months, and spans
    that start and end on any day, within the demo's five years before ``today``."""
    from oversight.assurance.periods import add_months, month_end, quarter_start

    chooser = random.Random(17)
    found: list[tuple[dt.date, dt.date]] = []
    while len(found) < count:
        day = today - dt.timedelta(days=chooser.randint(40, 4 * 365))
        kind = len(found) % 3
        if kind == 0:  # a calendar quarter
            start = quarter_start(day)
            end = add_months(start, 3) - dt.timedelta(days=1)
        elif kind == 1:  # a calendar month
            start, end = day.replace(day=1), month_end(day)
        else:  # any two days, up to a year apart
            start, end = day, day + dt.timedelta(days=chooser.randint(7, 365))
        if end < today and (start, end) not in found:
            found.append((start, end))
    return found


def past(clients: dict[str, Client], wanted: list[tuple[str, str, str]], count: int) -> None:
    """The first visit of ``count`` past periods to each page in ``wanted`` (issue 17 item 2:
    "any past period" under 300 ms): each period new to this run, and each page asked for
    with no tables kept for the period, so an export pays for them as a dashboard does. What
    production keeps by day stays kept (the back-fill's days and month ends, and a day's
    figures once one page has counted them)."""
    from django.utils import timezone

    from oversight.assurance.selectors.dashboards import tables_key
    from oversight.assurance.selectors.period import Period
    from oversight.people.models import Agency

    today = timezone.localdate()
    scopes = [
        "partnership",
        *(f"agency-{pk}" for pk in Agency.objects.values_list("pk", flat=True)),
    ]
    periods = past_periods(count, today)
    times: dict[str, list[float]] = {name: [] for name, _, _ in wanted}
    slowest: dict[str, tuple[float, str]] = {}
    queries: dict[str, int] = {}
    for start, end in periods:
        for name, username, url in wanted:
            cache.delete_many([tables_key(scope, Period(start, end), today) for scope in scopes])
            query = {"start": start.isoformat(), "end": end.isoformat()}
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = clients[username].get(url, query)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times[name].append((time.perf_counter() - began) * 1000)
            if times[name][-1] > slowest.get(name, (0.0, ""))[0]:
                slowest[name] = (times[name][-1], f"{start} to {end}")
            queries[name] = max(queries.get(name, 0), len(captured))
            if response.status_code != 200:
                say(f"{name} {start} to {end} answered {response.status_code}")
    say(f"The first visit of {count} past periods (each period new to the cache):")
    for name, found in times.items():
        say(
            f"{name:<36} {statistics.median(found):>8.0f} {percentile(found, 0.95):>8.0f}"
            f" {max(found):>8.0f}  {queries[name]:>4} queries at most   (target p95 < 300 ms)"
            f"  slowest: {slowest[name][1]}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="Time only pages whose name contains this.")
    parser.add_argument("--warm-only", action="store_true", help="Skip the cold runs.")
    parser.add_argument(
        "--day-first",
        type=int,
        default=0,
        help="Also time the dashboards' and exports' first visit after this many nightly jobs.",
    )
    parser.add_argument(
        "--past",
        type=int,
        default=0,
        help="Also time the dashboards' and exports' first visit of this many past periods.",
    )
    args = parser.parse_args()
    if not Person.objects.filter(username="auditor").exists():
        say("No demo partnership in this database: run `manage.py seed_demo --scale large`.")
        return 1
    call_command("createcachetable")  # the database cache's table, if this database lacks it
    vendor = connection.vendor
    people = Person.objects.count()
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    say(
        f"Database: {vendor}; {people} people; cache: {cache_backend}. Runs per page: "
        f"{args.runs} warm and {0 if args.warm_only else args.runs} cold (after one warm-up). "
        f"Load average: {os.getloadavg()[0]:.2f}"
    )
    say(
        f"{'page':<36} {'warm p50':>8} {'warm p95':>8} {'cold p50':>8} {'cold p95':>8} "
        f"{'queries':>11} {'status':>6}"
    )
    clients: dict[str, Client] = {}
    for name, username, url in pages():
        if args.only and args.only not in name:
            continue
        client = clients.get(username)
        if client is None:
            client = Client(HTTP_HOST="localhost")
            client.get(reverse("login"))
            signed_in = client.post(
                reverse("login"), {"username": username, "password": PASSWORD}, follow=False
            )
            if signed_in.status_code != 302 or not _second_factor(client, username):
                say(f"{name:<36} could not sign in as {username}")
                continue
            clients[username] = client
        client.get(url)  # warm up
        warm, warm_queries, status = timed(client, url, args.runs, cold=False)
        cold_cells = f"{'':>8} {'':>8}"
        queries = f"{warm_queries}"
        if not args.warm_only:
            cold, cold_queries, _ = timed(client, url, args.runs, cold=True)
            cold_cells = f"{statistics.median(cold):>8.0f} {percentile(cold, 0.95):>8.0f}"
            queries = f"{warm_queries}/{cold_queries}"
        say(
            f"{name:<36} {statistics.median(warm):>8.0f} {percentile(warm, 0.95):>8.0f} "
            f"{cold_cells} {queries:>11} {status:>6}"
        )
    # The dashboards and their exports, signed in above and within --only.
    figures = [
        (name, username, url)
        for name, username, url in pages()
        if ("dashboard" in name or "export" in name)
        and username in clients
        and (not args.only or args.only in name)
    ]
    if args.day_first:
        day_first(clients, figures, args.day_first)
    if args.past:  # the compliance export has no period
        past(clients, [page for page in figures if "compliance" not in page[0]], args.past)
    say(f"Load average at the end: {os.getloadavg()[0]:.2f}. Times in ms; queries warm/cold.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
