"""Reads across the agencies involved with a child (issue 13): each agency's involvement, its
last discussion date and RAG rating, shared review meetings and escalations between agencies.
Only dates, ratings and names leave an agency: never discussion text, wellbeing or records
(seed 003). Every read runs a fixed number of queries however many agencies or children."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery

from oversight.core.paging import KeysFirst
from oversight.core.prepared import prepared
from oversight.people.selectors import access_profile

from .. import discussions as supervision_records
from ..models import (
    AgencyInvolvement,
    Child,
    DriftFlag,
    Escalation,
    EscalationStatus,
    EscalationStep,
    ReviewMeeting,
)
from .children import _in_view


@dataclass
class AgencyPart:
    """One involved agency on a child's multi-agency summary."""

    agency: Any
    starts_on: dt.date | None
    contact: Any  # the allocated worker: the agency's named contact for the child
    lawful_basis: str
    holds_register: bool
    case_reference: str = ""  # shown to the agency's own people only
    last_discussed_on: dt.date | None = None
    last_rag: str = ""

    @property
    def rag_label(self) -> str:
        return {"green": "Improving", "amber": "Staying the same", "red": "Getting worse"}.get(
            self.last_rag, ""
        )


@dataclass
class MultiAgencySummary:
    parts: list[AgencyPart] = field(default_factory=list)
    open_flags: list[DriftFlag] = field(default_factory=list)
    upcoming_meetings: list[ReviewMeeting] = field(default_factory=list)
    past_meetings: list[ReviewMeeting] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    # Each agency's contribution to the plan (the plan only, never discussion notes).
    plans: list[Any] = field(default_factory=list)

    @property
    def agency_count(self) -> int:
        return len(self.parts)


def current_involvements(child_ids: Iterable[int], *, on: dt.date) -> dict[int, list[Any]]:
    """Per child: its current involvements of the agencies' own (not the owner's labels), with
    agency and allocated worker; one query."""
    found: dict[int, list[Any]] = defaultdict(list)
    rows = (
        AgencyInvolvement.objects.on(on)
        .filter(child_id__in=list(child_ids))
        .exclude(case_reference="")
        .select_related("agency", "allocated_worker")
        .order_by("starts_on", "id")
    )
    for row in rows:
        found[row.child_id].append(row)
    return found


def latest_by_agency(
    child_ids: Iterable[int], *, on: dt.date
) -> dict[int, dict[int, tuple[dt.date, str]]]:
    """Per child, per agency: the date and rating of that agency's latest discussion on or
    before ``on``; one query. Reads only the agency, date and rating of each discussion."""
    path = supervision_records.agency_path()
    found: dict[int, dict[int, tuple[dt.date, str]]] = defaultdict(dict)
    rows = (
        supervision_records.discussions()
        .filter(child_id__in=list(child_ids), discussed_on__lte=on)
        .order_by("child_id", path, "-discussed_on", "-id")
        .values_list("child_id", path, "discussed_on", "rag_rating")
    )
    for child_id, agency_id, discussed_on, rag in rows.iterator(chunk_size=5000):
        found[child_id].setdefault(agency_id, (discussed_on, rag))
    return found


def discussions_by_agency(
    child_ids: Iterable[int], *, on: dt.date
) -> dict[int, list[tuple[dt.date, int, str]]]:
    """Per child: every discussion on or before ``on`` as (date, agency id, rating), oldest
    first; one query. Reads only the agency, date and rating of each discussion."""
    path = supervision_records.agency_path()
    found: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    rows = (
        supervision_records.discussions()
        .filter(child_id__in=list(child_ids), discussed_on__lte=on)
        .order_by("child_id", "discussed_on", "id")
        .values_list("child_id", "discussed_on", path, "rag_rating")
    )
    for child_id, discussed_on, agency_id, rag in rows.iterator(chunk_size=5000):
        found[child_id].append((discussed_on, agency_id, rag))
    return found


def parts_of(child: Any, involvements: list[Any]) -> list[AgencyPart]:
    """The agencies involved: the one holding the child on its register first (from its
    involvement, or from the child's own fields where it has none), then the others in the
    order they became involved."""
    parts: list[AgencyPart] = []
    owner = [i for i in involvements if i.agency_id == child.agency_id]
    if owner:
        i = owner[0]
        parts.append(AgencyPart(i.agency, i.starts_on, i.allocated_worker, i.lawful_basis, True))
    else:
        parts.append(
            AgencyPart(
                child.agency,
                child.legal_status_since,
                child.allocated_practitioner,
                "",
                True,
            )
        )
    parts[0].case_reference = child.case_reference
    for i in involvements:
        if i.agency_id != child.agency_id:
            parts.append(
                AgencyPart(
                    i.agency,
                    i.starts_on,
                    i.allocated_worker,
                    i.get_lawful_basis_display(),
                    False,
                    case_reference=i.case_reference,
                )
            )
    return parts


