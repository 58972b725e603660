"""Home panels (issue 5 item 2): for supervisors and line managers, each person they supervise
or manage with the last and next session and what needs attention; for line managers and agency
leads, compliance by team and staff group with the names of those who need attention (own scope
only); for the partnership auditor, the way to the partnership dashboard; for supervisees, the
evaluation and wellbeing pulse when due. Since issue 12 item 1 the home page shows these as
counts in "what needs you today", each linking to the full page (your supervisees and reports,
compliance, evaluation); only the auditor's and the lead's ways in stay as panels."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oversight.core.home import (
    OVERDUE,
    TO_DO,
    Panel,
    Task,
    is_wide_scope,
    kept_for_wide_scope,
    shared,
)
from oversight.people.home import led_agencies
from oversight.people.selectors import access_profile
from oversight.supervision.rules import Permission as SupervisionPermission

from . import selectors
from .compliance import PersonCompliance, compliance_for, summarise, total
from .selectors import compliance_columns, compliance_row, compliance_rows
from .supervisees import supervision_of_my_people
from .tables import Table

NAMES_ON_HOME = 10
MY_PEOPLE_SHOWN = 20  # most overdue first; a line manager's hundreds are on the compliance page


def panels(request: HttpRequest, profile: Any) -> list[Panel]:
    if profile.person_id is None:
        return []
    found: list[Panel] = []
    today = timezone.localdate()
    # Compliance of the person's supervisees and reports: read once, when first needed, for
    # both the "your people" count and the staff count (issue 17 item 1: a line manager's
    # reports were read twice).
    people = profile.supervisee_ids | profile.report_ids
    people_rows = functools.cache(lambda: compliance_for(on=today, person_ids=people))
    agency_rows: Callable[[], list[PersonCompliance] | None] = lambda: None  # noqa: E731
    if profile.led_agency_ids:
        # A lead's agencies and their own people in one pass (issue 17 item 1): each row
        # depends only on its post, so the two sets are split from one read.
        led = set(profile.led_agency_ids)
        both = functools.cache(
            lambda: compliance_for(on=today, agency_ids=led, also_person_ids=people)
        )
        people_rows = functools.cache(lambda: [r for r in both() if r.person_id in people])
        agency_rows = lambda: [r for r in both() if r.agency_id in led]  # noqa: E731
    mine = (
        _my_people_panel(request.user, profile, today, people_rows)
        if profile.supervisee_ids or profile.report_ids
        else []
    )
    staff = None
    if profile.led_agency_ids or profile.report_ids:
        staff = dict(
            kept_for_wide_scope(
                profile,
                "staff-home",
                today,
                lambda: _staff_compliance(request.user, profile, today, people_rows, agency_rows),
            )
        )
    _headlines(mine[0].context if mine else None, staff)
    if staff is not None and mine and mine[0].context["whom"] == "reports":
        # A line manager's staff are their reports: one count, not the same one twice.
        mine[0].tasks = []
    found.extend(mine)
    if staff is not None:
        compliance = reverse("assurance:compliance")
        found.append(
            Panel(
                title="Supervision compliance of your staff",
                template_name="",  # tasks only (on_home=False)
                context=staff,
                order=30,
                counts={"staff overdue for supervision": staff["overdue_total"]},
                on_home=False,
                tasks=[
                    Task(
                        "of your staff are overdue for supervision",
                        staff["overdue_total"],
                        f"{compliance}?attention=on",
                        OVERDUE,
                        15,
                        "of your staff is overdue for supervision",
                    ),
                    Task(
                        "more of your staff need attention",
                        staff["attention_total"] - staff["overdue_total"],
                        f"{compliance}?attention=on",
                        TO_DO,
                        15,
                        "more of your staff needs attention",
                    ),
                ],
            )
        )
    if profile.led_agency_ids:
        found.append(
            Panel(
                title="Your agency's supervision",
                template_name="assurance/home_lead.html",
                context={"led": led_agencies(request, profile)},
                order=40,
            )
        )
    if profile.is_partnership_auditor:
        found.append(
            Panel(
                title="Partnership dashboard and record audits",
                template_name="assurance/home_auditor.html",
                context={},
                order=30,
            )
        )
    if profile.member_agency_ids:
        evaluated, pulse_given = selectors.answered_by(person_id=profile.person_id, on=today)
        due = selectors.evaluations_due(
            person_id=profile.person_id,
            on=today,
            supervisors=shared(request, "supervisors", lambda: None),
            answered=evaluated,
        )
        pulse_due = not pulse_given
        if due or pulse_due:
            evaluations = (
                reverse("assurance:evaluation_form", args=[due[0].pk])
                if len(due) == 1
                else reverse("assurance:evaluation_list")
            )
            found.append(
                Panel(
                    title="Tell us how supervision is going",
                    template_name="assurance/home_prompts.html",
                    context={"due": due, "pulse_due": pulse_due},
                    order=80,
                    counts={"evaluations to give": len(due)},
                    on_home=False,
                    tasks=[
                        Task(
                            "evaluations of your supervision to give",
                            len(due),
                            evaluations,
                            TO_DO,
                            80,
                            "evaluation of your supervision to give",
                        ),
                        Task(
                            "wellbeing pulse to answer this quarter (optional)",
                            int(pulse_due),
                            reverse("assurance:pulse"),
                            TO_DO,
                            81,
                        ),
                    ],
                )
            )
    return found


def my_people_context(
    user: Any,
    *,
    shown: int | None = MY_PEOPLE_SHOWN,
    compliance: Callable[[], list[PersonCompliance]] | None = None,
) -> dict[str, Any]:
    """The person's supervisees and reports with their last and next sessions, most overdue
    first (the first ``shown``, or all), and how many are overdue or need attention.
    ``compliance`` gives their compliance rows when the caller reads them anyway."""
    profile = access_profile(user)
    today = timezone.localdate()
    person_id = profile.person_id
    if person_id is None:
        return {"rows": [], "total": 0}
    rows = kept_for_wide_scope(
        profile,
        "my-people",
        today,
        lambda: supervision_of_my_people(
            person_id=person_id,
            on=today,
            now=timezone.now(),
            supervised=profile.supervisee_pairs,
            managed=profile.report_pairs,
            compliance=compliance() if compliance else None,
        ),
    )
    if not rows:
        return {"rows": [], "total": 0}
    supervises = any(r.supervised_by_viewer for r in rows)
    manages = any(r.managed_by_viewer for r in rows)
    whom = (
        "supervisees and reports"
        if supervises and manages
        else ("supervisees" if supervises else "reports")
    )
    listed = rows if shown is None else rows[:shown]
    for r in listed:
        r.can_open_next = r.next_session is not None and user.has_perm(
            SupervisionPermission.ACT_AS_SUPERVISOR, r.next_session
        )
    context = {
        "rows": listed,
        "total": len(rows),
        "whom": whom,
        "overdue": sum(1 for r in rows if r.compliance.days_overdue),
        "attention": sum(1 for r in rows if r.needs_attention),
        "show_relation": len({r.relation for r in rows}) > 1,
    }
    _headlines(context, None)
    return context


def _my_people_panel(
    user: Any, profile: Any, today: dt.date, compliance: Callable[[], list[PersonCompliance]]
) -> list[Panel]:
    context = my_people_context(user, shown=0, compliance=compliance)
    if not context["rows"] and not context["total"]:
        return []
    url = reverse("assurance:my_people")
    whom = context["whom"]
    return [
        Panel(
            title=f"Your {whom}: last and next sessions",
            template_name="assurance/home_my_people.html",
            context=context,
            order=18,
            counts={"overdue for supervision": context["overdue"]},
            on_home=False,
            tasks=[
                Task(
                    f"of your {whom} are overdue for supervision",
                    context["overdue"],
                    url,
                    OVERDUE,
                    14,
                    f"of your {whom} is overdue for supervision",
                ),
            ],
        )
    ]


def _headlines(mine: dict[str, Any] | None, staff: dict[str, Any] | None) -> None:
    """The one-line summary at the top of each compliance panel. A panel says "Up to date"
    only when nothing in either panel is overdue or needs attention: a lead's direct reports
    can all be in time while others in the agency are not, and the page must not say "Up to
    date" above "3 of your staff are overdue" (issue 9 item 9)."""
    overdue_anywhere = bool(
        (mine and (mine["overdue"] or mine["attention"]))
        or (staff and (staff["overdue_total"] or staff["attention_total"]))
    )
    if mine is not None:
        mine["headline"] = _headline(
            overdue=mine["overdue"],
            attention=mine["attention"],
            whom=f"your {mine['whom']}",
            nobody=f"None of your {mine['whom']} is overdue for supervision",
            up_to_date=not overdue_anywhere,
        )
    if staff is not None:
        staff["headline"] = _headline(
            overdue=staff["overdue_total"],
            attention=staff["attention_total"],
            whom="your staff",
            nobody="Nobody is overdue for supervision",
            up_to_date=not overdue_anywhere,
        )


