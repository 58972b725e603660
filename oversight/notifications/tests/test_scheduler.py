"""The scheduler (issue 11 item 6): each schedule fires on its day and time in the
partnership's zone; every job runs at a frozen clock; run twice — a rerun, or two schedulers
started by mistake — nothing is queued or sent twice."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from oversight.core.models import OutgoingEmail, ScheduledRun
from oversight.core.scheduler import next_fire, schedule_run
from oversight.core.testing import today_is
from oversight.notifications.models import Kind, Notification
from oversight.supervision.tests.factories import SessionFactory

LONDON = ZoneInfo("Europe/London")


def test_the_schedules_fire_on_their_days_in_local_time() -> None:
    sunday_night = dt.datetime(2027, 3, 28, 23, 0, tzinfo=LONDON)  # clocks went forward
    assert next_fire("weekly", sunday_night) == dt.datetime(2027, 3, 29, 7, 0, tzinfo=LONDON)
    assert next_fire("daily", sunday_night) == dt.datetime(2027, 3, 29, 6, 30, tzinfo=LONDON)
    assert next_fire("frequent", sunday_night) == dt.datetime(2027, 3, 28, 23, 15, tzinfo=LONDON)
    tuesday = dt.datetime(2027, 3, 30, 8, 0, tzinfo=LONDON)
    assert next_fire("weekly", tuesday) == dt.datetime(2027, 4, 5, 7, 0, tzinfo=LONDON)


@pytest.mark.django_db
def test_every_job_runs_at_a_frozen_clock_and_a_second_run_sends_nothing(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monday = dt.date(2027, 3, 8)
    with today_is(monday, at=dt.time(6, 30)), django_capture_on_commit_callbacks(execute=True):
        SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=dt.datetime(2027, 3, 10, 10, tzinfo=LONDON),
        )
        out = StringIO()
        call_command("crontask", run="daily", stdout=out)
        assert "Queued" in out.getvalue()
        reminded = Notification.objects.filter(kind=Kind.SESSION_SOON).count()
        emails = OutgoingEmail.objects.count()
        assert reminded == 2 and emails >= 2
        out = StringIO()
        call_command("crontask", run="daily", stdout=out)  # the same minute: another copy
        assert out.getvalue().strip() == "Already run by another scheduler."
    with today_is(monday, at=dt.time(9, 0)), django_capture_on_commit_callbacks(execute=True):
        assert schedule_run("daily") is not None  # a rerun later that day
        assert schedule_run("weekly") is not None
        assert schedule_run("frequent") is not None
    assert Notification.objects.filter(kind=Kind.SESSION_SOON).count() == reminded
    assert ScheduledRun.objects.filter(schedule="daily").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_firing_at_once_queue_the_jobs_once(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    due = dt.datetime(2027, 3, 8, 6, 30, tzinfo=LONDON)
    results: list[Any] = []
    start = threading.Barrier(2)

    def fire() -> None:
        start.wait()
        try:
            results.append(schedule_run("weekly", due=due))
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(result is None for result in results) == [False, True]
    assert ScheduledRun.objects.filter(schedule="weekly").count() == 1


def test_cron_day_numbers_mean_what_they_mean_in_cron() -> None:
    from oversight.core.scheduler import cron_days

    assert cron_days("0 7 * * 1") == "0 7 * * mon"
    assert cron_days("0 7 * * 1-5") == "0 7 * * mon-fri"
    assert cron_days("0 7 * * 0,7") == "0 7 * * sun,sun"
    assert cron_days("*/15 * * * *") == "*/15 * * * *"
