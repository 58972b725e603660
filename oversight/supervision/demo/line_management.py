"""Issue 15 items 1-3 in use for the named sign-ins (seed 004 "Definition" and "Line
management"), made after every app has built its history:

- children's services need a line manager's authorisation for stepping up, closing a case and
  legal planning; supervisor.csc's step-up decision waits for it (lead.csc sees it), and a
  closure by manager.csc was authorised by lead.csc;
- manager.csc's oversight of one of practitioner.csc's children has its own actions: a caseload
  action overdue, a practice-capability one open and a remedial one done;
- manager.csc reported a workload shortfall that senior.csc answered three days later, and
  supervisor.csc a gap in skills that waits for senior.csc (on their home page and in their
  notifications)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.children.models import Child, LegalStatus
from oversight.core import hooks
from oversight.core.demo import DemoContext
from oversight.core.workdays import add_working_days

from ..models import (
    Action,
    ActionStatus,
    AgencyDecisionPolicy,
    AuthorisationStatus,
    AuthorisationStep,
    Decision,
    DecisionKind,
    ManagementOversight,
    OversightFocus,
    ServiceShortfall,
    ShortfallKind,
)
from .common import _at


def finish(ctx: DemoContext) -> None:
    personas = ctx.shared.get("personas", {})
    names = ("lead.csc", "manager.csc", "supervisor.csc", "practitioner.csc", "senior.csc")
    if any(personas.get(n) is None for n in names):
        return
    lead, manager, supervisor, practitioner, senior = (personas[n] for n in names)
    child = (
        Child.objects.live()
        .filter(allocated_practitioner=practitioner)
        .exclude(legal_status=LegalStatus.CLOSED)
        .order_by("pk")
        .first()
    )
    if child is None:
        return
    today = ctx.today
    agency_id = child.agency_id
    AgencyDecisionPolicy.objects.create(
        agency_id=agency_id,
        kinds_needing_authorisation=[
            DecisionKind.CLOSURE,
            DecisionKind.LEGAL,
            DecisionKind.STEP_UP,
        ],
        created_by=lead,
        modified_by=lead,
    )
    _authorisations(today, child, agency_id, lead=lead, manager=manager, supervisor=supervisor)
    _oversight_actions(today, child, agency_id, manager=manager, practitioner=practitioner)
    _shortfalls(today, agency_id, manager=manager, supervisor=supervisor, senior=senior)


def _oversight(day: dt.date, child: Child, agency_id: int, by: Any, summary: str) -> Any:
    return ManagementOversight.objects.create(
        child=child,
        agency_id=agency_id,
        made_by=by,
        made_on=day,
        summary=summary,
        created_by=by,
        modified_by=by,
        created_at=_at(day, 15),
        modified_at=_at(day, 15),
    )


def _decision(day: dt.date, oversight: Any, by: Any, kind: str, text: str, why: str) -> Any:
    return Decision.objects.create(
        child_id=oversight.child_id,
        agency_id=oversight.agency_id,
        decided_on=day,
        decided_by=by,
        decision=text,
        rationale=why,
        kind=kind,
        authorisation=AuthorisationStatus.AWAITING,
        file_due_on=add_working_days(day, 2),
        management_oversight=oversight,
        created_by=by,
        modified_by=by,
        created_at=_at(day, 15),
        modified_at=_at(day, 15),
    )


def _authorisations(
    today: dt.date, child: Child, agency_id: int, *, lead: Any, manager: Any, supervisor: Any
) -> None:
    day = today - dt.timedelta(days=1)
    waiting = _decision(
        day,
        _oversight(day, child, agency_id, supervisor, "Review after a police notification."),
        supervisor,
        DecisionKind.STEP_UP,
        "Step up to a strategy discussion",
        "A second police notification of domestic abuse in four weeks.",
    )
    AuthorisationStep.objects.create(
        decision=waiting, step=AuthorisationStep.Step.REQUESTED, by=supervisor, at=_at(day, 15)
    )
    earlier = today - dt.timedelta(days=20)
    closed = _decision(
        earlier,
        _oversight(earlier, child, agency_id, manager, "Closure review of a sibling's case."),
        manager,
        DecisionKind.CLOSURE,
        "Close the sibling's early help episode",
        "All plan outcomes met; school and health visitor agree.",
    )
    authorised_at = _at(earlier + dt.timedelta(days=1), 10)
    AuthorisationStep.objects.bulk_create(
        [
            AuthorisationStep(
                decision=closed,
                step=AuthorisationStep.Step.REQUESTED,
                by=manager,
                at=_at(earlier, 15),
            ),
            AuthorisationStep(
                decision=closed, step=AuthorisationStep.Step.AUTHORISED, by=lead, at=authorised_at
            ),
        ]
    )
    Decision.objects.filter(pk=closed.pk).update(
        authorisation=AuthorisationStatus.AUTHORISED,
        authorisation_by=lead,
        authorisation_at=authorised_at,
    )


def _oversight_actions(
    today: dt.date, child: Child, agency_id: int, *, manager: Any, practitioner: Any
) -> None:
    """Seed 004 Definition: caseload, practice capability and remedial actions, with plans
    for checking they were completed."""
    day = today - dt.timedelta(days=21)
    oversight = _oversight(
        day,
        child,
        agency_id,
        manager,
        "Caseload and practice review with the practitioner: 24 children allocated.",
    )
    stamps = {
        "origin_oversight": oversight,
        "child": child,
        "created_by": manager,
        "modified_by": manager,
        "created_at": _at(day, 16),
        "modified_at": _at(day, 16),
    }
    Action.objects.bulk_create(
        [
            Action(
                description="Reallocate three early help families to bring the caseload to 21",
                owner=manager,
                due_on=today - dt.timedelta(days=3),
                focus=OversightFocus.CASELOAD,
                **stamps,
            ),
            Action(
                description="Observe a home visit and give feedback on direct work with the child",
                owner=practitioner,
                due_on=today + dt.timedelta(days=10),
                focus=OversightFocus.PRACTICE_CAPABILITY,
                **stamps,
            ),
            Action(
                description="Bring the chronology up to date on the case system",
                owner=practitioner,
                due_on=day + dt.timedelta(days=7),
                focus=OversightFocus.REMEDIAL,
                status=ActionStatus.DONE,
                completed_on=day + dt.timedelta(days=6),
                **stamps,
            ),
        ]
    )


def _shortfalls(
    today: dt.date, agency_id: int, *, manager: Any, supervisor: Any, senior: Any
) -> None:
    raised = _at(today - dt.timedelta(days=12), 9)
    ServiceShortfall.objects.create(
        agency_id=agency_id,
        kind=ShortfallKind.WORKLOAD,
        raised_by=manager,
        raised_at=raised,
        description="Two social worker vacancies: average caseload in the team is 24.",
        impact="Visits to children in need are slipping past their due dates.",
        answer="Two agency social workers start next month; new allocations paused until then.",
        answered_by=senior,
        answered_at=raised + dt.timedelta(days=3),
        created_by=manager,
        modified_by=senior,
        created_at=raised,
        modified_at=raised + dt.timedelta(days=3),
    )
    waiting = ServiceShortfall.objects.create(
        agency_id=agency_id,
        kind=ShortfallKind.KNOWLEDGE,
        raised_by=supervisor,
        raised_at=_at(today - dt.timedelta(days=2), 11),
        description="Nobody in the team is trained in the graded care profile for neglect.",
        impact="Neglect assessments are delayed while we borrow another team's worker.",
        created_by=supervisor,
        modified_by=supervisor,
    )
    hooks.event("shortfall_raised", shortfall=waiting)
