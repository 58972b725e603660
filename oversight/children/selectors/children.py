"""Reads about children: who each person has in view, when each child is next due to be
discussed, drift, escalations, urgent requests, disclosures and decisions waiting for the
child's file."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from oversight.core.prepared import prepared
from oversight.people.models import Person
from oversight.people.selectors import AccessProfile, access_profile

from .. import cadence as rules_of_cadence
from .. import discussions as supervision_records
from ..cadence import Cadence, DriftThresholds
from ..models import (
    CADENCE_STATUSES,
    AgencyInvolvement,
    Child,
    ChildAllocation,
    ChildStatus,
    ConcernStage,
    ConfidentialityDisclosure,
    DriftFlag,
    DriftSettings,
    Escalation,
    EscalationStatus,
    EscalationStep,
    PlanContribution,
    QualityConcern,
    ReviewMeeting,
    UrgentDiscussionRequest,
    UrgentRequestStatus,
)

# --- Settings -------------------------------------------------------------------------------


def drift_settings_for(agency_id: int) -> DriftSettings:
    """The agency's settings, or the defaults (an unsaved row) if it has none."""
    found = DriftSettings.objects.live().filter(agency_id=agency_id).first()
    return found or DriftSettings(agency_id=agency_id)


def thresholds_of(settings: DriftSettings) -> DriftThresholds:
    return DriftThresholds(
        consecutive_enabled=settings.consecutive_enabled,
        consecutive_count=settings.consecutive_count,
        worsening_enabled=settings.worsening_enabled,
        overdue_enabled=settings.overdue_enabled,
        repeated_enabled=settings.repeated_enabled,
        repeated_count=settings.repeated_count,
        repeated_months=settings.repeated_months,
    )


@dataclass
class AgencyRules:
    """What the cadence of one agency's children depends on, on one day."""

    ceiling_days: int
    window_working_days: int
    nation: str
    settings: DriftSettings


def agency_rules(agency_ids: set[int] | QuerySet[Any], *, on: dt.date) -> dict[int, AgencyRules]:
    """Per agency: the child-discussion ceiling in the agency-wide policy in force ``on``
    (as contracts.agency_policies_in_force: the latest agency-wide policy in force), the
    pre-review window and the nation. ``agency_ids`` may be a query of ids (the agencies of
    the children a list shows). One query however many agencies and children (issue 17 item
    1): the agencies, their settings joined and their policy's ceiling as a subquery."""
    if isinstance(agency_ids, set) and not agency_ids:
        return {}
    agencies = (
        _agencies_with_rules(agency_ids=list(agency_ids), on=on)
        if isinstance(agency_ids, set)
        else _agencies_with_rules.build(agency_ids=agency_ids, on=on)
    )
    read = {agency.pk: agency for agency in agencies}
    return _rules_of(read, agency_ids if isinstance(agency_ids, set) else read)


def agency_rules_in_view(profile: AccessProfile, *, on: dt.date) -> dict[int, AgencyRules]:
    """``agency_rules`` for every agency holding a child in ``profile``'s view
    (``visible_children_q``): all that any of their lists or panels can need, in one read
    compiled once per shape. Asked through a subquery of the children a list shows, the same
    read was compiled on every view (about 2 ms of CPU, issue 17 item 1)."""
    if profile.person_id is None:
        return {}
    people, led = _in_view(profile)
    read = {a.pk: a for a in _agencies_with_rules_in_view(people=people, led=led, on=on)}
    return _rules_of(read, read)


