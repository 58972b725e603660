"""Planning sessions and what happens to them before they are recorded (issue 3 items 3–4)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from oversight.children.models import Child
from oversight.contracts.models import SessionType, SupervisionPolicy
from oversight.contracts.selectors import policy_in_force
from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_archive,
    tracked_create,
    tracked_edit,
    version_check,
)
from oversight.core.workdays import add_working_days
from oversight.people.models import Agency, Membership, Person

from ..models import (
    AgendaItem,
    Session,
    SessionAttendance,
    SessionChild,
    SessionRecord,
    SessionStatus,
)


def _membership(person_id: int | None, agency_id: int, on: dt.date) -> Membership | None:
    if person_id is None:
        return None
    return (
        Membership.objects.on(on)
        .filter(person_id=person_id, agency_id=agency_id)
        .order_by("-starts_on")
        .first()
    )


def policy_for(*, person_id: int | None, agency_id: int, on: dt.date) -> SupervisionPolicy:
    """The policy in force for this person's staff group in the agency on the day."""
    membership = _membership(person_id, agency_id, on)
    return policy_in_force(
        agency_id=agency_id,
        staff_group_id=membership.staff_group_id if membership else None,
        on=on,
    )


def contract_for(*, supervisee_id: int, on: dt.date) -> Any:
    """The supervisee's current contract, when the contracts app provides them."""
    try:
        from oversight.contracts.selectors import contract_current
    except ImportError:
        return None
    return contract_current(supervisee_id=supervisee_id, on=on)


def next_session_proposal(*, supervisee: Person, agency: Agency, after: dt.date) -> dt.date:
    """The date to propose for the next session: the contract's frequency when there is a
    current contract, else the policy's interval; newly-qualified and new-to-post staff get at
    most the policy's new-starter interval (seeds 001, 004); never beyond the ceiling (001
    "never more than 3 months apart")."""
    membership = _membership(supervisee.pk, agency.pk, after)
    policy = policy_in_force(
        agency_id=agency.pk,
        staff_group_id=membership.staff_group_id if membership else None,
        on=after,
    )
    contract = contract_for(supervisee_id=supervisee.pk, on=after)
    days = getattr(contract, "frequency_days", None) or policy.interval_days
    if membership is not None and membership.is_new_starter_on(after):
        days = min(days, policy.new_starter_interval_days)
    days = min(days, policy.ceiling_days)
    return after + dt.timedelta(days=days)


def record_deadline(*, session: Session, held_on: dt.date) -> dt.date:
    """Seed 001 "Recording": signed and dated; the agency's policy gives the working days."""
    policy = policy_for(person_id=session.supervisee_id, agency_id=session.agency_id, on=held_on)
    return add_working_days(held_on, policy.record_deadline_working_days, session.agency.nation)


def _compliance_changed(session: Session) -> None:
    """Today's staff compliance counts this session's people wherever they hold a post (a
    group's, those who attended): assurance refreshes its kept figures on commit (issue 17
    item 2)."""
    people = {pk for pk in (session.supervisor_id, session.supervisee_id) if pk is not None}
    if session.supervisee_id is None:
        people.update(session.attendances.values_list("person_id", flat=True))
    hooks.compliance_changed(agency_ids=[session.agency_id], person_ids=people)


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("agency").get(pk=session.pk)


def _require_planned(session: Session) -> None:
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(
            f"This session is {session.get_status_display().lower()}; only a planned session "
            "can be changed."
        )


def _participant_ids(session: Session) -> set[int]:
    ids = {session.supervisor_id}
    if session.supervisee_id:
        ids.add(session.supervisee_id)
    ids |= set(session.attendances.values_list("person_id", flat=True))
    return ids


def _partners_by_email(emails: Iterable[str], *, on: dt.date) -> tuple[list[Person], list[str]]:
    """Practitioners invited by their exact work email address (issue 13 item 6): the people
    with a current post in any agency, and the addresses that matched no one. An exact match
    only, so the partnership's staff cannot be listed or searched."""
    wanted = [e.strip().lower() for e in emails if e.strip()]
    if not wanted:
        return [], []
    posted = Membership.objects.on(on).values("person_id")
    found = {
        p.email.lower(): p
        for p in Person.objects.annotate(address=Lower("email")).filter(
            address__in=wanted, is_active=True, pk__in=posted
        )
    }
    return [found[e] for e in wanted if e in found], [e for e in wanted if e not in found]


