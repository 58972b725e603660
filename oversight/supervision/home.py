"""Home panels: the next session, and what needs the person (issue 12 item 1): records past
their signing deadline, records waiting for their signature, and their actions overdue or due
this week (seed 001 "Recording": records signed and dated; issue 3 item 8: flagged to both
when late). The lists themselves are on the records-to-sign and actions pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import DUE_THIS_WEEK, OVERDUE, TO_DO, Panel, Task

from . import selectors
from .rules import mark_viewer_roles

WEEK = dt.timedelta(days=7)


def panels(request: HttpRequest, profile: Any) -> list[Panel]:
    user = request.user
    if profile.person_id is None or not (profile.member_agency_ids or profile.supervisee_ids):
        return []
    today = timezone.localdate()
    authorising = bool(profile.report_ids or profile.led_agency_ids)
    # One read for the records, actions, sessions attended and decisions to authorise
    # (issue 17 item 1; decision 0024, fifth pass).
    found = selectors.home_deadlines(
        profile.person_id,
        supervisee_ids=profile.supervisee_ids,
        today=today,
        authorising=authorising,
        led_agency_ids=profile.led_agency_ids,
        report_pairs=profile.report_pairs,
    )
    upcoming = selectors.session_next_for(user, attended=found.attended_ids)
    mark_viewer_roles([upcoming], user)
    mine, others = found.records_mine, found.records_others
    records = reverse("supervision:records_to_sign")
    overdue = [r for r in [*mine, *others] if r.is_overdue_on(today)]
    to_sign = [r for r in mine if not r.is_overdue_on(today)]
    this_week = sum(1 for r in to_sign if r.sign_by is not None and r.sign_by <= today + WEEK)
    actions = found.actions
    actions_url = reverse("supervision:action_list")
    late_actions = sum(1 for a in actions if a.is_overdue_on(today))
    week_actions = sum(
        1 for a in actions if not a.is_overdue_on(today) and a.due_on <= today + WEEK
    )
    tasks = [
        Task(
            "records not signed by their deadline",
            len(overdue),
            records,
            OVERDUE,
            order=10,
            one="record not signed by its deadline",
        ),
        Task(
            "of your actions are overdue",
            late_actions,
            actions_url,
            OVERDUE,
            30,
            "of your actions is overdue",
        ),
        Task(
            "records for you to sign this week",
            this_week,
            records,
            DUE_THIS_WEEK,
            10,
            "record for you to sign this week",
        ),
        Task(
            "actions due this week",
            week_actions,
            actions_url,
            DUE_THIS_WEEK,
            30,
            "action due this week",
        ),
        Task(
            "more records waiting for your signature",
            len(to_sign) - this_week,
            records,
            TO_DO,
            10,
            "more record waiting for your signature",
        ),
    ]
    return [
        Panel(
            title="Your next supervision session",
            template_name="supervision/panels/next_session.html",
            context={"session": upcoming},
            order=15,  # first beside the list
            tasks=tasks,
        ),
        *_line_management_panels(user, profile, found.to_authorise),
    ]


def _line_management_panels(user: Any, profile: Any, to_authorise: int) -> list[Panel]:
    """Issue 15 (seed 004 "Line management"): decisions for a line manager or lead to
    authorise, and shortfalls for a senior manager to answer. No query for anyone else."""
    found: list[Panel] = []
    # Counted in home_deadlines, not read (issue 17 item 1): they are listed on the
    # oversight page.
    if to_authorise:
        found.append(
            Panel(
                title="Decisions waiting for your authorisation",
                order=18,
                tasks=[
                    Task(
                        "decisions waiting for your authorisation",
                        to_authorise,
                        reverse("supervision:oversight_list"),
                        DUE_THIS_WEEK,
                        20,
                        "decision waiting for your authorisation",
                    )
                ],
                on_home=False,
            )
        )
    if profile.senior_managed_agency_ids:
        waiting = list(
            selectors.shortfalls_visible_to(user).filter(
                answered_at__isnull=True, agency_id__in=profile.senior_managed_agency_ids
            )[:20]
        )
        # Always shown to a senior manager: the way to every report, answered or not.
        found.append(
            Panel(
                title="Shortfalls waiting for your answer",
                template_name="supervision/panels/shortfalls.html",
                context={"shortfalls": waiting},
                order=18,
                tasks=[
                    Task(
                        "shortfalls waiting for your answer",
                        len(waiting),
                        reverse("supervision:shortfall_list"),
                        DUE_THIS_WEEK,
                        20,
                        "shortfall waiting for your answer",
                    )
                ],
            )
        )
    return found
