"""Management oversight actions, authorisation of decisions and shortfalls reported to senior
managers (seed 004 "Definition" and "Line management"; issue 15 items 1-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_create,
    tracked_update,
)
from oversight.people.models import Agency, Person

from .. import selectors
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

# --- Item 1: management oversight records its own actions ---------------------------------


@transaction.atomic
def oversight_action_add(
    *,
    actor: Person,
    oversight: ManagementOversight,
    description: str,
    owner: Person,
    due_on: dt.date,
    focus: str,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Action:
    """An action from a management oversight record: caseload, practice capability or a
    remedial action, with a date by which its completion is checked (seed 004 Definition).
    Only the person who made the record adds to it."""
    oversight = ManagementOversight.objects.select_for_update().get(pk=oversight.pk)
    if actor.pk != oversight.made_by_id:
        raise ValidationError("Only the person who made the oversight record adds its actions.")
    if earlier := submission_claim(token=submission_token, actor=actor, model=Action):
        return earlier
    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = "Enter what is to be done."
    if focus not in OversightFocus.values:
        errors["focus"] = "Choose what the action is about."
    if due_on < oversight.made_on:
        errors["due_on"] = "The date must be on or after the oversight."
    if owner.pk not in {oversight.made_by_id, oversight.child.allocated_practitioner_id}:
        errors["owner"] = "Choose the child's practitioner or yourself."
    if errors:
        raise ValidationError(errors)
    action = Action(
        origin_oversight=oversight,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        child_id=oversight.child_id,
        focus=focus,
    )
    tracked_create(action, actor=actor)
    submission_record(token=submission_token, target=action)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=action, origin=origin)
    hooks.compliance_changed(person_ids=[action.owner_id])
    return action


@transaction.atomic
def oversight_action_check(
    *,
    actor: Person,
    action: Action,
    outcome: str,
    note: str = "",
    new_due_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Action:
    """The check that an oversight action was completed (seed 004 Definition: "plans for
    assessing completion of required actions"): done, carried forward to a new date, or
    dropped with a reason. The person who made the oversight record checks it."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("origin_oversight")
        .get(pk=action.pk)
    )
    oversight = action.origin_oversight
    if oversight is None or actor.pk != oversight.made_by_id:
        raise ValidationError("Only the person who made the oversight record checks its actions.")
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been closed.")
    note = (note or "").strip()
    today = timezone.localdate()
    if outcome == "done":
        action.status, action.completed_on = ActionStatus.DONE, today
    elif outcome == "dropped":
        if not note:
            raise ValidationError({"note": "Enter why the action is dropped."})
        action.status, action.dropped_reason = ActionStatus.DROPPED, note
    elif outcome == "carried_forward":
        if new_due_on is None or new_due_on < today:
            raise ValidationError({"new_due_on": "Enter a new date, today or later."})
        action.due_on = new_due_on
    else:
        raise ValidationError({"outcome": "Choose done, carried forward or dropped."})
    tracked_update(action, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=action,
        origin=origin,
        detail={"checked": outcome, "due_on": action.due_on.isoformat()},
    )
    hooks.compliance_changed(person_ids=[action.owner_id])
    return action


# --- Item 2: authorisation of decisions at key points -------------------------------------


@transaction.atomic
def decision_policy_set(
    *,
    actor: Person,
    agency: Agency,
    kinds: Iterable[str],
    origin: RequestOrigin | None = None,
) -> AgencyDecisionPolicy:
    """The agency chooses which kinds of decision a line manager must authorise (seed 004
    "Line management"). Applies to decisions made from now on."""
    chosen = sorted(set(kinds))
    if unknown := [k for k in chosen if k not in DecisionKind.values]:
        raise ValidationError({"kinds": f"Choose from the kinds listed ({', '.join(unknown)})."})
    policy = AgencyDecisionPolicy.objects.select_for_update().filter(agency=agency).first()
    if policy is None:
        policy = AgencyDecisionPolicy(agency=agency, kinds_needing_authorisation=chosen)
        tracked_create(policy, actor=actor)
        action = AuditAction.CREATE
    else:
        policy.kinds_needing_authorisation = chosen
        tracked_update(policy, actor=actor)
        action = AuditAction.CHANGE
    audit_event_record(
        actor=actor, action=action, target=policy, origin=origin, detail={"kinds": chosen}
    )
    return policy


