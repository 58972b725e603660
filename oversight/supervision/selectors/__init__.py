"""Reads for supervision pages. Each returns what the page shows in a fixed number of queries;
the wellbeing section is deferred unless the reader may see it (rules.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from oversight.children.models import AgencyInvolvement, Child
from oversight.core.models import FormSubmission
from oversight.core.prepared import prepared
from oversight.people.models import Agency, LineManagement, Role, SupervisionRelationship
from oversight.people.selectors import access_profile

from ..models import (
    UNSIGNED_STATUSES,
    WELLBEING_FIELDS,
    Action,
    ActionFollowUp,
    ActionStatus,
    Addendum,
    AgencyDecisionPolicy,
    AgendaItem,
    CaseDiscussion,
    Decision,
    ManagementOversight,
    RecordStatus,
    ServiceShortfall,
    Session,
    SessionAttendance,
    SessionChild,
    SessionRecord,
    SessionStatus,
)
from .home import decisions_to_authorise_q as decisions_to_authorise_q
from .home import home_deadlines as home_deadlines
from .home import records_to_sign_scope, split_records


def case_discussions_live() -> QuerySet[CaseDiscussion]:
    """What the children app reads for each child's cadence and drift (SupervisionConfig
    names it as ``child_discussions``; children.discussions, decision 0001)."""
    return CaseDiscussion.objects.live()


def decisions_live() -> QuerySet[Decision]:
    """What the children app reads for decisions on the child's file (SupervisionConfig
    names it as ``child_decisions``; children.discussions, decision 0001)."""
    return Decision.objects.live()


def _sessions() -> QuerySet[Session]:
    return (
        Session.objects.live()
        .select_related("supervisor", "supervisee", "agency", "record")
        .defer(*(f"record__{name}" for name in WELLBEING_FIELDS))
    )


def sessions_for(person: Any, *, attended: Collection[int] | None = None) -> QuerySet[Session]:
    """Sessions the person leads, receives or attends. The group sessions attended are named
    by id, so that the three conditions each use an index (a lead of five years leads
    hundreds of sessions among the partnership's 600,000). A 1:1 they led stays on their list
    while they supervise the supervisee today, or until its record is signed (rules.py
    ``acting_supervisor``; decision 0002: access follows relationships in time)."""
    if attended is None:
        attended = _attended_by(person)
    return _sessions().filter(
        _sessions_of_q(
            person_id=person.pk,
            supervisee_ids=access_profile(person).supervisee_ids,
            attended=attended,
        )
    )


def _attended_by(person: Any) -> list[int]:
    return list(
        SessionAttendance.objects.filter(person=person).values_list("session_id", flat=True)
    )


def _sessions_of_q(
    *, person_id: int, supervisee_ids: Collection[int], attended: Collection[int]
) -> Q:
    led = Q(supervisor_id=person_id) & (
        Q(supervisee__isnull=True)
        | Q(supervisee_id__in=supervisee_ids)
        | Q(record__isnull=True)
        | Q(record__status__in=UNSIGNED_STATUSES)
    )
    return led | Q(supervisee_id=person_id) | Q(pk__in=attended)


def sessions_upcoming(
    person: Any, *, now: dt.datetime | None = None, attended: Collection[int] | None = None
) -> QuerySet[Session]:
    now = now or timezone.now()
    return (
        sessions_for(person, attended=attended)
        .filter(status=SessionStatus.PLANNED, planned_start__gte=now - dt.timedelta(hours=12))
        .order_by("planned_start")
    )


def session_next_for(person: Any, *, attended: Collection[int] | None = None) -> Session | None:
    """The person's next session, for the home's panel: it names the other party, so only the
    two people are joined, not the agency and the record (issue 17 item 1: each column
    selected costs the ORM to compile). ``attended``: the group sessions the person attends,
    when already read (``home_deadlines``)."""
    found = _next_session(
        person_id=person.pk,
        supervisee_ids=list(access_profile(person).supervisee_ids),
        attended=_attended_by(person) if attended is None else list(attended),
        since=timezone.now() - dt.timedelta(hours=12),
    )
    return found[0] if found else None


@prepared
def _next_session(
    *, person_id: int, supervisee_ids: list[int], attended: list[int], since: dt.datetime
) -> QuerySet[Session]:
    """``sessions_upcoming``'s first, compiled once per shape (core.prepared)."""
    return (
        Session.objects.live()
        .filter(
            _sessions_of_q(person_id=person_id, supervisee_ids=supervisee_ids, attended=attended)
        )
        .filter(status=SessionStatus.PLANNED, planned_start__gte=since)
        .select_related("supervisor", "supervisee")
        .order_by("planned_start")[:1]
    )


def sessions_listed(
    person: Any, *, now: dt.datetime, past_shown: int
) -> tuple[list[Session], list[Session]]:
    """The sessions page's two lists, ``sessions_upcoming`` and the first ``past_shown`` held
    or due more than 12 hours ago (newest first), reading the group sessions attended once;
    each list's read is
    compiled once per shape (core.prepared)."""
    values = {
        "person_id": person.pk,
        "supervisee_ids": list(access_profile(person).supervisee_ids),
        "attended": _attended_by(person),
        "since": now - dt.timedelta(hours=12),
    }
    return (
        _sessions_listed(**values, past=False, shown=0),
        _sessions_listed(**values, past=True, shown=past_shown),
    )


@prepared(shaped=("shown",))
def _sessions_listed(
    *,
    person_id: int,
    supervisee_ids: list[int],
    attended: list[int],
    since: dt.datetime,
    past: bool,
    shown: int,
) -> QuerySet[Session]:
    sessions = _sessions().filter(
        _sessions_of_q(person_id=person_id, supervisee_ids=supervisee_ids, attended=attended)
    )
    if not past:
        return sessions.filter(status=SessionStatus.PLANNED, planned_start__gte=since).order_by(
            "planned_start"
        )
    return sessions.filter(Q(planned_start__lt=since) | ~Q(status=SessionStatus.PLANNED)).order_by(
        "-planned_start"
    )[:shown]


@prepared
def supervision_pairs_of(*, person_id: int, on: dt.date) -> QuerySet[SupervisionRelationship]:
    """The supervision relationships the person is in on ``on``, as supervisor or supervisee,
    with both people (compiled once, core.prepared)."""
    return (
        SupervisionRelationship.objects.live()
        .on(on)
        .filter(Q(supervisor_id=person_id) | Q(supervisee_id=person_id))
        .select_related("supervisor", "supervisee")
        .order_by("pk")
    )


@prepared
def agencies_named(*, agency_ids: list[int]) -> QuerySet[Agency]:
    """These agencies, live ones only, by id (compiled once per count, core.prepared)."""
    return Agency.objects.live().filter(pk__in=agency_ids).order_by("pk")


# The longest session the plan form allows, so a clash search can bound its window.
LONGEST_SESSION = dt.timedelta(minutes=480)


@dataclass(frozen=True)
class Clash:
    """Another planned session a person is in at the time being planned."""

    person: Any
    session: Session


def sessions_clashing(
    *, people: list[Any], start: dt.datetime, minutes: int, submission_token: str = ""
) -> list[Clash]:
    """Planned sessions that overlap ``start`` for ``minutes`` and that any of ``people``
    leads, receives or attends (issue 12 item 4: the plan form warns, it does not refuse).
    The session an earlier post of the same form planned is no clash with itself."""
    people = [p for p in people if p is not None]
    if not people:
        return []
    end = start + dt.timedelta(minutes=minutes)
    ids = [p.pk for p in people]
    attended = SessionAttendance.objects.filter(person_id__in=ids).values("session_id")
    found = (
        Session.objects.live()
        .filter(
            status=SessionStatus.PLANNED,
            planned_start__lt=end,
            planned_start__gt=start - LONGEST_SESSION,
        )
        .filter(Q(supervisor_id__in=ids) | Q(supervisee_id__in=ids) | Q(pk__in=attended))
        .exclude(
            pk__in=FormSubmission.objects.filter(
                token=submission_token or "-", object_type="supervision.session"
            ).values("object_id")
        )
        .select_related("supervisor", "supervisee")
        .prefetch_related("attendances")
        .order_by("planned_start")
    )
    clashes: list[Clash] = []
    for session in found:
        if session.planned_end <= start:
            continue
        present = {session.supervisor_id, session.supervisee_id} | {
            a.person_id for a in session.attendances.all()
        }
        clashes.extend(Clash(person=p, session=session) for p in people if p.pk in present)
    return clashes


def _with_pair_ended(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with what ``Session.supervision_ended_before`` asks of the pair's
    relationships on the session's day, so that a rule does not read them again."""
    pair = SupervisionRelationship.objects.live().filter(
        supervisor_id=OuterRef("supervisor_id"),
        supervisee_id=OuterRef("supervisee_id"),
        agency_id=OuterRef("agency_id"),
    )
    return sessions.annotate(pair_day=Coalesce("held_on", TruncDate("planned_start"))).annotate(
        pair_current=Exists(
            pair.filter(starts_on__lte=OuterRef("pair_day")).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("pair_day"))
            )
        ),
        pair_ended_on=Subquery(
            pair.filter(ends_on__lt=OuterRef("pair_day")).order_by("-ends_on").values("ends_on")[:1]
        ),
    )


