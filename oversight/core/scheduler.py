"""The scheduler (issue 11 item 6): one process, ``manage.py crontask``, queues each app's
jobs on the task queue at the times in ``CRONTASK_SCHEDULES`` (cron expressions in the
partnership's time zone), with APScheduler's cron trigger — the library django-crontask is
built on; django-crontask itself needs Python 3.12 (docs/decisions/0008).

Each schedule names an ``AppConfig`` attribute, ``<schedule>_jobs`` (``core.jobs``): the
daily jobs that ``enqueue_daily_tasks`` ran from cron are the ``daily`` schedule's. A firing
is claimed by writing a ``ScheduledRun`` row unique by schedule and minute, so two
schedulers running by mistake queue each firing once; the jobs themselves send each
reminder at most once a day (notifications.SentReminder)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .jobs import enqueue_jobs
from .models import ScheduledRun

logger = logging.getLogger(__name__)


DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def cron_days(expression: str) -> str:
    """APScheduler 3 counts the day of the week from Monday = 0, cron from Sunday = 0: a
    weekly "0 7 * * 1" would fire on Tuesdays. Numbers in the fifth field become names."""
    fields = expression.split()
    if len(fields) == 5:
        fields[4] = re.sub(r"\d+", lambda m: DAY_NAMES[int(m.group()) % 8], fields[4])
    return " ".join(fields)


def trigger(schedule: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger.from_crontab(
        cron_days(settings.CRONTASK_SCHEDULES[schedule]), timezone=settings.TIME_ZONE
    )


def next_fire(schedule: str, after: dt.datetime) -> dt.datetime:
    """When ``schedule`` fires next after ``after`` (for the tests and the command's log)."""
    fire = trigger(schedule).get_next_fire_time(None, after + dt.timedelta(seconds=1))
    assert fire is not None
    return fire


def schedule_run(schedule: str, *, due: dt.datetime | None = None) -> list[Any] | None:
    """Queue ``schedule``'s jobs for the firing due at ``due`` (now, to the minute). Returns
    what was queued, or None when another scheduler already ran this firing."""
    due = (due or timezone.now()).replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(schedule=schedule, due_at=due)
    except IntegrityError:
        logger.info("Schedule %s due %s already run by another scheduler", schedule, due)
        return None
    queued = enqueue_jobs(schedule)
    ScheduledRun.objects.filter(pk=run.pk).update(queued=len(queued))
    logger.info("Schedule %s due %s: queued %s tasks", schedule, due, len(queued))
    return queued
