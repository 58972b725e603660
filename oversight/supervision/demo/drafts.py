"""Who writes the record (issue 15 item 7) in the demo: community health's policy lets health
visitors draft the record (contracts' demo), and practitioner.health has handed supervisor
their draft of yesterday's session, for the supervisor to copy into the record, complete and
sign."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oversight.core.demo import DemoContext
from oversight.people.models import SupervisionRelationship

from ..models import Session, SessionRecord, SessionStatus, SuperviseeDraft


def finish(ctx: DemoContext) -> None:
    person = ctx.shared.get("personas", {}).get("practitioner.health")
    if person is None:
        return
    today = ctx.today
    relationship = SupervisionRelationship.objects.on(today).filter(supervisee_id=person.pk).first()
    if relationship is None:
        return
    yesterday = today - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(14)))
    session = (
        Session.objects.filter(
            supervisee_id=person.pk,
            supervisor_id=relationship.supervisor_id,
            status=SessionStatus.PLANNED,
            planned_start__lt=timezone.make_aware(dt.datetime.combine(today, dt.time(0))),
        )
        .exclude(pk__in=SessionRecord.objects.values("session_id"))
        .order_by("-planned_start")
        .first()
    )
    if session is None:
        session = Session.objects.create(
            supervisor_id=relationship.supervisor_id,
            supervisee_id=person.pk,
            agency_id=relationship.agency_id,
            planned_start=start,
            duration_minutes=90,
            location="Safeguarding office, Northshire Community Health",
            created_by_id=relationship.supervisor_id,
            modified_by_id=relationship.supervisor_id,
        )
    handed = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(16, 30)))
    SuperviseeDraft.objects.create(
        session=session,
        agenda_notes="Caseload review; two families where the home visit was refused; "
        "my workload since a colleague went on leave.",
        cases_notes="The family at Willow Court: baby's weight is static, mum declined the "
        "last two visits; we agreed this is drift and to raise it at the next core group.\n"
        "The Greene family: improving, engaging well with the children's centre.",
        actions_notes="I will contact the GP and the social worker by Friday about Willow "
        "Court. My supervisor will raise my caseload with the locality team leader.",
        learning_development="Book the neglect toolkit refresher.",
        handed_over_at=handed,
        created_by=person,
        modified_by=person,
        created_at=handed,
        modified_at=handed,
    )