def session_detail(*, session_id: int) -> Session:
    """One session with what its pages and rules read; its supervisee's draft and whether the
    pair's supervision had ended by its day joined, which the rules read (issue 17 item 1)."""
    return (
        _with_pair_ended(_sessions())
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=SessionAttendance.objects.select_related("person"),
            ),
            Prefetch("agenda_items", queryset=AgendaItem.objects.live().select_related("added_by")),
            Prefetch("chosen_children", queryset=SessionChild.objects.select_related("child")),
        )
        .select_related("rescheduled_from", "cancelled_by", "supervisee_draft")
        .get(pk=session_id)
    )


def open_actions_before(session: Session) -> QuerySet[Action]:
    """Open actions from earlier sessions of the same supervisee (for a group: of the same
    facilitator and type), listed for follow-up (issue 3 item 4)."""
    actions = Action.objects.live().filter(
        Q(status=ActionStatus.OPEN) | Q(follow_ups__record__session=session)
    )
    earlier = Q(origin_record__session__planned_start__lt=session.planned_start)
    if session.supervisee_id:
        # Management oversight actions the supervisee owns are followed up at their next 1:1
        # too (issue 15 item 1; seed 004 Definition: plans for assessing completion).
        actions = actions.filter(
            (earlier & Q(origin_record__session__supervisee_id=session.supervisee_id))
            | Q(
                origin_oversight__isnull=False,
                owner_id=session.supervisee_id,
                origin_oversight__made_on__lte=timezone.localdate(session.planned_start),
            )
        )
    else:
        actions = actions.filter(
            earlier,
            origin_record__session__supervisor_id=session.supervisor_id,
            origin_record__session__session_type=session.session_type,
        )
    return (
        actions.exclude(Q(origin_record__isnull=False) & Q(origin_record__session=session))
        .select_related("owner", "child", "origin_record__session", "origin_oversight")
        .prefetch_related(
            Prefetch(
                "follow_ups", queryset=ActionFollowUp.objects.select_related("record__session")
            )
        )
        .distinct()
        .order_by("due_on", "id")
    )