def _headline(
    *, overdue: int, attention: int, whom: str, nobody: str, up_to_date: bool
) -> dict[str, str]:
    if overdue:
        verb = "is" if overdue == 1 else "are"
        text = f"{overdue} of {whom} {verb} overdue for supervision."
        return {"tag": "Overdue", "colour": "red", "text": text}
    if attention:
        verb = "needs" if attention == 1 else "need"
        return {"tag": "", "colour": "", "text": f"{nobody}; {attention} {verb} attention."}
    if not up_to_date:
        return {"tag": "", "colour": "", "text": f"{nobody}."}
    return {"tag": "Up to date", "colour": "green", "text": f"{nobody}."}


def _staff_compliance(
    user: Any,
    profile: Any,
    today: dt.date,
    people_rows: Callable[[], list[PersonCompliance]],
    agency_rows: Callable[[], list[PersonCompliance] | None],
) -> dict[str, Any]:
    """The panel's figures and the names of those who need attention most: small to keep,
    from the rows the compliance page keeps too."""
    rows = kept_for_wide_scope(
        profile,
        "staff",
        today,
        lambda: selectors.named_compliance_rows(
            user,
            today,
            of_people=people_rows() if profile.report_ids else None,
            of_agencies=agency_rows(),
        ),
    )
    attention = sorted((r for r in rows if r.issues), key=lambda r: (-r.days_overdue, r.name))
    by_team = summarise(
        rows,
        key=lambda r: (r.agency_name, r.team_name),
        label=lambda r: f"{r.team_name}, {r.agency_name}",
    )
    by_group = summarise(
        rows,
        key=lambda r: (r.agency_name, r.staff_group_name),
        label=lambda r: f"{r.staff_group_name}, {r.agency_name}",
    )
    return {
        "attention": attention[:NAMES_ON_HOME],
        "more": max(0, len(attention) - NAMES_ON_HOME),
        "overdue_total": sum(1 for r in rows if r.days_overdue),
        "attention_total": len(attention),
        "all": compliance_row(total(rows)),
        "tables": [
            Table(
                "home_team",
                "By team",
                compliance_columns("Team"),
                compliance_rows(by_team),
            ),
            Table(
                "home_group",
                "By staff group",
                compliance_columns("Staff group"),
                compliance_rows(by_group),
            ),
        ],
        "led": sorted(profile.led_agency_ids),
        "computed_at": timezone.now() if is_wide_scope(profile) else None,
    }