def decision_authorisation_request(
    *, actor: Person, decision: Decision, origin: RequestOrigin | None = None
) -> Decision:
    """Called by decision_create, inside its transaction: a kind the agency's policy names
    waits for authorisation, dated and audited."""
    policy = selectors.decision_policy_for(decision.agency_id)
    if policy is None or not policy.needs_authorisation(decision.kind):
        return decision
    decision.authorisation = AuthorisationStatus.AWAITING
    tracked_update(decision, actor=actor)
    AuthorisationStep.objects.create(
        decision=decision, step=AuthorisationStep.Step.REQUESTED, by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=decision,
        origin=origin,
        detail={"authorisation": AuthorisationStatus.AWAITING},
    )
    hooks.event("decision_awaiting_authorisation", decision=decision)
    return decision


@transaction.atomic
def decision_authorise(
    *,
    actor: Person,
    decision: Decision,
    authorise: bool,
    reason: str = "",
    origin: RequestOrigin | None = None,
) -> Decision:
    """The line manager (or the agency's lead) authorises the decision, or returns it with a
    reason (issue 15 item 2). Never the person who made it; never another agency."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not selectors.may_authorise(actor, decision):
        raise ValidationError(
            "Only the line manager of the person who made the decision, or the agency's "
            "safeguarding lead, can authorise it."
        )
    if decision.authorisation != AuthorisationStatus.AWAITING:
        raise ValidationError("This decision is not waiting for authorisation.")
    reason = (reason or "").strip()
    if not authorise and not reason:
        raise ValidationError({"reason": "Enter why you are returning the decision."})
    now = timezone.now()
    decision.authorisation = (
        AuthorisationStatus.AUTHORISED if authorise else AuthorisationStatus.RETURNED
    )
    decision.authorisation_by, decision.authorisation_at = actor, now
    decision.returned_reason = "" if authorise else reason
    tracked_update(decision, actor=actor)
    AuthorisationStep.objects.create(
        decision=decision,
        step=AuthorisationStep.Step.AUTHORISED if authorise else AuthorisationStep.Step.RETURNED,
        by=actor,
        at=now,
        reason=reason,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=decision,
        origin=origin,
        detail={"authorisation": decision.authorisation},
    )
    hooks.event("decision_authorisation_given", decision=decision)
    return decision


# --- Item 3: shortfalls reach senior managers ---------------------------------------------


@transaction.atomic
def shortfall_raise(
    *,
    actor: Person,
    agency: Agency,
    kind: str,
    description: str,
    impact: str = "",
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> ServiceShortfall:
    """A supervisor or line manager tells the agency's senior managers of a factor that may
    harm the service: workload, a resource shortfall, a gap in knowledge or skills (seed 004
    "Line management")."""
    if agency.pk not in selectors.shortfall_agency_ids_for(actor):
        raise ValidationError(
            "Only a supervisor or line manager in this agency can report a shortfall."
        )
    if earlier := submission_claim(token=submission_token, actor=actor, model=ServiceShortfall):
        return earlier
    errors: dict[str, str] = {}
    if kind not in ShortfallKind.values:
        errors["kind"] = "Choose what kind of shortfall it is."
    if not (description or "").strip():
        errors["description"] = "Enter what is happening."
    if errors:
        raise ValidationError(errors)
    shortfall = ServiceShortfall(
        agency=agency,
        kind=kind,
        raised_by=actor,
        description=description.strip(),
        impact=(impact or "").strip(),
    )
    tracked_create(shortfall, actor=actor)
    submission_record(token=submission_token, target=shortfall)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=shortfall, origin=origin)
    hooks.event("shortfall_raised", shortfall=shortfall)
    return shortfall


@transaction.atomic
def shortfall_answer(
    *,
    actor: Person,
    shortfall: ServiceShortfall,
    answer: str,
    origin: RequestOrigin | None = None,
) -> ServiceShortfall:
    """A senior manager of the agency answers (seed 004 "Line management"); the person who
    raised it is told."""
    from oversight.people.selectors import access_profile

    shortfall = ServiceShortfall.objects.select_for_update().get(pk=shortfall.pk)
    if shortfall.agency_id not in access_profile(actor).senior_managed_agency_ids:
        raise ValidationError("Only a senior manager of the agency can answer this.")
    if shortfall.raised_by_id == actor.pk:
        raise ValidationError("Another senior manager answers a shortfall you reported.")
    if shortfall.answered_at is not None:
        raise ValidationError("This has already been answered.")
    if not (answer or "").strip():
        raise ValidationError({"answer": "Enter your answer."})
    shortfall.answer = answer.strip()
    shortfall.answered_by, shortfall.answered_at = actor, timezone.now()
    tracked_update(shortfall, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=shortfall, origin=origin)
    hooks.event("shortfall_answered", shortfall=shortfall)
    return shortfall


__all__ = [
    "decision_authorisation_request",
    "decision_authorise",
    "decision_policy_set",
    "oversight_action_add",
    "oversight_action_check",
    "shortfall_answer",
    "shortfall_raise",
]