def previous_held_on(session: Session) -> dt.date | None:
    """Date of the last session held before this one (Appendix III, filled in)."""
    earlier = Session.objects.live().filter(
        status=SessionStatus.HELD, planned_start__lt=session.planned_start
    )
    if session.supervisee_id:
        earlier = earlier.filter(supervisee_id=session.supervisee_id)
    else:
        earlier = earlier.filter(
            supervisor_id=session.supervisor_id, session_type=session.session_type
        )
    return (
        earlier.exclude(pk=session.pk)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Timeliness:
    """Whether a pair's sessions started on time over their relationship (seed 001
    "Attending regularly and on time"; issue 15 item 8)."""

    held: int
    timed: int
    on_time: int

    @property
    def late(self) -> int:
        return self.timed - self.on_time


def pair_timeliness(session: Session) -> Timeliness | None:
    """The held 1:1-style sessions between this supervisor and supervisee in this agency,
    and how many of those with a recorded start began on time. None for groups."""
    if session.supervisee_id is None:
        return None
    records = SessionRecord.objects.live().filter(
        session__supervisor_id=session.supervisor_id,
        session__supervisee_id=session.supervisee_id,
        session__agency_id=session.agency_id,
        session__status=SessionStatus.HELD,
    )
    held = timed = on_time = 0
    for record in records.select_related("session").only(
        "started_at", "session", "session__planned_start", "session__held_on"
    ):
        held += 1
        if record.started_on_time is not None:
            timed += 1
            on_time += int(record.started_on_time)
    return Timeliness(held=held, timed=timed, on_time=on_time)


def _addenda(record: SessionRecord | None = None) -> Prefetch:
    """A record's addenda; none to read for a ``record`` not yet signed, as only a signed
    record takes one (``services.addendum_add``)."""
    if record is not None and not record.is_locked:
        return Prefetch("addenda", queryset=Addendum.objects.none())
    return Prefetch("addenda", queryset=Addendum.objects.select_related("author"))


def _records_shown(*, session_parts: bool = True, addenda: bool = True) -> QuerySet[SessionRecord]:
    """Records with everything their page and PDF show, in a fixed number of queries;
    ``session_parts``: with the session's attendances and agenda too; ``addenda=False``:
    without the addenda, for the caller to read once it knows whether there can be any."""
    records = SessionRecord.objects.select_related(
        "session",
        "session__supervisor",
        "session__supervisee",
        "session__agency",
        "supervisor_signed_by",
        "supervisee_signed_by",
        "signed_content",
    ).prefetch_related(
        Prefetch(
            "case_discussions",
            queryset=CaseDiscussion.objects.live()
            .select_related("child")
            .prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.live().order_by("id"))
            ),
        ),
        Prefetch(
            "actions",
            queryset=Action.objects.live().select_related("owner", "child").order_by("id"),
        ),
        Prefetch(
            "action_follow_ups",
            queryset=ActionFollowUp.objects.select_related("action", "action__owner"),
        ),
    )
    if addenda:
        records = records.prefetch_related(_addenda())
    if session_parts:
        records = records.prefetch_related(
            Prefetch(
                "session__attendances",
                queryset=SessionAttendance.objects.select_related("person"),
            ),
            Prefetch(
                "session__agenda_items",
                queryset=AgendaItem.objects.live().select_related("added_by"),
            ),
        )
    return records


