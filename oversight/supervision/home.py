"""Home panels: the next session, records awaiting my signature, my open actions (overdue
highlighted) and, for supervisors, their supervisees' unsigned and overdue records (seed 001
"Recording": records signed and dated; issue 3 item 8: flagged to both when late)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from oversight.core.home import Panel
from oversight.core.overdue import mark_overdue

from . import selectors
from .rules import mark_viewer_roles


def panels(request: HttpRequest, profile: Any) -> list[Panel]:
    user = request.user
    if not profile.member_agency_ids and not profile.supervisee_ids:
        return []
    today = timezone.localdate()
    found: list[Panel] = []
    upcoming = selectors.sessions_upcoming(user).first()
    mark_viewer_roles([upcoming], user)
    found.append(
        Panel(
            title="Your next supervision session",
            template_name="supervision/panels/next_session.html",
            context={"session": upcoming},
            order=20,
        )
    )
    awaiting = mark_overdue(selectors.records_awaiting_signature(user), today)
    if awaiting:
        overdue = sum(1 for r in awaiting if r.is_overdue_on(today))
        found.append(
            Panel(
                title="Records awaiting your signature",
                template_name="supervision/panels/records.html",
                context={"records": awaiting},
                order=21,
                counts={"overdue": overdue, "due": len(awaiting)},
            )
        )
    overdue_records = mark_overdue(selectors.records_overdue_for(user, today=today)[:20], today)
    if overdue_records:
        found.append(
            Panel(
                title="Records not signed by their deadline",
                template_name="supervision/panels/records.html",
                context={"records": overdue_records},
                order=19,
                counts={"overdue": len(overdue_records)},
            )
        )
    actions = mark_overdue(selectors.actions_open_for(user)[:20], today)
    if actions:
        found.append(
            Panel(
                title="Your open actions",
                template_name="supervision/panels/actions.html",
                context={"actions": actions},
                order=22,
                counts={"overdue": sum(1 for a in actions if a.is_overdue_on(today))},
            )
        )
    mark_viewer_roles([r.session for r in [*awaiting, *overdue_records]], user)
    if profile.supervisee_ids:
        unsigned = mark_overdue(
            selectors.unsigned_records_of_supervisees(profile.supervisee_ids)[:20], today
        )
        if unsigned:
            mark_viewer_roles([r.session for r in unsigned], user)
            found.append(
                Panel(
                    title="Your supervisees' unsigned records",
                    template_name="supervision/panels/records.html",
                    context={"records": unsigned, "show_supervisee": True},
                    order=23,
                    counts={"overdue": sum(1 for r in unsigned if r.is_overdue_on(today))},
                )
            )
    found += _line_management_panels(user, profile)
    return found


def _line_management_panels(user: Any, profile: Any) -> list[Panel]:
    """Issue 15 (seed 004 "Line management"): decisions for a line manager or lead to
    authorise, and shortfalls for a senior manager to answer. No query for anyone else."""
    found: list[Panel] = []
    if profile.report_ids or profile.led_agency_ids:
        decisions = selectors.decisions_awaiting_authorisation_by(user)
        if decisions:
            found.append(
                Panel(
                    title="Decisions waiting for your authorisation",
                    template_name="supervision/panels/decisions_to_authorise.html",
                    context={"decisions": decisions[:20]},
                    order=18,
                    counts={"due": len(decisions)},
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
                counts={"due": len(waiting)} if waiting else {},
            )
        )
    return found
