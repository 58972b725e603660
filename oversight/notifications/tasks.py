"""Scheduled work (issue 11 items 3–5), queued by the scheduler (``manage.py crontask``)
through ``core.jobs``: every quarter of an hour, urgent requests left unanswered; each
morning, the reminders and the daily emails; Monday morning, the weekly digests. Each task
may run twice (two schedulers by mistake, a rerun) and sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from oversight.children.models import UrgentDiscussionRequest, UrgentRequestStatus
from oversight.core.workdays import add_working_hours
from oversight.people.models import Person

from .models import AgencyNotificationSettings, Kind, Notification
from .recipients import agency_leads
from .services import daily_email_send, remind


def _day(iso: str | None) -> dt.date:
    return dt.date.fromisoformat(iso) if iso else timezone.localdate()


def urgent_unanswered_check(*, now: dt.datetime | None = None) -> int:
    """An urgent discussion request still waiting after the agency's working hours (default
    4) is told to the agency's safeguarding leads, once."""
    now = now or timezone.now()
    hours = dict(
        AgencyNotificationSettings.objects.values_list("agency_id", "urgent_answer_working_hours")
    )
    told = 0
    waiting = UrgentDiscussionRequest.objects.filter(
        status=UrgentRequestStatus.WAITING, requested_at__gte=now - dt.timedelta(days=14)
    ).select_related("agency", "supervisor", "requested_by")
    for request in waiting:
        due = add_working_hours(
            request.requested_at, hours.get(request.agency_id, 4), request.agency.nation
        )
        if due > now:
            continue
        for lead in agency_leads(request.agency_id):
            if lead.pk == request.supervisor_id:
                continue
            if remind(
                person=lead,
                kind=Kind.URGENT_UNANSWERED,
                reason=(
                    f"An urgent discussion {request.requested_by.display_name} asked "
                    f"{request.supervisor.display_name} for has not been answered"
                ),
                path=reverse("children:urgent_respond", args=[request.pk]),
                about=request,
                day=request.requested_at.date(),
            ):
                told += 1
    return told


@task()
def urgent_unanswered_task() -> int:
    return urgent_unanswered_check()


@task()
def reminders_task(day: str | None = None) -> int:
    from .reminders import reminders_send

    return reminders_send(day=_day(day))


@task()
def daily_emails_task(day: str | None = None) -> int:
    """The daily email of each person who chose it for some kinds."""
    when = _day(day)
    waiting = (
        Notification.objects.filter(for_daily_email=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(
        daily_email_send(person=person, day=when)
        for person in Person.objects.filter(pk__in=waiting)
    )


@task()
def weekly_digests_task(day: str | None = None) -> int:
    from .digests import weekly_digests_send

    return weekly_digests_send(day=_day(day))


def enqueue_frequent() -> list[Any]:
    return [urgent_unanswered_task.enqueue()]


def enqueue_daily() -> list[Any]:
    day = timezone.localdate().isoformat()
    return [reminders_task.enqueue(day=day), daily_emails_task.enqueue(day=day)]


def enqueue_weekly() -> list[Any]:
    return [weekly_digests_task.enqueue(day=timezone.localdate().isoformat())]