def record_for(
    *,
    session_id: int,
    with_wellbeing: bool,
    session: Session | None = None,
    session_parts: bool = True,
) -> SessionRecord:
    """The record with everything its page and PDF show, in a fixed number of queries.
    ``session``: the record's session as ``session_detail`` read it (for the page's rule),
    whose attendances and agenda are not read again; ``session_parts=False`` for a page that
    shows neither (issue 17 item 1: a page reads what it shows, once). The addenda are read
    only for a signed record, the only kind that has any."""
    records = _records_shown(session_parts=session_parts and session is None, addenda=False)
    if not with_wellbeing:
        records = records.defer(*WELLBEING_FIELDS)
    record = records.get(session_id=session_id)
    prefetch_related_objects([record], _addenda(record))
    if session is not None:
        record.session = session
    if not with_wellbeing:
        for name in WELLBEING_FIELDS:
            record.__dict__[name] = None
    return record


def records_for_check() -> Iterator[SessionRecord]:
    """Every record that is signed or was sealed, with what ``verify_integrity`` compares
    (issue 10 item 4), a batch at a time."""
    return (
        _records_shown()
        .filter(Q(status=RecordStatus.SIGNED) | Q(signed_content__isnull=False))
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def records_unsealed() -> QuerySet[SessionRecord]:
    """Fully signed records with no snapshot of what was signed (issue 10 item 4), with just
    what ``signed.record_content`` reads. The lists go into plain attributes (``to_attr``,
    read by ``signed.rows``): a related manager per row cloned a queryset per record and
    list, which was most of sealing the large demo's half a million records (issue 17)."""
    return (
        SessionRecord.objects.filter(status=RecordStatus.SIGNED, signed_content__isnull=True)
        .select_related(
            "session",
            "session__supervisor",
            "session__supervisee",
            "session__agency",
            "supervisor_signed_by",
            "supervisee_signed_by",
        )
        .prefetch_related(
            Prefetch(
                "case_discussions",
                queryset=CaseDiscussion.objects.live()
                .select_related("child")
                .prefetch_related(
                    Prefetch(
                        "decisions",
                        queryset=Decision.objects.live().order_by("id"),
                        to_attr="decisions_rows",
                    )
                ),
                to_attr="case_discussions_rows",
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.live().select_related("owner", "child").order_by("id"),
                to_attr="actions_rows",
            ),
            Prefetch(
                "action_follow_ups",
                queryset=ActionFollowUp.objects.select_related("action", "action__owner"),
                to_attr="action_follow_ups_rows",
            ),
            Prefetch(
                "session__attendances",
                queryset=SessionAttendance.objects.select_related("person"),
                to_attr="attendances_rows",
            ),
        )
        .order_by("pk")
    )


def children_for_session(session: Session) -> QuerySet[Child]:
    """Children the supervisee may bring: those allocated to them (for groups, to any
    attendee) in the session's agency, and any already chosen."""
    people = (
        [session.supervisee_id]
        if session.supervisee_id
        else list(session.attendances.values_list("person_id", flat=True))
    )
    chosen = SessionChild.objects.filter(session=session).values("child_id")
    # A child another agency holds, which this agency is involved with and has allocated to
    # the supervisee, is discussed in this agency's supervision too (issue 13).
    involved = AgencyInvolvement.objects.current().filter(
        agency_id=session.agency_id, allocated_worker_id__in=people
    )
    return (
        Child.objects.live()
        .filter(
            (Q(agency_id=session.agency_id) & Q(allocated_practitioner_id__in=people))
            | Q(pk__in=chosen)
            | Q(pk__in=involved.exclude(case_reference="").values("child_id"))
        )
        .order_by("display_name")
    )


def actions_open_for(person: Any) -> QuerySet[Action]:
    return (
        Action.objects.live()
        .filter(owner=person, status=ActionStatus.OPEN)
        .select_related("child", "origin_record__session", "origin_oversight")
        .order_by("due_on")
    )


@prepared
def records_awaiting_signature_rows(*, person_id: int) -> QuerySet[SessionRecord]:
    """Records waiting for the person's signature, soonest deadline first; compiled once
    (core.prepared)."""
    return (
        SessionRecord.objects.live()
        .filter(
            Q(session__supervisor_id=person_id, status=RecordStatus.DRAFT)
            | Q(session__supervisee_id=person_id, status=RecordStatus.AWAITING_SUPERVISEE)
        )
        .select_related("session", "session__supervisee", "session__supervisor")
        .defer(*WELLBEING_FIELDS)
        .order_by("sign_by")
    )


def records_overdue_for(person: Any, *, today: dt.date | None = None) -> QuerySet[SessionRecord]:
    """Unsigned records past their deadline, flagged to both the supervisor and the supervisee
    (issue 3 item 8)."""
    day = today or timezone.localdate()
    return (
        SessionRecord.objects.live()
        .filter(Q(session__supervisor=person) | Q(session__supervisee=person))
        .filter(status__in=UNSIGNED_STATUSES)
        .filter(sign_by__lt=day)
        .select_related("session", "session__supervisee", "session__supervisor")
        .defer(*WELLBEING_FIELDS)
        .order_by("sign_by")
    )


def unsigned_records_of_supervisees(supervisee_ids: Any) -> QuerySet[SessionRecord]:
    return (
        SessionRecord.objects.live()
        .filter(session__supervisee_id__in=supervisee_ids)
        .filter(status__in=UNSIGNED_STATUSES)
        .select_related("session", "session__supervisee", "session__supervisor")
        .defer(*WELLBEING_FIELDS)
        .order_by("sign_by")
    )


def management_oversight_visible_to(user: Any, profile: Any) -> QuerySet[ManagementOversight]:
    people = set(profile.supervisee_ids) | set(profile.report_ids)
    scope = (
        Q(made_by=user)
        | Q(child__allocated_practitioner=user)
        | Q(child__allocated_practitioner_id__in=people)
        | Q(agency_id__in=profile.led_agency_ids)
    )
    return (
        ManagementOversight.objects.live()
        .filter(scope)
        .select_related("child", "made_by", "agency")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.live().order_by("id")))
        .order_by("-made_on", "-id")
    )