@transaction.atomic
def session_plan(
    *,
    actor: Person,
    session_type: str,
    supervisor: Person,
    agency: Agency,
    planned_start: dt.datetime,
    supervisee: Person | None = None,
    attendees: Iterable[Person] = (),
    invite_emails: Iterable[str] = (),
    duration_minutes: int = 60,
    location: str = "",
    video_link: str = "",
    title: str = "",
    learning_review: str = "",
    rescheduled_from: Session | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Session:
    """Plan a session (issue 3 item 3). Groups have a facilitator and attendees; the other
    types have one supervisee, and a three-way meeting adds its attendees. The same form sent
    twice plans it once (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=Session):
        return earlier
    errors: dict[str, str] = {}
    is_group = session_type in {SessionType.GROUP, SessionType.REFLECTIVE_GROUP}
    if is_group:
        supervisee = None
    invited, unknown = _partners_by_email(invite_emails, on=timezone.localdate(planned_start))
    if invited and session_type != SessionType.REFLECTIVE_GROUP:
        errors["invite_emails"] = (
            "Only a reflective practice group invites practitioners from other agencies."
        )
    elif unknown:
        errors["invite_emails"] = (
            f"No one with a current post in a partner agency has the address {unknown[0]}. "
            "Check it with them."
        )
    attendees = [*attendees, *(p for p in invited if p not in attendees)]
    attendees = [a for a in attendees if a.pk not in {supervisor.pk, getattr(supervisee, "pk", 0)}]
    if is_group:
        if not attendees:
            errors["attendees"] = "Choose who is invited to the group."
    elif supervisee is None:
        errors["supervisee"] = "Choose the supervisee."
    elif supervisee.pk == supervisor.pk:
        errors["supervisee"] = "A person cannot supervise themselves."
    if duration_minutes < 10 or duration_minutes > 480:
        errors["duration_minutes"] = "Enter a duration between 10 and 480 minutes."
    policy = policy_for(
        person_id=supervisee.pk if supervisee else None,
        agency_id=agency.pk,
        on=timezone.localdate(planned_start),
    )
    if session_type not in (policy.session_types or []):
        errors["session_type"] = f"{agency} does not use this type of session."
    if errors:
        raise ValidationError(errors)
    session = Session(
        session_type=session_type,
        supervisor=supervisor,
        supervisee=supervisee,
        agency=agency,
        planned_start=planned_start,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        title=title,
        # Seed 004 Introduction (issue 15 item 15): the review a group learns from.
        learning_review=learning_review.strip() if is_group else "",
        rescheduled_from=rescheduled_from,
    )
    tracked_create(session, actor=actor)
    submission_record(token=submission_token, target=session)
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=session, person=a) for a in attendees]
    )
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=session, origin=origin)
    if rescheduled_from is None:
        hooks.event("session_planned", session=session)
    return session


@transaction.atomic
def session_cancel(
    *,
    actor: Person,
    session: Session,
    reason: str,
    notice_given: bool,
    origin: RequestOrigin | None = None,
) -> Session:
    """Cancel with who, when, why and whether notice was given (issue 3 item 3)."""
    session = _lock(session)
    _require_planned(session)
    if actor.pk not in _participant_ids(session):
        raise ValidationError("Only the people in a session can cancel it.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the session is cancelled."})
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = actor
    session.cancelled_at = timezone.now()
    session.cancellation_reason = reason.strip()
    session.notice_given = notice_given
    session.version += 1
    session.modified_by = actor
    session.modified_at = session.cancelled_at
    session.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=session,
        origin=origin,
        detail={"status": "cancelled", "notice_given": notice_given},
    )
    hooks.event("session_cancelled", session=session)
    return session


@transaction.atomic
def session_reschedule(
    *,
    actor: Person,
    session: Session,
    planned_start: dt.datetime,
    reason: str,
    notice_given: bool = True,
    origin: RequestOrigin | None = None,
) -> Session:
    """Move a planned session: the original is kept as rescheduled and linked from the new
    one, which takes over its agenda and chosen children."""
    session = _lock(session)
    _require_planned(session)
    if actor.pk not in _participant_ids(session):
        raise ValidationError("Only the people in a session can reschedule it.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the session is moving."})
    session.status = SessionStatus.RESCHEDULED
    session.cancelled_by = actor
    session.cancelled_at = timezone.now()
    session.cancellation_reason = reason.strip()
    session.notice_given = notice_given
    session.version += 1
    session.modified_by = actor
    session.modified_at = session.cancelled_at
    session.save()
    attendees = [a.person for a in session.attendances.select_related("person")]
    new = session_plan(
        actor=actor,
        session_type=session.session_type,
        supervisor=session.supervisor,
        supervisee=session.supervisee,
        attendees=attendees,
        agency=session.agency,
        planned_start=planned_start,
        duration_minutes=session.duration_minutes,
        location=session.location,
        video_link=session.video_link,
        title=session.title,
        learning_review=session.learning_review,
        rescheduled_from=session,
        origin=origin,
    )
    AgendaItem.objects.filter(session=session).update(session=new)
    SessionChild.objects.filter(session=session).update(session=new)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=session,
        origin=origin,
        detail={"status": "rescheduled", "to": new.pk},
    )
    hooks.event("session_moved", session=new)
    return new


@transaction.atomic
def session_mark_did_not_attend(
    *, actor: Person, session: Session, reason: str = "", origin: RequestOrigin | None = None
) -> Session:
    """The supervisee did not come. Only the supervisor says so, and only once the time came."""
    session = _lock(session)
    _require_planned(session)
    if actor.pk != session.supervisor_id:
        raise ValidationError("Only the supervisor can record that a session was missed.")
    if session.planned_start > timezone.now():
        raise ValidationError("This session has not started yet.")
    session.status = SessionStatus.DID_NOT_ATTEND
    session.cancellation_reason = (reason or "").strip()
    session.version += 1
    session.modified_by = actor
    session.modified_at = timezone.now()
    session.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=session,
        origin=origin,
        detail={"status": "did_not_attend"},
    )
    return session


@transaction.atomic
def agenda_item_add(
    *,
    actor: Person,
    session: Session,
    text: str,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> AgendaItem:
    """Seed 004: the supervisee prepares for the session; the supervisor sees the agenda. The
    same form sent twice adds it once (issue 12 item 4)."""
    session = _lock(session)
    if earlier := submission_claim(token=submission_token, actor=actor, model=AgendaItem):
        return earlier
    _require_planned(session)
    if actor.pk not in _participant_ids(session):
        raise ValidationError("Only the people in a session can add to its agenda.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter what you want to discuss."})
    item = AgendaItem(session=session, added_by=actor, text=text)
    tracked_create(item, actor=actor)
    submission_record(token=submission_token, target=item)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=item, origin=origin)
    return item


def _lock_agenda_item(actor: Person, item: AgendaItem) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().select_related("session").get(pk=item.pk)
    if item.archived_at is not None:
        raise ValidationError("This agenda item has already been removed.")
    _require_planned(item.session)
    if item.added_by_id != actor.pk or actor.pk not in _participant_ids(item.session):
        raise ValidationError("Only the person who added an agenda item can change it.")
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: Person,
    item: AgendaItem,
    text: str,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> AgendaItem:
    """Change an agenda item while the session is planned (issue 12 item 4). A change from a
    stale form is refused."""
    item = _lock_agenda_item(actor, item)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter what you want to discuss."})
    item.text = text
    tracked_edit(item, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=item, origin=origin)
    return item


@transaction.atomic
def agenda_item_remove(
    *,
    actor: Person,
    item: AgendaItem,
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> AgendaItem:
    """Take an item off the agenda (issue 12 item 4). It is archived, not deleted, so the
    audit trail keeps it."""
    item = _lock_agenda_item(actor, item)
    version_check(stored=item.version, expected=expected_version)
    tracked_archive(item, actor=actor, reason="Removed from the agenda")
    audit_event_record(actor=actor, action=AuditAction.ARCHIVE, target=item, origin=origin)
    return item


@transaction.atomic
def session_children_choose(
    *,
    actor: Person,
    session: Session,
    children: Iterable[Child],
    origin: RequestOrigin | None = None,
) -> list[SessionChild]:
    """The children or families the supervisee brings; replaces the earlier choice."""
    session = _lock(session)
    _require_planned(session)
    if actor.pk not in _participant_ids(session):
        raise ValidationError("Only the people in a session can choose the children to bring.")
    children = list(children)
    wrong = [c for c in children if c.agency_id != session.agency_id]
    if wrong:
        raise ValidationError({"children": "Choose children known to this session's agency."})
    chosen = {c.pk for c in children}
    existing = set(SessionChild.objects.filter(session=session).values_list("child_id", flat=True))
    SessionChild.objects.filter(session=session).exclude(child_id__in=chosen).delete()
    added = [
        tracked_create(SessionChild(session=session, child=c, added_by=actor), actor=actor)
        for c in children
        if c.pk not in existing
    ]
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=session,
        origin=origin,
        detail={"children": sorted(chosen)},
    )
    return added  # type: ignore[return-value]


@transaction.atomic
def session_attendance_record(
    *,
    actor: Person,
    session: Session,
    attended_ids: Iterable[int],
    origin: RequestOrigin | None = None,
) -> None:
    """Record who came to a group or three-way meeting (issue 3 item 7)."""
    session = _lock(session)
    if actor.pk != session.supervisor_id:
        raise ValidationError("Only the facilitator records attendance.")
    record = SessionRecord.objects.filter(session=session).first()
    if record is not None and record.is_locked:
        raise ValidationError("The record is signed; attendance can no longer change.")
    came = set(attended_ids)
    for attendance in session.attendances.select_for_update():
        attendance.attended = attendance.person_id in came
        attendance.save(update_fields=["attended"])
    _compliance_changed(session)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=session,
        origin=origin,
        detail={"attended": sorted(came)},
    )


@transaction.atomic
def calendar_token_rotate(*, actor: Person, origin: RequestOrigin | None = None) -> str:
    """A new private calendar feed address; the old one stops working."""
    person = Person.objects.select_for_update().get(pk=actor.pk)
    person.calendar_token = secrets.token_urlsafe(32)
    person.save(update_fields=["calendar_token"])
    actor.calendar_token = person.calendar_token
    audit_event_record(
        actor=actor, action=AuditAction.CHANGE, target=person, origin=origin, detail={"calendar": 1}
    )
    return person.calendar_token


@transaction.atomic
def calendar_token_revoke(*, actor: Person, origin: RequestOrigin | None = None) -> None:
    person = Person.objects.select_for_update().get(pk=actor.pk)
    person.calendar_token = ""
    person.save(update_fields=["calendar_token"])
    actor.calendar_token = ""
    audit_event_record(
        actor=actor, action=AuditAction.CHANGE, target=person, origin=origin, detail={"calendar": 0}
    )