def multi_agency_summary(
    child: Child, *, today: dt.date, viewer_agency_ids: set[int]
) -> MultiAgencySummary:
    """What every involved agency sees of the child (issue 13 item 2). ``child`` comes from
    ``child_detail`` (involvements, meetings and flags prefetched). Case references are
    shown only to the agency that holds them. Two queries, whatever the number of agencies."""
    involvements = getattr(child, "current_involvements", None)
    if involvements is None:
        involvements = current_involvements([child.pk], on=today)[child.pk]
    parts = parts_of(child, involvements)
    latest = latest_by_agency([child.pk], on=today).get(child.pk, {})
    for part in parts:
        part.last_discussed_on, part.last_rag = latest.get(part.agency.pk, (None, ""))
        if part.agency.pk not in viewer_agency_ids:
            part.case_reference = ""
    current = EscalationStep.objects.filter(escalation=OuterRef("pk"), ended_on__isnull=True)
    escalations = list(
        Escalation.objects.live()
        .filter(child=child, status=EscalationStatus.OPEN, about_agency__isnull=False)
        .select_related("agency", "about_agency")
        .annotate(response_due_on=Subquery(current.values("response_due_on")[:1]))
        .order_by("created_at", "id")
    )
    meetings = list(getattr(child, "meetings", []))
    return MultiAgencySummary(
        parts=parts,
        open_flags=[f for f in getattr(child, "flags", []) if f.is_open],
        upcoming_meetings=[m for m in meetings if m.meets_on >= today],
        past_meetings=[m for m in meetings if m.meets_on < today][::-1][:5],
        escalations=escalations,
        plans=list(getattr(child, "plans", [])),
    )


def involvements_of_viewer(user: Any, *, on: dt.date) -> QuerySet[AgencyInvolvement]:
    """The viewer's own agencies' current involvements with children another agency holds:
    allocated to them or to someone they supervise or line-manage, or in an agency they lead;
    by the child's name, then the involvement. All of them, unread: ``involvement_page`` reads
    one page (issue 17). Never another agency's children beyond these."""
    scope = _involvement_scope(user)
    if scope is None:
        return AgencyInvolvement.objects.none()
    return _involvements_in_scope(people=scope[0], led=scope[1], on=on)


def _involvement_scope(user: Any) -> tuple[list[int], list[int]] | None:
    """(the people whose allocations the viewer sees, the agencies they lead); None for
    someone who is no one's colleague (a service account)."""
    profile = access_profile(user)
    if profile.person_id is None:
        return None
    return _in_view(profile)


def _involvements_in_scope(
    *, people: list[int], led: list[int], on: dt.date
) -> QuerySet[AgencyInvolvement]:
    scope = Q(allocated_worker_id__in=people) | Q(agency_id__in=led)
    return (
        AgencyInvolvement.objects.on(on)
        .exclude(case_reference="")
        .filter(scope, held_elsewhere=True, child__archived_at__isnull=True)
        .select_related("child", "child__agency", "agency", "allocated_worker")
        .order_by("child__display_name", "id")
    )


@prepared
def _involvements_by_id(
    *, ids: list[int], people: list[int], led: list[int], on: dt.date
) -> QuerySet[AgencyInvolvement]:
    """The involvements ``ids`` that are still the viewer's and current (compiled once per
    shape, core.prepared)."""
    return _involvements_in_scope(people=people, led=led, on=on).filter(pk__in=ids)


@dataclass
class InvolvementPage:
    """One page of the viewer's involvements; ``page.paginator.count`` is how many in all.
    The view marks each row ``can_end``."""

    page: Page

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)


def involvement_page(
    user: Any, *, on: dt.date, page: Any = 1, per_page: int = 25
) -> InvolvementPage:
    """One page of ``involvements_of_viewer`` (the last if ``page`` is past the end, the first
    if it is not a number, as ``Paginator.get_page``). A lead's agency is involved with
    thousands of children another agency holds, and the list showed the first 200 of them,
    saying nothing of the rest, on every view (issue 17). Two queries, whatever their number:
    one count, one page of rows with their child, holding agency, agency and worker, chosen
    by their keys first (``core.paging.KeysFirst``)."""
    paginator = Paginator(KeysFirst(involvements_of_viewer(user, on=on)), per_page)
    listed = paginator.get_page(page)
    listed.object_list = list(listed.object_list) if paginator.count else []
    return InvolvementPage(page=listed)


def involvement_order(user: Any, *, on: dt.date) -> list[int]:
    """The ids of ``involvements_of_viewer``, in its order: what a wide view (an agency's
    lead, involved with thousands of children held elsewhere) keeps for a few minutes, as
    it keeps its children's order, so that each view reads only the page it shows instead
    of counting and sorting them all again (issue 17 item 3)."""
    return list(involvements_of_viewer(user, on=on).values_list("pk", flat=True))


def involvement_page_of(
    user: Any, order: list[int], *, on: dt.date, page: Any = 1, per_page: int = 25
) -> InvolvementPage:
    """One page of a kept ``involvement_order``, paged as ``involvement_page``: its
    involvements read as they are now, and only those the viewer still sees and that are
    still current (one query, compiled once per shape)."""
    listed = Paginator(order, per_page).get_page(page)
    ids = list(listed.object_list)
    scope = _involvement_scope(user)
    found = (
        {i.pk: i for i in _involvements_by_id(ids=ids, people=scope[0], led=scope[1], on=on)}
        if ids and scope is not None
        else {}
    )
    listed.object_list = [found[pk] for pk in ids if pk in found]
    return InvolvementPage(page=listed)
