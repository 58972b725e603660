"""Put the day's background work on the database-backed queue; `make worker` runs it.

The scheduler (`manage.py crontask`, decision 0008) queues the same work each morning; this
command stays for running it by hand or from cron instead (rerunning it sends no reminder
twice). The work itself lives in each
app's tasks.py, named by its AppConfig's ``daily_jobs`` (core.jobs):
- contracts: end the contracts of supervision relationships that have ended and draft the
  successor's (seed 001 handover);
- supervision: cancel the ended pair's later planned sessions and move their agenda to the new
  supervisor (seed 001 handover);
- children: evaluate drift for every agency (seed 004 objective 3), which also catches children
  whose discussion has fallen outside the cadence without any new discussion being recorded;
- notifications: the day's reminders and the daily emails (issue 11);
- assurance: keep the closed months of the compliance trend not yet kept, so dashboards answer
  quickly (a month end already kept changes only by the audited recompute).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.core.jobs import enqueue_jobs


class Command(BaseCommand):
    help = "Enqueue the day's work: handover sweeps, drift evaluation, reminders, trend warm-up."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = enqueue_jobs("daily")
        self.stdout.write(f"Queued {len(queued)} tasks.")
