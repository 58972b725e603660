"""Throughput of the API's child upsert (issue 16): ``--children`` PUTs of
/api/v1/children/<case reference>/ by one integration, through Django's whole stack in this
process (middleware, bearer authentication, scope, throttle, idempotency, the children
services, the audit log), first adding each child and then sending each again unchanged.
Not a test: it prints children per second and the median and 95th-percentile request time.

    createdb -h 127.0.0.1 -U postgres oversight_bench_api
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversight_bench_api
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python -m bench.api_upsert --children 10000

It registers its own integration for the demo's children's services agency (the lead's)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")
os.environ.setdefault("API_RATE", "1000000/minute")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from oversight.integrations.models import Scope  # noqa: E402
from oversight.integrations.services import integration_register  # noqa: E402
from oversight.people.models import Membership, Person  # noqa: E402
from oversight.people.selectors import access_profile  # noqa: E402


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    args = parser.parse_args()
    lead = Person.objects.get(username="lead.csc")
    agency_id = min(access_profile(lead).led_agency_ids)
    workers = list(
        Membership.objects.current()
        .filter(agency_id=agency_id)
        .values_list("person__email", flat=True)[:50]
    )
    run = uuid.uuid4().hex[:6]
    integration, secret = integration_register(
        actor=lead,
        agency=lead.memberships.get(agency_id=agency_id).agency,
        name=f"Bench {run}",
        scopes=[Scope.CHILDREN_WRITE],
    )
    client = Client(HTTP_HOST="localhost")
    headers = {"Authorization": f"Bearer {integration.client_id}.{secret}"}

    def sweep(label: str) -> None:
        times = []
        codes: dict[int, int] = {}
        started = time.perf_counter()
        for n in range(args.children):
            body = {
                "display_name": f"Bench child {n}",
                "legal_status": "child_in_need",
                "legal_status_since": "2026-01-05",
                "allocated_worker_email": workers[n % len(workers)],
            }
            t0 = time.perf_counter()
            response = client.put(
                f"/api/v1/children/B{run}-{n:05d}/",
                data=json.dumps(body),
                content_type="application/json",
                headers=headers,
            )
            times.append(time.perf_counter() - t0)
            codes[response.status_code] = codes.get(response.status_code, 0) + 1
        elapsed = time.perf_counter() - started
        times.sort()
        say(
            f"{label}: {args.children} children in {elapsed:.1f} s = "
            f"{args.children / elapsed:.0f} children/s; per request median "
            f"{statistics.median(times) * 1000:.1f} ms, p95 "
            f"{times[int(len(times) * 0.95)] * 1000:.1f} ms; answers {codes}"
        )

    say(f"Database: {connection.vendor}; agency {agency_id}; integration {integration.client_id}")
    sweep("add")
    sweep("send again unchanged")


if __name__ == "__main__":
    main()
