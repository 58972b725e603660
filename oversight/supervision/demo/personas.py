"""What the named demo sign-ins must find on their home page whatever ``--today`` is (issue 5:
"the home page shows that role's due and overdue items"), made sure of after every app has
built its history: practitioner.csc has an action they have not done by its date."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oversight.children.models import Child
from oversight.core.demo import DemoContext
from oversight.people.models import SupervisionRelationship

from ..models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    RagRating,
    RecordStatus,
    Session,
    SessionChild,
    SessionRecord,
    SessionStatus,
)
from ..services.sessions import record_deadline
from ..signed import addendum_hash
from .phrases import ACTIONS

ADDENDUM_REASON = "The date of the strategy discussion was wrong"
ADDENDUM_TEXT = (
    "The strategy discussion for the family was held on the Tuesday, not the Monday. "
    "Nothing else in the record changes."
)


def finish(ctx: DemoContext) -> None:
    person = ctx.shared.get("personas", {}).get("practitioner.csc")
    if person is None:
        return
    today = ctx.today
    mine = Action.objects.live().filter(owner_id=person.pk, status=ActionStatus.OPEN)
    if mine.filter(due_on__lt=today).exists():
        return
    # The history left none (their latest actions are not yet due): the one agreed at their
    # last session before today, due the day after it at the latest, is still to be done.
    record = (
        SessionRecord.objects.live()
        .filter(session__supervisee_id=person.pk, session__held_on__lt=today)
        .select_related("session")
        .order_by("-session__held_on", "-pk")
        .first()
    )
    if record is None or record.session.held_on is None:
        return
    held = record.session.held_on
    child_id = (
        CaseDiscussion.objects.filter(record=record)
        .order_by("pk")
        .values_list("child_id", flat=True)
    ).first()
    Action.objects.bulk_create(
        [
            Action(
                origin_record=record,
                description=ACTIONS[1],
                owner_id=person.pk,
                due_on=min(held + dt.timedelta(days=1), today - dt.timedelta(days=1)),
                child_id=child_id,
                created_by_id=record.session.supervisor_id,
                modified_by_id=record.session.supervisor_id,
                created_at=record.created_at,
                modified_at=record.created_at,
            )
        ]
    )


def addendum(ctx: DemoContext) -> None:
    """A signed record of practitioner.csc's with an addendum (issue 12 item 5), so the
    record page and its PDF show one. Run after the records are sealed: an addendum is a
    later entry, never part of what was signed."""
    person = ctx.shared.get("personas", {}).get("practitioner.csc")
    if person is None:
        return
    record = (
        SessionRecord.objects.live()
        .filter(
            session__supervisee_id=person.pk,
            status=RecordStatus.SIGNED,
            supervisee_signed_at__isnull=False,
            session__held_on__lt=ctx.today,
        )
        .order_by("-session__held_on", "-pk")
        .first()
    )
    if record is None or record.addenda.exists() or record.supervisee_signed_at is None:
        return
    written = min(
        record.supervisee_signed_at + dt.timedelta(days=2),
        timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(9, 30))),
    )
    item = Addendum(
        record=record,
        author_id=person.pk,
        created_at=max(written, record.supervisee_signed_at),
        reason=ADDENDUM_REASON,
        text=ADDENDUM_TEXT,
    )
    item.content_hash = addendum_hash(item)
    item.save()


CHECK_AGENDA = "Family visits this month; caseload"


def check_before_signing(ctx: DemoContext) -> None:
    """A session supervisor.csc held yesterday with one of their supervisees (not
    practitioner.csc, whose home page other checks read), recorded as a draft: two children
    were brought and one discussed, so checking the record before signing warns about the
    other (issue 12 item 4)."""
    person = ctx.shared.get("personas", {}).get("supervisor.csc")
    practitioner = ctx.shared.get("personas", {}).get("practitioner.csc")
    if person is None:
        return
    held = ctx.today - dt.timedelta(days=1)
    for relationship in (
        SupervisionRelationship.objects.on(held)
        .filter(supervisor_id=person.pk)
        .exclude(supervisee_id=getattr(practitioner, "pk", 0))
        .select_related("agency", "supervisee")
        .order_by("supervisee__family_name", "pk")
    ):
        children = list(
            Child.objects.live()
            .filter(
                agency_id=relationship.agency_id,
                allocated_practitioner_id=relationship.supervisee_id,
            )
            .order_by("pk")[:2]
        )
        if len(children) == 2:
            break
    else:
        return
    start = timezone.make_aware(dt.datetime.combine(held, dt.time(14)))
    if Session.objects.filter(
        supervisor_id=person.pk, supervisee_id=relationship.supervisee_id, planned_start=start
    ).exists():
        return
    stamps = {"created_by_id": person.pk, "modified_by_id": person.pk}
    session = Session.objects.create(
        supervisor_id=person.pk,
        supervisee_id=relationship.supervisee_id,
        agency_id=relationship.agency_id,
        planned_start=start,
        status=SessionStatus.HELD,
        held_on=held,
        location="Room 2, Civic Centre",
        **stamps,
    )
    SessionChild.objects.bulk_create(
        SessionChild(session=session, child=child, added_by_id=relationship.supervisee_id, **stamps)
        for child in children
    )
    record = SessionRecord.objects.create(
        session=session,
        agenda_notes=CHECK_AGENDA,
        next_session_on=held + dt.timedelta(days=28),
        sign_by=record_deadline(session=session, held_on=held),
        **stamps,
    )
    CaseDiscussion.objects.create(
        record=record,
        agency_id=session.agency_id,
        child=children[0],
        discussed_on=held,
        rag_rating=RagRating.AMBER,
        risks="School attendance is falling again.",
        **stamps,
    )
