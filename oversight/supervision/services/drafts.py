"""Who writes the record (issue 15 item 7; seed 001 "Recording": "recording may be completed
by the supervisor depending on the agency"). Where the agency's policy lets them, the
supervisee drafts the record of a 1:1 and hands it over; the supervisor copies it into the
record, completes it and signs. Elsewhere only the supervisor writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    tracked_create,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import Person

from ..models import RecordStatus, Session, SessionRecord, SessionStatus, SuperviseeDraft
from .records import session_record
from .sessions import policy_for

DRAFT_FIELDS = ("agenda_notes", "cases_notes", "actions_notes", "learning_development")
NOT_ALLOWED = (
    "Your agency's policy is that the supervisor writes the record, so you cannot draft it."
)


def session_day(session: Session) -> dt.date:
    """The day the session was held, or its planned day while it is not marked held."""
    return session.held_on or timezone.localdate(session.planned_start)


def supervisee_may_draft(session: Session) -> bool:
    """The agency's policy for the supervisee's staff group on the session's day lets the
    supervisee draft a 1:1's record (seed 001 "Recording")."""
    if session.is_group or session.supervisee_id is None:
        return False
    policy = policy_for(
        person_id=session.supervisee_id, agency_id=session.agency_id, on=session_day(session)
    )
    return bool(policy.supervisee_may_draft_record)


def _record(session: Session) -> SessionRecord | None:
    return SessionRecord.objects.filter(session=session).first()


@transaction.atomic
def record_draft_save(
    *,
    actor: Person,
    session: Session,
    data: Mapping[str, str],
    hand_over: bool = False,
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> SuperviseeDraft:
    """The supervisee saves their draft of the record, and may hand it to the supervisor,
    after which it is the supervisor's to complete and the supervisee cannot change it."""
    session = Session.objects.select_for_update().select_related("agency").get(pk=session.pk)
    if session.supervisee_id != actor.pk or session.is_group:
        raise ValidationError("Only the supervisee of a 1:1 can draft its record.")
    if not supervisee_may_draft(session):
        raise ValidationError(NOT_ALLOWED)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.HELD):
        raise ValidationError(
            f"This session was {session.get_status_display().lower()}; there is nothing to record."
        )
    if timezone.localdate(session.planned_start) > timezone.localdate():
        raise ValidationError("This session has not happened yet.")
    record = _record(session)
    if record is not None and record.status != RecordStatus.DRAFT:
        raise ValidationError("Your supervisor has already signed this record.")
    clean = {name: (data.get(name) or "").strip() for name in DRAFT_FIELDS}
    draft = SuperviseeDraft.objects.select_for_update().filter(session=session).first()
    if draft is not None and draft.is_handed_over:
        raise ValidationError(
            "You have handed this draft to your supervisor, so it can no longer be changed."
        )
    if hand_over and not any(clean.values()):
        raise ValidationError({"agenda_notes": "Write something before you hand the draft over."})
    created = draft is None
    if draft is None:
        draft = SuperviseeDraft(session=session, **clean)
    else:
        for name, value in clean.items():
            setattr(draft, name, value)
    if hand_over:
        draft.handed_over_at = timezone.now()
    if created:
        tracked_create(draft, actor=actor)
    elif expected_version is None:
        raise StaleEditError()
    else:
        tracked_edit(draft, actor=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=draft,
        origin=origin,
        detail={"handed_over": True} if hand_over else None,
    )
    if hand_over:
        hooks.event("record_draft_handed_over", draft=draft)
    return draft


def _merged(current: str, addition: str, heading: str = "") -> str:
    addition = addition.strip()
    if not addition:
        return current
    block = f"{heading}\n{addition}" if heading else addition
    return f"{current.rstrip()}\n\n{block}" if current.strip() else block


@transaction.atomic
def record_draft_take_in(
    *,
    actor: Person,
    session: Session,
    origin: RequestOrigin | None = None,
) -> SessionRecord:
    """The supervisor copies the supervisee's handed-over draft into the record (after what
    the record already says), then completes it and signs as usual."""
    session = Session.objects.select_for_update().select_related("agency").get(pk=session.pk)
    if session.supervisor_id != actor.pk:
        raise ValidationError("Only the supervisor completes the record.")
    draft = SuperviseeDraft.objects.select_for_update().filter(session=session).first()
    if draft is None or not draft.is_handed_over:
        raise ValidationError("The supervisee has not handed over a draft.")
    if draft.is_taken_in:
        raise ValidationError("The draft is already in the record.")
    record = _record(session)
    if record is not None and record.status != RecordStatus.DRAFT:
        raise ValidationError("This record has been signed; it can no longer take the draft.")
    agenda = _merged(record.agenda_notes if record else "", draft.agenda_notes)
    agenda = _merged(agenda, draft.cases_notes, "Children and families discussed:")
    agenda = _merged(agenda, draft.actions_notes, "Actions agreed:")
    learning = _merged(record.learning_development if record else "", draft.learning_development)
    record = session_record(
        actor=actor,
        session=session,
        held_on=min(session_day(session), timezone.localdate()),
        data={"agenda_notes": agenda, "learning_development": learning},
        expected_version=record.version if record else None,
        origin=origin,
    )
    draft.taken_in_at = timezone.now()
    tracked_update(draft, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=draft,
        origin=origin,
        detail={"taken_into_record": record.pk},
    )
    return record
