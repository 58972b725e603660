"""``manage.py figures_backfill``: keep staff compliance for every closed day the data covers
and the headline trends' last 12 month ends (issue 17 item 2). The demo runs the same at its
end and an import queues it; run it by hand after loading history some other way. Days
already kept are left as they were shown (issue 9 item 8)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from oversight.assurance.services import figures_backfill, trend_points_backfill


class Command(BaseCommand):
    help = "Keep the dashboards' figures for every closed day that has none yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=str, default=None, help="YYYY-MM-DD; default today.")
        parser.add_argument(
            "--since", type=str, default=None, help="YYYY-MM-DD; default the first post."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = (
            dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        )
        since = dt.date.fromisoformat(options["since"]) if options["since"] else None
        started = time.monotonic()
        kept = figures_backfill(today=today, since=since, log=self.stdout.write)
        self.stdout.write(f"{kept} agency days kept in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        points = trend_points_backfill(today=today, since=since)
        self.stdout.write(
            f"{points} points of the trends and cadence kept in {time.monotonic() - started:.1f} s"
        )
