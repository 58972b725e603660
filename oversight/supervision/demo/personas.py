"""What the named demo sign-ins must find on their home page whatever ``--today`` is (issue 5:
"the home page shows that role's due and overdue items"), made sure of after every app has
built its history: practitioner.csc has an action they have not done by its date."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oversight.core.demo import DemoContext

from ..models import Action, ActionStatus, Addendum, CaseDiscussion, RecordStatus, SessionRecord
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