def _rules_of(read: dict[int, Any], agency_ids: Iterable[int]) -> dict[int, AgencyRules]:
    """Each agency's rules from its row as ``_agencies_with_rules`` reads it (the defaults for
    an agency not read)."""
    from oversight.contracts.models import SupervisionPolicy

    default_ceiling = SupervisionPolicy().child_discussion_ceiling_days
    found: dict[int, AgencyRules] = {}
    for agency_id in agency_ids:
        agency = read.get(agency_id)
        s = getattr(agency, "drift_settings", None) if agency is not None else None
        if s is None or s.archived_at is not None:
            s = DriftSettings(agency_id=agency_id)
        policy_ceiling = getattr(agency, "policy_ceiling", None)
        found[agency_id] = AgencyRules(
            ceiling_days=min(
                default_ceiling if policy_ceiling is None else policy_ceiling,
                rules_of_cadence.DEFAULT_CEILING_DAYS,
            ),
            window_working_days=s.pre_review_working_days,
            nation=agency.nation if agency is not None else "ENG",
            settings=s,
        )
    return found


@prepared
def _agencies_with_rules(*, agency_ids: Any, on: dt.date) -> QuerySet[Any]:
    """The agencies with their drift settings and the ceiling of their agency-wide policy in
    force ``on``; compiled once per shape when ``agency_ids`` is a list (core.prepared)."""
    from oversight.contracts.models import SupervisionPolicy
    from oversight.people.models import Agency

    ceiling = (
        SupervisionPolicy.objects.live()
        .filter(agency_id=OuterRef("pk"), staff_group__isnull=True, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .values("child_discussion_ceiling_days")[:1]
    )
    return (
        Agency.objects.filter(pk__in=agency_ids)
        .select_related("drift_settings")
        .annotate(policy_ceiling=Subquery(ceiling))
    )


# --- Who sees which children -----------------------------------------------------------------


def visible_children_q(profile: AccessProfile) -> Q:
    """Children with personal details in view: allocated to me, to someone I supervise or
    line-manage, or owned by an agency I lead. Nobody sees another agency's children."""
    if profile.person_id is None:
        return Q(pk__in=[])
    return _in_view_q(*_in_view(profile))


def _in_view(profile: AccessProfile) -> tuple[list[int], list[int]]:
    """(the people whose allocated children are in view, the agencies led)."""
    people = {profile.person_id} | set(profile.supervisee_ids) | set(profile.report_ids)
    return sorted(p for p in people if p is not None), sorted(profile.led_agency_ids)


def _in_view_q(people: list[int], led: list[int]) -> Q:
    scope = Q(allocated_practitioner_id__in=people)
    if led:
        scope |= Q(agency_id__in=led)
    return scope


@prepared
def _agencies_with_rules_in_view(*, people: list[int], led: list[int], on: dt.date) -> Any:
    """``_agencies_with_rules`` of the agencies holding a live child in view (compiled once
    per shape, core.prepared)."""
    held = Child.objects.live().filter(_in_view_q(people, led)).order_by().values("agency_id")
    return _agencies_with_rules.build(agency_ids=held, on=on)


def children_visible_to(user: Any) -> QuerySet[Child]:
    return Child.objects.live().filter(visible_children_q(access_profile(user)))


def children_matching(
    children: QuerySet[Child], *, text: str = "", legal_status: str = ""
) -> QuerySet[Child]:
    """The children list's search: part of a name or case reference, and a legal status."""
    if text:
        children = children.filter(
            Q(display_name__icontains=text) | Q(case_reference__icontains=text)
        )
    if legal_status:
        children = children.filter(legal_status=legal_status)
    return children


def with_cadence(
    children: QuerySet[Child], *, today: dt.date, lean: bool = False
) -> QuerySet[Child]:
    """Annotate what the cadence and the list pages need, as subqueries (no per-row queries):
    ``last_discussed_on``, ``last_rag``, ``next_meeting_on``, ``next_meeting_kind``,
    ``previous_meeting_on`` and ``open_flags``. ``lean`` keeps only what the cadence rules
    read (the dates), for figures over a whole partnership."""
    meetings = ReviewMeeting.objects.live().filter(child=OuterRef("pk"))
    upcoming = meetings.filter(meets_on__gte=today).order_by("meets_on", "id")
    children = children.annotate(
        # A child registered without a status date has had its status since it was added.
        status_since=Coalesce("legal_status_since", TruncDate("created_at")),
        next_meeting_on=Subquery(upcoming.values("meets_on")[:1]),
        previous_meeting_on=Subquery(
            meetings.filter(meets_on__lt=today)
            .order_by()
            .values("child")
            .annotate(m=Max("meets_on"))
            .values("m")[:1]
        ),
    )
    if not lean:
        children = children.annotate(
            next_meeting_kind=Subquery(upcoming.values("kind")[:1]),
            open_flags=Coalesce(
                Subquery(
                    DriftFlag.objects.live()
                    .filter(child=OuterRef("pk"), acknowledged_at__isnull=True)
                    .order_by()
                    .values("child")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
    latest = (
        supervision_records.discussions()
        .filter(child=OuterRef("pk"), discussed_on__lte=today)
        .order_by("-discussed_on", "-id")
    )
    children = children.annotate(last_discussed_on=Subquery(latest.values("discussed_on")[:1]))
    if not lean:
        children = children.annotate(last_rag=Subquery(latest.values("rag_rating")[:1]))
    return children.select_related("agency", "allocated_practitioner")


def cadence_of(child: Any, rules: AgencyRules, *, today: dt.date) -> Cadence:
    """The cadence of a child annotated by ``with_cadence``."""
    return rules_of_cadence.next_discussion_due(
        status=child.legal_status,
        status_since=child.status_since,
        last_discussed_on=getattr(child, "last_discussed_on", None),
        ceiling_days=rules.ceiling_days,
        next_meeting_on=getattr(child, "next_meeting_on", None),
        previous_meeting_on=getattr(child, "previous_meeting_on", None),
        window_working_days=rules.window_working_days,
        nation=rules.nation,
    )


@dataclass
class ChildRow:
    child: Any
    cadence: Cadence
    overdue: bool
    due_soon: bool
    # The window before the next review meeting is open and nothing in it has prepared for
    # the meeting yet (seed 004 objective 4).
    discuss_before_review: bool = False


# What the cadence rules and the lists' sorting need; the rest of a child is loaded only for
# the rows a page shows (``hydrate``), so an agency of thousands of children stays quick.
CADENCE_FIELDS = (
    "pk",
    "display_name",
    "agency_id",
    "legal_status",
    "legal_status_since",
    "allocated_practitioner_id",
)


def child_rows(children: QuerySet[Child], *, today: dt.date, lean: bool = False) -> list[ChildRow]:
    """Each child with its cadence, in one query plus agency settings. Each ``row.child`` is
    a light summary (the fields above and the ``with_cadence`` annotations); call
    ``hydrate`` on the rows a page shows."""
    annotated = with_cadence(children, today=today, lean=lean)
    listed = [
        SimpleNamespace(**values)
        for values in annotated.values(*CADENCE_FIELDS, *annotated.query.annotations)
    ]
    rules = agency_rules({c.agency_id for c in listed}, on=today)
    rows = []
    for child in listed:
        c = cadence_of(child, rules[child.agency_id], today=today)
        rows.append(
            ChildRow(
                child,
                c,
                c.is_overdue(today),
                c.is_due_soon(today),
                c.discuss_before_review(today),
            )
        )
    return rows


def child_rows_showing(rows: list[ChildRow], show: str) -> list[ChildRow]:
    """The rows the children list's "Show" choice keeps: overdue, due soon, to discuss before
    the review, drifting or all."""
    keep = {
        "overdue": lambda r: r.overdue,
        "due_soon": lambda r: r.due_soon,
        "before_review": lambda r: r.discuss_before_review,
        "drifting": lambda r: bool(r.child.open_flags),
    }.get(show)
    return [r for r in rows if keep(r)] if keep else rows


def hydrate(rows: Iterable[ChildRow], *, today: dt.date) -> list[ChildRow]:
    """Replace the light summaries in ``rows`` with the children themselves (agency, allocated
    practitioner and the cadence annotations loaded): one query for any number of rows."""
    rows = list(rows)
    ids = [row.child.pk for row in rows if not isinstance(row.child, Child)]
    if ids:
        found = {c.pk: c for c in with_cadence(Child.objects.filter(pk__in=ids), today=today)}
        for row in rows:
            row.child = found.get(row.child.pk, row.child)
    return rows


# Home panels list this many of each (overdue, due soon); the counts cover them all.
DUE_SHOWN = 10


@dataclass
class DueLists:
    """Children due and overdue for discussion, most overdue first. The first ``DUE_SHOWN``
    of each list are hydrated children; the counts are the lists' lengths."""

    overdue: list[ChildRow] = field(default_factory=list)
    due_soon: list[ChildRow] = field(default_factory=list)
    # Set by ``shortened``: how many there were before the lists were cut.
    overdue_total: int | None = None
    due_soon_total: int | None = None
    # Set by ``paged.due_lists(counting=...)``: the rows of each query counted in the same read.
    counted: list[int] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return len(self.overdue) if self.overdue_total is None else self.overdue_total

    @property
    def due_soon_count(self) -> int:
        return len(self.due_soon) if self.due_soon_total is None else self.due_soon_total

    def shortened(self, length: int) -> DueLists:
        """The first ``length`` of each list, with the counts of all."""
        return DueLists(
            overdue=self.overdue[:length],
            due_soon=self.due_soon[:length],
            overdue_total=self.overdue_count,
            due_soon_total=self.due_soon_count,
            counted=self.counted,
        )


def _due_lists(rows: list[ChildRow], *, today: dt.date, hydrated: bool = True) -> DueLists:
    lists = DueLists()
    for row in rows:
        if row.overdue:
            lists.overdue.append(row)
        elif row.due_soon:
            lists.due_soon.append(row)
    lists.overdue.sort(key=lambda r: (r.cadence.due_on, r.child.display_name))
    lists.due_soon.sort(key=lambda r: (r.cadence.due_on, r.child.display_name))
    if hydrated:
        hydrate(lists.overdue[:DUE_SHOWN] + lists.due_soon[:DUE_SHOWN], today=today)
    return lists


def _in_cadence(children: QuerySet[Child]) -> QuerySet[Child]:
    return children.filter(legal_status__in=CADENCE_STATUSES)


# --- One child --------------------------------------------------------------------------------


def child_detail(*, child_id: int, live: bool = False, cadence_on: dt.date | None = None) -> Child:
    """One child with what its page shows. ``live``: an archived child is not found (raises
    ``Child.DoesNotExist``), so the page needs no read of its own to check; ``cadence_on``:
    with what its cadence on that day reads (``with_cadence``), so that ``child_cadence``
    does not read the child again; its current involvements, which its rule reads, are taken
    from its history rather than read again (issue 17 item 1)."""
    children: QuerySet[Child] = Child.objects.live() if live else Child.objects.all()
    if cadence_on is not None:
        children = with_cadence(children, today=cadence_on)
    child = (
        children.select_related("agency", "allocated_practitioner")
        .prefetch_related(
            "agencies_involved",
            Prefetch(
                "status_history",
                queryset=ChildStatus.objects.live().order_by("-starts_on", "-id"),
                to_attr="statuses",
            ),
            Prefetch(
                "allocations",
                queryset=ChildAllocation.objects.live()
                .select_related("practitioner")
                .order_by("-starts_on", "-id"),
                to_attr="allocation_history",
            ),
            Prefetch(
                "involvements",
                queryset=AgencyInvolvement.objects.live()
                .select_related("agency", "allocated_worker")
                .order_by("-starts_on", "agency__name"),
                to_attr="involvement_history",
            ),
            Prefetch(
                "plan_contributions",
                queryset=PlanContribution.objects.live()
                .select_related("agency", "modified_by")
                .order_by("agency__name"),
                to_attr="plans",
            ),
            Prefetch(
                "review_meetings",
                queryset=ReviewMeeting.objects.live()
                .prefetch_related("agencies_expected")
                .order_by("meets_on", "id"),
                to_attr="meetings",
            ),
            Prefetch(
                "drift_flags",
                queryset=DriftFlag.objects.live().select_related("acknowledged_by"),
                to_attr="flags",
            ),
        )
        .get(pk=child_id)
    )
    child.cadence_on = cadence_on  # type: ignore[attr-defined]
    day = timezone.localdate()
    child.current_involvements = sorted(  # type: ignore[attr-defined]
        (i for i in child.involvement_history if i.is_current_on(day) and i.case_reference),
        key=lambda i: (i.starts_on, i.pk),
    )
    return child


def _current_involvements() -> Prefetch:
    """The agencies involved with the child now, which its access rule reads (issue 13)."""
    return Prefetch(
        "involvements",
        queryset=AgencyInvolvement.objects.current()
        .exclude(case_reference="")
        .select_related("agency", "allocated_worker")
        .order_by("starts_on", "id"),
        to_attr="current_involvements",
    )


def child_for_timeline(*, child_id: int) -> Child:
    """A live child with what its RAG timeline shows (statuses, review meetings, drift
    flags) and what its rule reads (current involvements), not its whole file: issue 17
    item 1, a page reads what it shows. Raises ``Child.DoesNotExist`` as ``child_detail``."""
    return (
        Child.objects.live()
        .select_related("agency", "allocated_practitioner")
        .prefetch_related(
            Prefetch(
                "status_history",
                queryset=ChildStatus.objects.live().order_by("-starts_on", "-id"),
                to_attr="statuses",
            ),
            _current_involvements(),
            Prefetch(
                "review_meetings",
                queryset=ReviewMeeting.objects.live().order_by("meets_on", "id"),
                to_attr="meetings",
            ),
            Prefetch("drift_flags", queryset=DriftFlag.objects.live(), to_attr="flags"),
        )
        .get(pk=child_id)
    )


def child_cadence(child: Child, *, today: dt.date) -> Cadence:
    """The child's cadence on ``today``; the child is read again with its cadence unless
    ``child_detail(cadence_on=today)`` read it so."""
    if getattr(child, "cadence_on", None) == today:
        annotated = child
    else:
        annotated = with_cadence(Child.objects.filter(pk=child.pk), today=today).get()
    rules = agency_rules({child.agency_id}, on=today)[child.agency_id]
    return cadence_of(annotated, rules, today=today)


def rag_history(child_id: int) -> list[tuple[dt.date, str]]:
    """The child's RAG ratings across discussions, oldest first. Only dates and ratings: the
    discussions themselves stay in the confidential supervision records."""
    return list(
        supervision_records.discussions()
        .filter(child_id=child_id)
        .order_by("discussed_on", "id")
        .values_list("discussed_on", "rag_rating")
    )


def ratings_by_child(child_ids: list[int]) -> dict[int, list[tuple[dt.date, str]]]:
    found: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    if not child_ids:
        return found
    rows = (
        supervision_records.discussions()
        .filter(child_id__in=child_ids)
        .order_by("child_id", "discussed_on", "id")
        .values_list("child_id", "discussed_on", "rag_rating")
    )
    for child_id, on, rag in rows.iterator(chunk_size=5000):
        found[child_id].append((on, rag))
    return found


def drift_flags_open(children: QuerySet[Child] | list[int]) -> QuerySet[DriftFlag]:
    """Open flags on these children (a query, or their ids), the longest open first."""
    return (
        DriftFlag.objects.live()
        .filter(acknowledged_at__isnull=True, child__in=children)
        .select_related("child", "child__allocated_practitioner")
        .order_by("raised_on", "id")
    )


# --- Escalations, urgent requests, disclosures, concerns ------------------------------------


def escalations_visible_q(profile: AccessProfile) -> Q:
    """Raised by me, by someone I supervise or line-manage; in or about an agency I lead."""
    if profile.person_id is None:
        return Q(pk__in=[])
    people = {profile.person_id} | set(profile.supervisee_ids) | set(profile.report_ids)
    scope = Q(raised_by_id__in=people)
    if profile.led_agency_ids:
        scope |= Q(agency_id__in=profile.led_agency_ids) | Q(
            about_agency_id__in=profile.led_agency_ids
        )
    return scope


def escalations_for(user: Any) -> QuerySet[Escalation]:
    return _escalations_in(escalations_visible_q(access_profile(user)))


def open_escalations_for(profile: AccessProfile, *, shown: int) -> list[Escalation]:
    """The first ``shown`` open escalations the person sees (``escalations_visible_q``), in
    the list's order, for the home page: a read compiled once (core.prepared)."""
    if profile.person_id is None:
        return []
    return _open_escalations(
        people=[profile.person_id, *profile.supervisee_ids, *profile.report_ids],
        led_agency_ids=list(profile.led_agency_ids),
        shown=shown,
    )


@prepared(shaped=("shown",))
def _open_escalations(
    *, people: list[int], led_agency_ids: list[int], shown: int
) -> QuerySet[Escalation]:
    scope = Q(raised_by_id__in=people)
    if led_agency_ids:
        scope |= Q(agency_id__in=led_agency_ids) | Q(about_agency_id__in=led_agency_ids)
    return _escalations_in(scope).filter(status=EscalationStatus.OPEN)[:shown]


def _escalations_in(scope: Q) -> QuerySet[Escalation]:
    current = EscalationStep.objects.filter(escalation=OuterRef("pk"), ended_on__isnull=True)
    return (
        Escalation.objects.live()
        .filter(scope)
        .select_related("agency", "about_agency", "child", "raised_by")
        .annotate(
            response_due_on=Subquery(current.values("response_due_on")[:1]),
            acknowledged=Exists(current.filter(acknowledged_at__isnull=False)),
        )
        .order_by("status", "response_due_on", "-id")
    )


def escalation_detail(*, escalation_id: int) -> Escalation:
    return (
        Escalation.objects.select_related(
            "agency", "about_agency", "child", "raised_by", "resolved_by"
        )
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=EscalationStep.objects.select_related("acknowledged_by").order_by(
                    "started_on", "id"
                ),
                to_attr="step_list",
            )
        )
        .get(pk=escalation_id)
    )


def current_step(escalation: Escalation) -> EscalationStep | None:
    steps = getattr(escalation, "step_list", None)
    if steps is None:
        steps = list(escalation.steps.order_by("started_on", "id"))
    open_steps = [s for s in steps if s.ended_on is None]
    return open_steps[-1] if open_steps else None


def urgent_requests_waiting_for(
    *, supervisor_id: int, supervisee_ids: Iterable[int] | None = None
) -> QuerySet[UrgentDiscussionRequest]:
    """Requests waiting for this supervisor; given ``supervisee_ids`` (the access profile's),
    only from the people they supervise today (decision 0002: a former supervisor is no
    longer asked)."""
    requests = UrgentDiscussionRequest.objects.live()
    if supervisee_ids is not None:
        requests = requests.filter(requested_by_id__in=list(supervisee_ids))
    return (
        requests.filter(supervisor_id=supervisor_id, status=UrgentRequestStatus.WAITING)
        .select_related("requested_by", "child")
        .order_by("requested_at", "id")
    )


def urgent_requests_made_by(*, person_id: int) -> QuerySet[UrgentDiscussionRequest]:
    return (
        UrgentDiscussionRequest.objects.live()
        .filter(requested_by_id=person_id)
        .select_related("supervisor", "child", "responded_by")
        .order_by("-requested_at", "-id")
    )


def urgent_requests_of(
    *, person_id: int, supervisee_ids: Iterable[int], made_shown: int = 3
) -> tuple[list[UrgentDiscussionRequest], list[UrgentDiscussionRequest]]:
    """Those waiting for the person from the people they supervise today (oldest first, as
    ``urgent_requests_waiting_for``) and the last ``made_shown`` they made (newest first, as
    ``urgent_requests_made_by``): one read for the home page (issue 17 item 1), the person's
    own cut to the last few in the database. None waiting and none asked for: no query."""
    found: list[UrgentDiscussionRequest] = _urgent_requests(
        person_id=person_id, supervisee_ids=list(supervisee_ids), made_shown=made_shown
    )
    mine = [r for r in reversed(found) if r.requested_by_id == person_id]
    return [r for r in found if r.requested_by_id != person_id], mine


@prepared(shaped=("made_shown",))
def _urgent_requests(
    *, person_id: int, supervisee_ids: list[int], made_shown: int
) -> QuerySet[UrgentDiscussionRequest]:
    made = Q(requested_by_id=person_id)
    waiting = Q(
        supervisor_id=person_id,
        status=UrgentRequestStatus.WAITING,
        requested_by_id__in=supervisee_ids,
    )
    requests = UrgentDiscussionRequest.objects.live()
    if made_shown:
        newest_made = Window(
            RowNumber(),
            partition_by=[F("requested_by_id")],
            order_by=[F("requested_at").desc(), F("id").desc()],
        )
        requests = (
            requests.filter(made | waiting)
            .annotate(newest_made=newest_made)
            .filter(Q(newest_made__lte=made_shown) | ~made)
        )
    else:
        requests = requests.filter(waiting)
    return requests.select_related("requested_by", "supervisor", "child", "responded_by").order_by(
        "requested_at", "id"
    )


def disclosures_for_lead(*, agency_ids: set[int]) -> QuerySet[ConfidentialityDisclosure]:
    """What the agency safeguarding lead may see: the disclosure, never the record."""
    return (
        ConfidentialityDisclosure.objects.live()
        .filter(agency_id__in=agency_ids)
        .select_related("made_by", "supervisee", "child", "agency")
        .order_by("lead_seen_at", "-made_at")
    )


@prepared
def disclosures_not_seen_by(
    *, person_id: int, led_agency_ids: list[int]
) -> QuerySet[ConfidentialityDisclosure]:
    """Disclosures the person has not yet seen, as the supervisee and as the lead of the
    agency (the newest first): one read for the home page, compiled once (core.prepared)."""
    not_seen = Q(supervisee_id=person_id, supervisee_seen_at__isnull=True)
    if led_agency_ids:
        not_seen |= Q(agency_id__in=led_agency_ids, lead_seen_at__isnull=True)
    return (
        ConfidentialityDisclosure.objects.live()
        .filter(not_seen)
        .select_related("made_by", "supervisee", "child", "agency")
        .order_by("-made_at", "-id")
    )


def disclosures_about(*, supervisee_id: int) -> QuerySet[ConfidentialityDisclosure]:
    return (
        ConfidentialityDisclosure.objects.live()
        .filter(supervisee_id=supervisee_id)
        .select_related("made_by")
        .order_by("-made_at")
    )


def quality_concerns_for(user: Any) -> QuerySet[QualityConcern]:
    profile = access_profile(user)
    return _open_concerns_in(
        _concerns_scope(
            person_id=profile.person_id,
            supervisee_ids=profile.supervisee_ids,
            report_ids=profile.report_ids,
            led_agency_ids=profile.led_agency_ids,
        )
    )


def _concerns_scope(
    *,
    person_id: Any,
    supervisee_ids: Iterable[int],
    report_ids: Iterable[int],
    led_agency_ids: Iterable[int],
) -> Q:
    scope = Q(raised_by_id=person_id)
    scope |= Q(supervisor_id=person_id, raised_by_id__in=supervisee_ids)
    scope |= Q(raised_by_id__in=report_ids)
    if led_agency_ids:
        scope |= Q(agency_id__in=led_agency_ids)
    return scope


def _open_concerns_in(scope: Q) -> QuerySet[QualityConcern]:
    return (
        QualityConcern.objects.live()
        .filter(scope)
        .exclude(stage=ConcernStage.RESOLVED)
        .select_related("raised_by", "supervisor")
        .order_by("created_at")
    )


@prepared
def _concerns_reaching(
    *, person_id: int, supervisee_ids: list[int], report_ids: list[int], led_agency_ids: list[int]
) -> QuerySet[QualityConcern]:
    """``concerns_to_resolve``'s read, compiled once per shape (core.prepared)."""
    scope = _concerns_scope(
        person_id=person_id,
        supervisee_ids=supervisee_ids,
        report_ids=report_ids,
        led_agency_ids=led_agency_ids,
    )
    return _open_concerns_in(scope).filter(
        ~Q(raised_by_id=person_id) | Q(agency_id__in=led_agency_ids)
    )


CONCERN_STATES = ("open", "resolved")


def quality_concerns_of_agency(*, agency_id: int, state: str = "") -> QuerySet[QualityConcern]:
    """Every concern about supervision raised in the agency, open and resolved, for its lead
    (seed 001 "Quality Assurance"): who raised it, the stage it reached, the outcomes and who
    agreed them. ``state`` is "open", "resolved" or "" for both; open ones first, then the
    newest."""
    concerns = QualityConcern.objects.live().filter(agency_id=agency_id)
    if state == "open":
        concerns = concerns.exclude(stage=ConcernStage.RESOLVED)
    elif state == "resolved":
        concerns = concerns.filter(stage=ConcernStage.RESOLVED)
    return (
        concerns.select_related(
            "raised_by",
            "supervisor",
            "one_to_one_recorded_by",
            "three_way_recorded_by",
            "resolved_by",
        )
        .prefetch_related(
            Prefetch(
                "three_way_attendees",
                queryset=Person.objects.order_by("family_name", "given_name"),
                to_attr="attendee_list",
            )
        )
        .annotate(
            resolved_last=Case(When(stage=ConcernStage.RESOLVED, then=Value(1)), default=Value(0))
        )
        .order_by("resolved_last", "-created_at", "-id")
    )


def concerns_to_resolve(
    user: Any, *, person_id: int, led_agency_ids: Iterable[int]
) -> tuple[list[QualityConcern], dict[int, int]]:
    """The open concerns about supervision raised by others that reach the person (as
    ``quality_concerns_for``), and how many are open in each agency they lead, their own
    included (as ``open_quality_concern_counts``): one read (issue 17 item 1). Every open
    concern in a led agency reaches its lead, so the counts are the rows'."""
    led = set(led_agency_ids)
    profile = access_profile(user)
    found: list[QualityConcern] = _concerns_reaching(
        person_id=person_id,
        supervisee_ids=list(profile.supervisee_ids),
        report_ids=list(profile.report_ids),
        led_agency_ids=list(led),
    )
    counts = dict.fromkeys(led, 0)
    for concern in found:
        if concern.agency_id in led:
            counts[concern.agency_id] += 1
    return [c for c in found if c.raised_by_id != person_id], counts


def open_quality_concern_counts(agency_ids: set[int]) -> dict[int, int]:
    """Open concerns about supervision in each agency: one query."""
    found = dict.fromkeys(agency_ids, 0)
    rows = (
        QualityConcern.objects.live()
        .filter(agency_id__in=agency_ids)
        .exclude(stage=ConcernStage.RESOLVED)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    found.update(dict(rows))
    return found


# --- Decisions on the child's file (seed 001 standard 6) -------------------------------------


def decisions_waiting_for_file(children: QuerySet[Child], *, today: dt.date) -> QuerySet[Any]:
    """Decisions about these children not yet on the child's file that are overdue (due date
    passed) or an immediate concern (action the same day), oldest first. A queryset, so that a
    page can count them all and show a few."""
    return (
        supervision_records.decisions()
        .filter(child__in=children, recorded_on_file_at__isnull=True)
        .filter(Q(file_due_on__lt=today) | Q(immediate_concern=True))
        .select_related("child", "decided_by")
        .order_by("-immediate_concern", "file_due_on", "id")
    )
