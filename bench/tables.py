"""Where a dashboard's first visit of a period goes, table by table (issue 17 item 2). Not a
test: it prints figures.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.tables 2025-11-01 2025-11-30
        [--agency PK]

It builds the partnership's tables (or one agency's, with ``--agency``) for the period, as a
dashboard's first visit does when nothing is kept for it, once for another period first so
that imports and compiled queries are warm, as in a web worker. It times each table function
that ``assurance.selectors.dashboards`` calls, with its queries, slowest first, then the
total. Kept day figures (compliance, trend points, tallies) are read as production reads
them: delete them first to time a database the back-fill has not reached."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from oversight.assurance.selectors import dashboards  # noqa: E402
from oversight.assurance.selectors.period import Period  # noqa: E402
from oversight.core.workdays import warm_up  # noqa: E402
from oversight.people.models import Agency  # noqa: E402

SELECTORS = "oversight.assurance.selectors."


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def timed_tables() -> list[tuple[str, float, int]]:
    """Wrap each table function the dashboards module imported; returns the list it fills."""
    found: list[tuple[str, float, int]] = []

    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                result = function(*args, **kwargs)
            found.append((name, (time.perf_counter() - began) * 1000, len(queries)))
            return result

        return timed

    for name, value in list(vars(dashboards).items()):
        module = getattr(value, "__module__", "") or ""
        topic = module.startswith(SELECTORS) and not module.endswith(".dashboards")
        if topic and callable(value) and not isinstance(value, type):
            setattr(dashboards, name, wrap(name, value))
    return found


def build(period: Period, agency: Agency | None, today: dt.date) -> None:
    if agency is None:
        dashboards.partnership_tables(period=period, today=today)
    else:
        dashboards.agency_tables(agency=agency, period=period, today=today)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("start", type=dt.date.fromisoformat)
    parser.add_argument("end", type=dt.date.fromisoformat)
    parser.add_argument("--agency", type=int, default=None, help="One agency's dashboard.")
    args = parser.parse_args()
    today = timezone.localdate()
    agency = Agency.objects.get(pk=args.agency) if args.agency else None
    warm_up()  # as a web worker does when it starts (oversight.wsgi)
    found = timed_tables()
    build(Period(dt.date(2000, 1, 3), dt.date(2000, 2, 9)), agency, today)  # warm up
    found.clear()
    began = time.perf_counter()
    build(Period(args.start, args.end), agency, today)
    total = (time.perf_counter() - began) * 1000
    say(f"{'table function':<32} {'ms':>8} {'queries':>8}")
    for name, ms, queries in sorted(found, key=lambda row: -row[1]):
        say(f"{name:<32} {ms:>8.1f} {queries:>8}")
    say(f"{'all tables':<32} {total:>8.1f} {sum(q for _, _, q in found):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