def children_overseen_by(user: Any, profile: Any) -> QuerySet[Child]:
    people = set(profile.supervisee_ids) | set(profile.report_ids)
    return (
        Child.objects.live()
        .filter(Q(allocated_practitioner_id__in=people) | Q(agency_id__in=profile.led_agency_ids))
        .order_by("display_name")
    )


def decisions_awaiting_file(user: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.live()
        .filter(recorded_on_file_at__isnull=True)
        .filter(Q(child__allocated_practitioner=user) | Q(decided_by=user))
        .select_related("child")
        .order_by("file_due_on")
    )


def person_by_calendar_token(token: str) -> Any:
    from oversight.people.models import Person

    if not token or len(token) < 20:
        return None
    return Person.objects.filter(calendar_token=token, is_active=True).first()


# Issue 15 (seed 004 "Definition", "Line management"): who authorises decisions, who sees
# shortfalls, and what each page lists.


def decision_authoriser_ids(decision: Decision, *, on: dt.date | None = None) -> QuerySet[Any]:
    """The people told a decision waits for authorisation: the decider's line managers in
    its agency on ``on`` (the leads may authorise too, from their list, but are not told of
    every decision). ``may_authorise`` answers the same rule for one person, from their
    access profile's (report, agency) pairs, which are these same rows seen the other way."""
    return (
        LineManagement.objects.on(on or timezone.localdate())
        .filter(report_id=decision.decided_by_id, agency_id=decision.agency_id)
        .exclude(manager_id=decision.decided_by_id)
        .values("manager_id")
    )


