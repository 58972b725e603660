"""Home-page panels for children in view: urgent discussion requests (at the very top for the
supervisor), disclosures for the agency lead and the supervisee, and ways to raise a concern.
Children due and overdue for discussion, drift, decisions waiting for the child's file and
escalations are counted in "what needs you today", each linking to its full page (issue 12
item 1: the lists are on the children, decisions and escalations pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import (
    DUE_THIS_WEEK,
    OVERDUE,
    TO_DO,
    Panel,
    Task,
    kept_for_wide_scope,
    shared,
)
from oversight.core.overdue import mark_overdue
from oversight.people.models import Agency
from oversight.people.selectors import AccessProfile

from . import selectors
from .models import ConfidentialityDisclosure
from .rules import Permission

FLAGS_SHOWN = 20


def panels(request: HttpRequest, profile: AccessProfile) -> list[Panel]:
    user: Any = request.user
    if profile.person_id is None:
        return []
    found: list[Panel] = []
    now = timezone.now()
    today = timezone.localdate()

    lists_children = user.has_perm(Permission.LIST_CHILDREN)
    # The person's own requests are shown only with the children panels below.
    waiting, mine = selectors.urgent_requests_of(
        person_id=profile.person_id,
        supervisee_ids=profile.supervisee_ids,
        made_shown=3 if lists_children else 0,
    )
    if waiting:
        found.append(
            Panel(
                title="Urgent discussion requested",
                template_name="children/panels/urgent.html",
                context={"requests": waiting, "now": now},
                order=0,
                counts={"urgent": len(waiting)},
            )
        )
    # Disclosures the person has not seen, as a lead and as the supervisee: one read (issue
    # 17 item 1), split here; each list keeps its order (the newest first).
    led = set(profile.led_agency_ids)
    disclosures = selectors.disclosures_not_seen_by(
        person_id=profile.person_id, led_agency_ids=list(led)
    )
    if led:
        unseen = [d for d in disclosures if d.agency_id in led and d.lead_seen_at is None]
        if unseen:
            found.append(
                Panel(
                    title="Confidentiality disclosures for you",
                    template_name="children/panels/disclosures_lead.html",
                    context={"disclosures": unseen},
                    order=1,
                    counts={"disclosures": len(unseen)},
                )
            )
    told: list[ConfidentialityDisclosure] = [
        d
        for d in disclosures
        if d.supervisee_id == profile.person_id and d.supervisee_seen_at is None
    ]
    if told:
        found.append(
            Panel(
                title="A disclosure was made from your supervision",
                template_name="children/panels/disclosures_supervisee.html",
                context={"disclosures": told},
                order=2,
            )
        )
    if not lists_children:
        return found

    in_view = kept_for_wide_scope(
        profile, "children_counted", today, lambda: _children_in_view(user, profile, today)
    )
    due, flags = in_view.due, min(in_view.flags_open, FLAGS_SHOWN)
    children_url = reverse("children:child_list")
    if due.overdue_count or due.due_soon_count:
        found.append(
            Panel(
                title="Children due for discussion in supervision",
                order=20,
                counts={"overdue": due.overdue_count},
                on_home=False,
                tasks=[
                    Task(
                        "children overdue for discussion",
                        due.overdue_count,
                        f"{children_url}?show=overdue",
                        OVERDUE,
                        20,
                        "child overdue for discussion",
                    ),
                    Task(
                        "children due for discussion in the next 14 days",
                        due.due_soon_count,
                        f"{children_url}?show=due_soon",
                        DUE_THIS_WEEK,
                        20,
                        "child due for discussion in the next 14 days",
                    ),
                ],
            )
        )
    if flags:
        found.append(
            Panel(
                title="Children flagged for drift",
                order=21,
                on_home=False,
                tasks=[
                    Task(
                        "children flagged for drift",
                        flags,
                        f"{children_url}?show=drifting",
                        TO_DO,
                        20,
                        "child flagged for drift",
                        or_more=flags >= FLAGS_SHOWN,
                    )
                ],
            )
        )
    if in_view.decisions_total:
        found.append(
            Panel(
                title="Decisions waiting for the child's file",
                order=22,
                counts={"overdue": in_view.decisions_total},
                on_home=False,
                tasks=[
                    # Overdue or an immediate concern only (decisions_waiting_for_file).
                    Task(
                        "decisions late for the child's file or due today",
                        in_view.decisions_total,
                        reverse("children:decisions_waiting"),
                        OVERDUE,
                        40,
                        "decision late for the child's file or due today",
                    )
                ],
            )
        )
    escalations = mark_overdue(
        (
            e
            for e in selectors.open_escalations_for(profile, shown=50)
            if e.raised_by_id != profile.person_id and not getattr(e, "acknowledged", False)
        ),
        today,
    )
    if escalations:
        late = sum(1 for e in escalations if e.is_overdue_on(today))
        escalations_url = reverse("children:escalation_list")
        found.append(
            Panel(
                title="Escalations awaiting a response",
                template_name="children/panels/escalations.html",
                context={"escalations": escalations},
                order=23,
                on_home=False,
                tasks=[
                    Task(
                        "escalations past their response date",
                        late,
                        escalations_url,
                        OVERDUE,
                        50,
                        "escalation past its response date",
                    ),
                    Task(
                        "escalations awaiting a response",
                        len(escalations) - late,
                        escalations_url,
                        TO_DO,
                        50,
                        "escalation awaiting a response",
                    ),
                ],
            )
        )
    # Concerns raised by someone else reach only their supervisor, line manager or lead: none
    # to read for a person who is none of those (issue 17 item 1).
    concerns: list[Any] = []
    open_in_led: dict[int, int] = {}
    if profile.supervisee_ids or profile.report_ids or profile.led_agency_ids:
        concerns, open_in_led = selectors.concerns_to_resolve(
            user, person_id=profile.person_id, led_agency_ids=profile.led_agency_ids
        )
    tasks = []
    if len(concerns) == 1:  # one is a line in "what needs you today"; several stay listed
        tasks.append(
            Task(
                "concerns about supervision to resolve",
                1,
                reverse("children:concern_detail", args=[concerns[0].pk]),
                TO_DO,
                55,
                "concern about supervision to resolve",
            )
        )
        concerns = []
    found.append(
        Panel(
            title="Raise a concern",
            template_name="children/panels/actions.html",
            tasks=tasks,
            context={
                "concerns": concerns,
                "my_requests": mine,
                "now": now,
                "concern_lists": _concern_lists(request, profile, open_in_led),
            },
            order=90,
        )
    )
    return found


def _concern_lists(
    request: HttpRequest, profile: AccessProfile, counts: dict[int, int]
) -> list[tuple[Agency, int]]:
    """Each agency the person leads, with its open concerns about supervision (``counts``):
    the way to the agency's list of them, open and resolved (seed 001 "Quality Assurance").
    The agencies are the home page's shared read of those led (decision 0024)."""
    if not profile.led_agency_ids:
        return []
    led = set(profile.led_agency_ids)
    agencies: list[Agency] = shared(
        request,
        "led_agencies",
        lambda: list(Agency.objects.filter(pk__in=led).order_by("name")),
    )
    return [
        (agency, counts[agency.pk])
        for agency in agencies
        if agency.pk in counts and agency.archived_at is None
    ]


@dataclass
class ChildrenInView:
    """What the children panels show: counts only, so that a lead's view (thousands of
    children) is small to keep."""

    due: selectors.DueLists
    decisions_total: int
    flags_open: int


def _children_in_view(user: Any, profile: AccessProfile, today: dt.date) -> ChildrenInView:
    """One read (issue 17 item 1): the children due, with the decisions waiting for the
    child's file and the open drift flags on the people's and agencies' children counted
    beside them. The lists are on their own pages (decision 0015), so no rows are loaded.
    The flags are counted, not ordered: given the children as a subquery, ordering them and
    taking the first few made PostgreSQL walk every open flag in date order."""
    visible = selectors.children_visible_to(user)
    concerned = visible.filter(
        Q(allocated_practitioner_id__in=profile.supervisee_ids | profile.report_ids)
        | Q(agency_id__in=profile.led_agency_ids)
    )
    due = selectors.children_due_for(
        user,
        today=today,
        hydrated=False,
        counting=[
            selectors.decisions_waiting_for_file(visible, today=today),
            selectors.drift_flags_open(concerned),
        ],
    )
    decisions, flags = due.counted
    return ChildrenInView(
        due=due.shortened(0),
        decisions_total=decisions,
        flags_open=flags,
    )
