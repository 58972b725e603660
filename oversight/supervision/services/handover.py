"""What happens to a supervisee's sessions when their supervisor changes (seed 001
"Supervisor responsibilities": where line management changes, a handover is arranged).

Chosen (issue 9 item 6, decision 0001 "Hooks"): the old pair's planned sessions after the
relationship's last day are cancelled with reason "handover", and their agenda items move to
the new supervisor: onto the new pair's next planned session, or, when none is planned yet,
onto one planned for the new pair in the first cancelled session's slot, which the new
supervisor may then move or cancel. Nothing the supervisee wrote is lost or left waiting for
someone who no longer supervises them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record
from oversight.people.models import Person, SupervisionRelationship

from ..models import GROUP_TYPES, AgendaItem, Session, SessionChild, SessionStatus
from .sessions import session_plan

HANDOVER_REASON = "handover"


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _pair_sessions_after(relationship: SupervisionRelationship) -> list[Session]:
    """The pair's planned 1:1s and three-way meetings after the last day, except those on a
    day the same pair has another relationship in the agency (a supervisor who came back)."""
    assert relationship.ends_on is not None
    sessions = list(
        Session.objects.live()
        .select_for_update()
        .filter(
            supervisor_id=relationship.supervisor_id,
            supervisee_id=relationship.supervisee_id,
            agency_id=relationship.agency_id,
            status=SessionStatus.PLANNED,
            planned_start__gte=_start_of_day_after(relationship.ends_on),
        )
        .exclude(session_type__in=GROUP_TYPES)
        .order_by("planned_start", "pk")
    )
    others = list(
        SupervisionRelationship.objects.live()
        .filter(
            supervisor_id=relationship.supervisor_id,
            supervisee_id=relationship.supervisee_id,
            agency_id=relationship.agency_id,
        )
        .exclude(pk=relationship.pk)
    )
    return [
        s
        for s in sessions
        if not any(r.is_current_on(timezone.localdate(s.planned_start)) for r in others)
    ]


def _successor_session(successor: SupervisionRelationship) -> Session | None:
    return (
        Session.objects.live()
        .select_for_update()
        .filter(
            supervisor_id=successor.supervisor_id,
            supervisee_id=successor.supervisee_id,
            agency_id=successor.agency_id,
            status=SessionStatus.PLANNED,
            planned_start__gte=timezone.make_aware(
                dt.datetime.combine(successor.starts_on, dt.time.min)
            ),
        )
        .exclude(session_type__in=GROUP_TYPES)
        .order_by("planned_start", "pk")
        .first()
    )


@transaction.atomic
def session_handover(
    *,
    relationship: SupervisionRelationship,
    actor: Person | None,
    origin: RequestOrigin | None = None,
) -> list[Session]:
    """Cancel the ended pair's planned sessions after the last day with reason "handover"
    and move their agenda items and chosen children to the new supervisor (seed 001
    "Supervisor responsibilities"). Named on SupervisionConfig as the handler of
    ``core.hooks.supervision_relationship_ended``. Returns the sessions cancelled."""
    if relationship.ends_on is None:
        return []
    cancelled = _pair_sessions_after(relationship)
    if not cancelled:
        return []
    now = timezone.now()
    for session in cancelled:
        session.status = SessionStatus.CANCELLED
        session.cancelled_by = None
        session.cancelled_at = now
        session.cancellation_reason = HANDOVER_REASON
        session.notice_given = False
        session.version += 1
        session.modified_by = actor
        session.modified_at = now
        session.save()
        audit_event_record(
            actor=actor,
            action=AuditAction.CHANGE,
            target=session,
            origin=origin,
            detail={"status": "cancelled", "reason": HANDOVER_REASON},
        )
    successor = SupervisionRelationship.objects.live().filter(handover_from=relationship).first()
    with_items = [
        s
        for s in cancelled
        if AgendaItem.objects.live().filter(session=s).exists()
        or SessionChild.objects.live().filter(session=s).exists()
    ]
    if successor is None or not with_items:
        return cancelled
    target = _successor_session(successor)
    if target is None:
        first = with_items[0]
        target = session_plan(
            actor=actor or successor.supervisor,
            session_type=first.session_type,
            supervisor=successor.supervisor,
            supervisee=successor.supervisee,
            agency=successor.agency,
            planned_start=max(
                first.planned_start,
                timezone.make_aware(dt.datetime.combine(successor.starts_on, dt.time(9))),
            ),
            duration_minutes=first.duration_minutes,
            location=first.location,
            video_link=first.video_link,
            title=first.title,
            origin=origin,
        )
    moved = AgendaItem.objects.filter(session__in=with_items).update(
        session=target, modified_at=now
    )
    chosen = set(SessionChild.objects.filter(session=target).values_list("child_id", flat=True))
    for pick in SessionChild.objects.filter(session__in=with_items).order_by("pk"):
        if pick.child_id not in chosen:
            chosen.add(pick.child_id)
            pick.session = target
            pick.save(update_fields=["session"])
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=target,
        origin=origin,
        detail={"handover_from": [s.pk for s in with_items], "agenda_items": moved},
    )
    return cancelled


def session_handover_sweep(*, today: dt.date | None = None) -> int:
    """Reach the relationships whose last day has passed since they were ended with a date
    in the future (``session_handover``); run daily like the contracts' sweep. Returns how
    many sessions were cancelled."""
    today = today or timezone.localdate()
    waiting = Session.objects.live().filter(
        supervisor_id=OuterRef("supervisor_id"),
        supervisee_id=OuterRef("supervisee_id"),
        agency_id=OuterRef("agency_id"),
        status=SessionStatus.PLANNED,
        planned_start__date__gt=OuterRef("ends_on"),
    )
    ended = SupervisionRelationship.objects.live().filter(ends_on__lt=today).filter(Exists(waiting))
    count = 0
    for relationship in ended:
        count += len(session_handover(relationship=relationship, actor=None))
    return count
