"""Weekly digests (issue 11 item 5), Monday morning: a supervisor hears how each supervisee
stands (records to sign, actions due or overdue, the next session); a line manager the same
for their reports; a lead their agency's open escalations and drift. Nothing in it, nothing
sent. Counts and names of colleagues only: never what a record or a child's file says."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import DriftFlag, Escalation, EscalationStatus
from oversight.people.models import (
    LineManagement,
    Person,
    Role,
    RoleAssignment,
    SupervisionRelationship,
)
from oversight.supervision.models import (
    UNSIGNED_STATUSES,
    Action,
    ActionStatus,
    SessionRecord,
)

from .services import absolute, digest_send


def _status_by_person(person_ids: set[int], day: dt.date) -> dict[int, list[str]]:
    """For each person: their unsigned records past or within a week of the sign-by date, and
    their open actions due within a week or overdue. Two queries whatever the numbers."""
    week = day + dt.timedelta(days=7)
    lines: dict[int, list[str]] = defaultdict(list)
    records = (
        SessionRecord.objects.filter(
            status__in=UNSIGNED_STATUSES, sign_by__lte=week, session__supervisee_id__in=person_ids
        )
        .values("session__supervisee_id")
        .annotate(
            overdue=Count("pk", filter=Q(sign_by__lt=day)),
            due=Count("pk", filter=Q(sign_by__gte=day)),
        )
    )
    for row in records:
        pid = row["session__supervisee_id"]
        if row["overdue"]:
            lines[pid].append(f"{row['overdue']} record(s) not signed in time")
        if row["due"]:
            lines[pid].append(f"{row['due']} record(s) to sign this week")
    actions = (
        Action.objects.filter(status=ActionStatus.OPEN, due_on__lte=week, owner_id__in=person_ids)
        .values("owner_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=day)),
            due=Count("pk", filter=Q(due_on__gte=day)),
        )
    )
    for row in actions:
        if row["overdue"]:
            lines[row["owner_id"]].append(f"{row['overdue']} action(s) overdue")
        if row["due"]:
            lines[row["owner_id"]].append(f"{row['due']} action(s) due this week")
    return lines


def _team_digests(
    pairs: list[tuple[int, int]], day: dt.date, role: str, subject: str, intro: str
) -> int:
    """``pairs`` are (recipient, person): one digest per recipient, a line per person."""
    everyone = {p for pair in pairs for p in pair}
    people = Person.objects.in_bulk(everyone)
    status = _status_by_person({person for _, person in pairs}, day)
    by_recipient: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for recipient, person_id in pairs:
        if status.get(person_id):
            by_recipient[recipient].append(
                (
                    f"{people[person_id].display_name}: " + "; ".join(status[person_id]),
                    absolute(reverse("people:person_detail", args=[person_id])),
                )
            )
    return sum(
        digest_send(person=people[r], day=day, role=role, subject=subject, intro=intro, lines=lines)
        for r, lines in by_recipient.items()
    )


def weekly_digests_send(*, day: dt.date | None = None) -> int:
    day = day or timezone.localdate()
    sent = _team_digests(
        list(SupervisionRelationship.objects.on(day).values_list("supervisor_id", "supervisee_id")),
        day,
        "supervisor",
        "Your supervisees this week",
        "What is due or overdue for the people you supervise:",
    )
    sent += _team_digests(
        list(LineManagement.objects.on(day).values_list("manager_id", "report_id")),
        day,
        "line manager",
        "Your team this week",
        "What is due or overdue for the people you line-manage:",
    )
    sent += _lead_digests(day)
    return sent


def _lead_digests(day: dt.date) -> int:
    leads = list(
        RoleAssignment.objects.on(day)
        .filter(role=Role.AGENCY_LEAD)
        .select_related("person", "agency")
    )
    agency_ids = {lead.agency_id for lead in leads}
    escalations = dict(
        Escalation.objects.filter(agency_id__in=agency_ids, status=EscalationStatus.OPEN)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    drift = dict(
        DriftFlag.objects.filter(child__agency_id__in=agency_ids, acknowledged_at__isnull=True)
        .values("child__agency_id")
        .annotate(n=Count("pk"))
        .values_list("child__agency_id", "n")
    )
    lines: dict[int, list[tuple[str, str]]] = defaultdict(list)
    people: dict[int, Any] = {}
    for lead in leads:
        people[lead.person_id] = lead.person
        if escalations.get(lead.agency_id):
            lines[lead.person_id].append(
                (
                    f"{lead.agency.name}: {escalations[lead.agency_id]} open escalation(s)",
                    absolute(reverse("children:escalation_list")),
                )
            )
        if drift.get(lead.agency_id):
            lines[lead.person_id].append(
                (
                    f"{lead.agency.name}: {drift[lead.agency_id]} child(ren) flagged for drift",
                    absolute(reverse("home")),
                )
            )
    return sum(
        digest_send(
            person=people[pid],
            day=day,
            role="lead",
            subject="Your agency this week",
            intro="Open escalations and drift in the agencies you lead:",
            lines=items,
        )
        for pid, items in lines.items()
    )