def may_authorise(person: Any, decision: Decision, *, on: dt.date | None = None) -> bool:
    """The decision-maker's line manager in the decision's agency, or that agency's lead (with
    a post there today); never the person who made the decision (issue 15 item 2)."""
    if person is None or not person.is_authenticated or person.pk == decision.decided_by_id:
        return False
    profile = access_profile(person, on=on or timezone.localdate())
    return decision.agency_id in profile.led_agency_ids or (
        (decision.decided_by_id, decision.agency_id) in profile.report_pairs
    )


def decisions_to_authorise(user: Any) -> QuerySet[Decision]:
    """Decisions waiting for the viewer's authorisation: made by their reports in the agency
    they line-manage them in, or in an agency they lead; never their own (the same people
    ``may_authorise`` names, from the same access profile)."""
    profile = access_profile(user)
    return Decision.objects.live().filter(
        decisions_to_authorise_q(
            person_id=user.pk,
            led_agency_ids=profile.led_agency_ids,
            report_pairs=profile.report_pairs,
        )
    )


def decisions_awaiting_authorisation_by(user: Any) -> list[Decision]:
    """The first hundred decisions to authorise, oldest first, for the oversight page."""
    return list(
        decisions_to_authorise(user)
        .select_related("child", "decided_by", "management_oversight")
        .order_by("decided_on", "id")[:100]
    )


def decision_policy_for(agency_id: int) -> AgencyDecisionPolicy | None:
    return AgencyDecisionPolicy.objects.live().filter(agency_id=agency_id).first()


def oversight_actions(oversight: ManagementOversight) -> QuerySet[Action]:
    return (
        Action.objects.live()
        .filter(origin_oversight=oversight)
        .select_related("owner", "child")
        .prefetch_related(
            Prefetch(
                "follow_ups", queryset=ActionFollowUp.objects.select_related("record__session")
            )
        )
        .order_by("due_on", "id")
    )


def shortfall_agency_ids_for(user: Any) -> set[int]:
    """Agencies the person may raise a shortfall in: where they hold a post and supervise or
    line-manage someone, or hold the supervisor, line manager or lead role (seed 004 "Line
    management"; issue 15 item 3: "a supervisor or line manager records")."""
    profile = access_profile(user)
    members = set(profile.member_agency_ids)
    by_role = (
        profile.agencies_with_role(Role.SUPERVISOR)
        | profile.agencies_with_role(Role.LINE_MANAGER)
        | profile.led_agency_ids
    )
    if profile.supervisee_ids or profile.report_ids:
        return members
    return members & by_role


def shortfalls_visible_to(user: Any) -> QuerySet[ServiceShortfall]:
    """Who sees a shortfall: whoever raised it, the agency's senior managers and its lead.
    Nobody else: not the practitioners, not another agency, not the partnership (the
    dashboard counts them)."""
    profile = access_profile(user)
    agencies = profile.senior_managed_agency_ids | profile.led_agency_ids
    return (
        ServiceShortfall.objects.live()
        .filter(Q(raised_by=user) | Q(agency_id__in=agencies))
        .select_related("agency", "raised_by", "answered_by")
        .order_by("answered_at", "-raised_at", "-id")
    )


def records_to_sign(
    person: Any, *, supervisee_ids: Any, today: dt.date, limit: int = 200
) -> tuple[list[SessionRecord], list[SessionRecord]]:
    """One list, each record once (issue 12 item 1: not three overlapping lists), in two parts:
    the records waiting for ``person``'s signature, and those waiting for someone else's:
    ``person``'s own past the deadline (seed 001 "Recording"; flagged to both, issue 3 item 8)
    and their supervisees' unsigned records. Soonest deadline (most overdue) first. The home,
    which only counts them, reads them in ``home_deadlines``."""
    # One read of every record in either part, split here (issue 17 item 1): the three
    # conditions below are records_awaiting_signature_rows, records_overdue_for and
    # unsigned_records_of_supervisees, each still capped at ``limit``.
    pid = person.pk
    records = SessionRecord.objects.live().filter(
        records_to_sign_scope(pid, supervisee_ids=supervisee_ids, today=today)
    )
    records = records.select_related("session", "session__supervisee", "session__supervisor").defer(
        *WELLBEING_FIELDS
    )
    found = list(records.order_by("sign_by", "pk")[: 3 * limit])
    return split_records(
        found, person_id=pid, supervisee_ids=supervisee_ids, today=today, limit=limit
    )
