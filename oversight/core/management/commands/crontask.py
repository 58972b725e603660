"""The scheduler process (issue 11 item 6): `manage.py crontask` runs until stopped and
queues each schedule's jobs when it falls due (``CRONTASK_SCHEDULES``); `make run` starts it
beside the worker, and production runs one copy of it as its own service. A second copy
started by mistake queues nothing twice (core.scheduler). ``--run SCHEDULE`` queues one
schedule's jobs now and exits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from oversight.core.scheduler import schedule_run, trigger


def _fire(schedule: str) -> None:
    close_old_connections()
    try:
        schedule_run(schedule)
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Run the scheduler: queue the frequent, daily and weekly jobs when they fall due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--run", metavar="SCHEDULE", help="queue one schedule's jobs now")

    def handle(self, *args: Any, **options: Any) -> None:
        schedules = settings.CRONTASK_SCHEDULES
        if options["run"]:
            if options["run"] not in schedules:
                raise CommandError(f"No schedule called {options['run']}: {', '.join(schedules)}")
            queued = schedule_run(options["run"])
            self.stdout.write(
                "Already run by another scheduler."
                if queued is None
                else f"Queued {len(queued)} tasks."
            )
            return
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for name in schedules:
            scheduler.add_job(
                _fire,
                trigger(name),
                args=[name],
                id=name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=15 * 60,
            )
            self.stdout.write(f"{name}: {schedules[name]}")
        self.stdout.write("Scheduler running; stop it with Ctrl-C.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            self.stdout.write("Scheduler stopped.")
