"""Recording a session on the Appendix III template, following up earlier actions, and
sign-off (issue 3 items 5 and 8). A signed record is never changed: only addenda."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from oversight.children.models import Child
from oversight.children.services import drift_evaluate, meeting_tallies_recount
from oversight.core import events, hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    submission_claim,
    submission_record,
    tracked_create,
    tracked_edit,
    tracked_update,
)
from oversight.people.models import Person

from ..models import (
    PROCESS_REVIEW_FIELDS,
    WELLBEING_FIELDS,
    Action,
    ActionFollowUp,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    FollowUpOutcome,
    Function,
    KeyElement,
    RecordStatus,
    ReviewAnswer,
    ReviewTheme,
    Session,
    SessionRecord,
    SessionStatus,
    SignedContent,
    Stakeholder,
)
from ..prompts import ALL_STAGE_FIELDS, TOOLS
from ..reflection import default_tool_key
from ..selectors import previous_held_on, record_for, records_unsealed
from ..signed import addendum_hash, signed_content_build
from .oversight import DecisionInput, decision_create
from .sessions import _compliance_changed, next_session_proposal, record_deadline
from .tallies import day_tallies_recount

LOCKED_MESSAGE = (
    "This record has been signed by both people and cannot be changed. "
    "Add an addendum to correct it."
)
RECORD_FIELDS = (
    "last_session_on",
    "agenda_notes",
    "learning_development",
    "next_session_on",
    "functions_served",
    "key_elements",
    "started_at",
    "ended_at",
    *WELLBEING_FIELDS,
)
DISCUSSION_FIELDS = (
    "rag_rating",
    "identified_needs",
    "risks",
    "family_engagement",
    "plan_and_contributions",
    "plan_amendment",
    "refusal_action",
    *ALL_STAGE_FIELDS,
    "specialist_referral",
    "specialist_referral_detail",
    "review_themes",
    "reflective_tool",
    "stakeholders",
)


@dataclass(frozen=True)
class FollowUpInput:
    action_id: int
    outcome: str
    note: str = ""
    new_due_on: dt.date | None = None


def _lock_record(record: SessionRecord) -> SessionRecord:
    return (
        SessionRecord.objects.select_for_update()
        .select_related("session", "session__agency")
        .get(pk=record.pk)
    )


def record_seal(*, record: SessionRecord) -> SignedContent:
    """Store what was signed, as it reads now, with its hash, once the record is fully
    signed (issue 10 item 4): the signed page and PDF render from it from then on."""
    sealed = signed_content_build(record_for(session_id=record.session_id, with_wellbeing=True))
    sealed.save()
    return sealed


def records_seal_unsealed(*, batch: int = 1000, workers: int = 1) -> int:
    """Seal every fully signed record that has no stored snapshot yet, in batches: records
    the demo writes in bulk, and those signed before snapshots existed (taken as they read
    now, the nearest to what was signed that is left). Returns how many were sealed.

    With ``workers`` > 1 the records are split into that many ranges, each sealed by its own
    process with its own connection (issue 17 item 4: sealing half a million demo records was
    most of the large demo's build). The records must be committed, so this refuses to run
    inside a transaction."""
    pending = records_unsealed()
    if workers <= 1:
        return _seal(pending, batch=batch)
    if connection.in_atomic_block:
        raise RuntimeError("Seal in parallel only outside a transaction: workers can't see it.")
    pks = list(pending.values_list("pk", flat=True))
    if not pks:
        return 0
    step = -(-len(pks) // workers)
    bounds = [(pks[i], pks[min(i + step, len(pks)) - 1]) for i in range(0, len(pks), step)]
    connections.close_all()  # each process opens its own; none may share this one
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(bounds), mp_context=context) as pool:
        done = pool.map(_seal_range, bounds, [batch] * len(bounds))
        return sum(done)


def _seal_range(bounds: tuple[int, int], batch: int) -> int:
    first, last = bounds
    try:
        return _seal(records_unsealed().filter(pk__gte=first, pk__lte=last), batch=batch)
    finally:
        connections.close_all()


def _seal(pending: Any, *, batch: int) -> int:
    sealed = last = 0
    while True:
        # Keyset paging: each batch starts after the last one, so the database never walks
        # past the records already sealed (issue 17 item 4: on the large demo, re-reading
        # from the start made sealing quadratic).
        chunk = list(pending.filter(pk__gt=last)[:batch])
        if not chunk:
            return sealed
        SignedContent.objects.bulk_create(signed_content_build(record) for record in chunk)
        sealed += len(chunk)
        last = chunk[-1].pk


def _ensure_supervisor(actor: Person, session: Session) -> None:
    if actor.pk != session.supervisor_id:
        raise ValidationError("Only the supervisor records the session.")


def _ensure_editable(record: SessionRecord) -> None:
    if record.is_locked:
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def _reopen(record: SessionRecord) -> bool:
    """A change after the supervisor signed withdraws that signature: they sign again."""
    if record.status != RecordStatus.AWAITING_SUPERVISEE:
        return False
    record.status = RecordStatus.DRAFT
    record.supervisor_signed_at = None
    record.supervisor_signed_by = None
    return True


def _touch(record: SessionRecord, actor: Person) -> SessionRecord:
    """Bump the record's version when its parts change, so an open editor sees it is stale."""
    reopened = _reopen(record)
    tracked_update(record, actor=actor)
    if reopened:
        audit_event_record(
            actor=actor, action=AuditAction.CHANGE, target=record, detail={"signature": "withdrawn"}
        )
    return record


def _clean_record_data(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {k: data[k] for k in RECORD_FIELDS if k in data}
    for key, allowed in (
        ("functions_served", Function.values),
        ("key_elements", KeyElement.values),
    ):
        if key in clean:
            values = list(clean[key] or [])
            if set(values) - set(allowed):
                raise ValidationError({key: "Choose from the options given."})
            clean[key] = [v for v in allowed if v in values]
    # Issue 15 item 8: the actual times are optional, but an end comes after the start.
    started, ended = clean.get("started_at"), clean.get("ended_at")
    if started is not None and ended is not None and ended <= started:
        raise ValidationError({"ended_at": "The time the session ended must be after it started."})
    return clean


def _clean_process_review(review: Mapping[str, str] | None) -> dict[str, str]:
    """The optional questions reviewing supervision itself (seed 004 "The Supervision
    Process"; issue 15 item 10). Blank answers are allowed; anything else must be a choice."""
    review = review or {}
    clean = {name: (review.get(name) or "").strip() for name in PROCESS_REVIEW_FIELDS}
    for name in ("review_protected_time", "review_helpful"):
        if clean[name] and clean[name] not in ReviewAnswer.values:
            raise ValidationError({name: "Choose yes, partly or no, or leave it blank."})
    return clean


@transaction.atomic
def session_record(
    *,
    actor: Person,
    session: Session,
    held_on: dt.date,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    follow_ups: Iterable[FollowUpInput] = (),
    origin: RequestOrigin | None = None,
) -> SessionRecord:
    """Save the record of a session as a draft (issue 3 item 5). The first save marks the
    session held and sets the sign-by date. A save from a stale form is refused
    (StaleEditError) and nothing is written."""
    session = Session.objects.select_for_update().select_related("agency").get(pk=session.pk)
    _ensure_supervisor(actor, session)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.HELD):
        raise ValidationError(
            f"This session was {session.get_status_display().lower()}; there is nothing to record."
        )
    if timezone.localdate(session.planned_start) > timezone.localdate():
        raise ValidationError("This session has not happened yet. Move it if it was held early.")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The session date cannot be in the future."})
    ended = session.supervision_ended_before(held_on)
    if ended is not None:
        raise ValidationError(
            {
                "held_on": f"Your supervision of {session.supervisee} ended on "
                f"{ended:%-d %B %Y}. A session after that is recorded by their new supervisor."
            }
        )
    clean = _clean_record_data(data)
    next_on = clean.get("next_session_on")
    if next_on is not None and next_on <= held_on:
        raise ValidationError({"next_session_on": "The next session must be after this one."})
    record = SessionRecord.objects.select_for_update().filter(session=session).first()
    created = record is None
    elements_before = None if record is None else record.key_elements
    if record is None:
        record = SessionRecord(session=session, **clean)
    else:
        _ensure_editable(record)
        for key, value in clean.items():
            setattr(record, key, value)
        _reopen(record)
    record.sign_by = record_deadline(session=session, held_on=held_on)
    if created:
        tracked_create(record, actor=actor)
    elif expected_version is None:
        # The page was opened before anyone had saved this record.
        raise StaleEditError()
    else:
        tracked_edit(record, actor=actor, expected_version=expected_version)
    was_held_on = session.held_on
    moved = was_held_on is not None and was_held_on != held_on
    if session.status != SessionStatus.HELD or session.held_on != held_on:
        session.status = SessionStatus.HELD
        session.held_on = held_on
        tracked_update(session, actor=actor)
        CaseDiscussion.objects.filter(record=record).update(discussed_on=held_on)
        _compliance_changed(session)
    # A new record, other key elements or another day change what the day tallies count
    # (decision 0033); a save of the notes alone does not.
    if created or moved or record.key_elements != elements_before:
        day_tallies_recount(
            agency_id=session.agency_id,
            days={held_on, *([was_held_on] if was_held_on and moved else [])},
            child_ids=(
                CaseDiscussion.objects.filter(record=record).values_list("child_id", flat=True)
                if moved
                else ()
            ),
        )
    if moved:  # its discussions moved: the meetings after them (decision 0035)
        meeting_tallies_recount(
            child_ids=CaseDiscussion.objects.filter(record=record).values_list(
                "child_id", flat=True
            )
        )
    for item in follow_ups:
        _apply_follow_up(actor=actor, record=record, item=item, origin=origin)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=record,
        origin=origin,
        detail={"version": record.version},
    )
    return record


def _apply_follow_up(
    *, actor: Person, record: SessionRecord, item: FollowUpInput, origin: RequestOrigin | None
) -> ActionFollowUp:
    action = Action.objects.select_for_update().get(pk=item.action_id)
    if action.origin_record_id == record.pk:
        raise ValidationError(
            "An action is followed up at a later session, not the one it came from."
        )
    if item.outcome not in FollowUpOutcome.values:
        raise ValidationError({f"followup_{action.pk}": "Choose done, carried forward or dropped."})
    note = (item.note or "").strip()
    if item.outcome == FollowUpOutcome.DROPPED and not note:
        raise ValidationError({f"followup_{action.pk}_note": "Enter why the action is dropped."})
    follow_up = ActionFollowUp.objects.filter(action=action, record=record).first()
    if follow_up is None:
        follow_up = ActionFollowUp(action=action, record=record)
        follow_up.outcome, follow_up.note, follow_up.new_due_on = (
            item.outcome,
            note,
            item.new_due_on,
        )
        tracked_create(follow_up, actor=actor)
    else:
        follow_up.outcome, follow_up.note, follow_up.new_due_on = (
            item.outcome,
            note,
            item.new_due_on,
        )
        tracked_update(follow_up, actor=actor)
    held_on = record.session.held_on or timezone.localdate()
    action.status = {
        FollowUpOutcome.DONE: ActionStatus.DONE,
        FollowUpOutcome.DROPPED: ActionStatus.DROPPED,
    }.get(item.outcome, ActionStatus.OPEN)  # type: ignore[call-overload]
    action.completed_on = held_on if item.outcome == FollowUpOutcome.DONE else None
    action.dropped_reason = note if item.outcome == FollowUpOutcome.DROPPED else ""
    if item.outcome == FollowUpOutcome.CARRIED_FORWARD and item.new_due_on:
        action.due_on = item.new_due_on
    tracked_update(action, actor=actor)
    hooks.compliance_changed(person_ids=[action.owner_id])
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=action,
        origin=origin,
        detail={"follow_up": item.outcome, "record": record.pk},
    )
    return follow_up


@transaction.atomic
def action_follow_up(
    *,
    actor: Person,
    action: Action,
    record: SessionRecord,
    outcome: str,
    note: str = "",
    new_due_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> ActionFollowUp:
    """Mark an earlier action done, carried forward or dropped (with a reason) at a later
    session; one row per session keeps the trail."""
    record = _lock_record(record)
    _ensure_supervisor(actor, record.session)
    _ensure_editable(record)
    _touch(record, actor)
    return _apply_follow_up(
        actor=actor,
        record=record,
        item=FollowUpInput(action.pk, outcome, note, new_due_on),
        origin=origin,
    )


def _clean_discussion(data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {k: (data.get(k) or "") for k in DISCUSSION_FIELDS}
    clean["specialist_referral"] = bool(data.get("specialist_referral"))
    if not clean["specialist_referral"] and clean["specialist_referral_detail"]:
        raise ValidationError(
            {
                "specialist_referral": "Select that the child is being referred for specialist "
                "assessment, or clear which assessment."
            }
        )
    # Seed 004 Introduction / seed 002 (issue 15 item 15): only the named themes, each once.
    themes = list(data.get("review_themes") or [])
    unknown = [t for t in themes if t not in ReviewTheme.values]
    if unknown:
        raise ValidationError({"review_themes": "Choose themes from the list."})
    clean["review_themes"] = [t for t in ReviewTheme.values if t in themes]
    # Seed 004 Appendix II (issue 15 item 11): one of the three tools.
    if clean["reflective_tool"] not in TOOLS:
        raise ValidationError({"reflective_tool": "Choose one of the reflective tools offered."})
    # Seed 001 4x4x4 (issue 15 item 12): only the four stakeholders, each once.
    stakeholders = list(data.get("stakeholders") or [])
    if any(s not in Stakeholder.values for s in stakeholders):
        raise ValidationError({"stakeholders": "Choose stakeholders from the list."})
    clean["stakeholders"] = [s for s in Stakeholder.values if s in stakeholders]
    if not clean["rag_rating"]:
        raise ValidationError(
            {
                "rag_rating": "Choose whether the child's circumstances are improving, staying "
                "the same or getting worse."
            }
        )
    return clean


@transaction.atomic
def case_discussion_add(
    *,
    actor: Person,
    record: SessionRecord,
    child: Child,
    data: Mapping[str, Any],
    decisions: Iterable[DecisionInput] = (),
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> CaseDiscussion:
    """A child or family discussed in the session (Appendix III a–g, the 4x4x4 cycle). The
    same form sent twice adds it once (issue 10 item 6)."""
    record = _lock_record(record)
    session = record.session
    _ensure_supervisor(actor, session)
    if earlier := submission_claim(token=submission_token, actor=actor, model=CaseDiscussion):
        return earlier
    _ensure_editable(record)
    if child.agency_id != session.agency_id:
        raise ValidationError({"child": "Choose a child known to this session's agency."})
    data = dict(data)
    if not data.get("reflective_tool"):
        data["reflective_tool"] = default_tool_key(agency_id=session.agency_id)
    discussion = CaseDiscussion(
        record=record,
        agency_id=session.agency_id,
        child=child,
        discussed_on=session.held_on or timezone.localdate(),
        **_clean_discussion(data),
    )
    tracked_create(discussion, actor=actor)
    submission_record(token=submission_token, target=discussion)
    day_tallies_recount(
        agency_id=session.agency_id, days=[discussion.discussed_on], child_ids=[child.pk]
    )
    meeting_tallies_recount(child_ids=[child.pk])  # the meetings after it (decision 0035)
    for item in decisions:
        decision_create(
            actor=actor,
            child=child,
            agency=session.agency,
            decided_on=discussion.discussed_on,
            item=item,
            case_discussion=discussion,
            origin=origin,
        )
    _touch(record, actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=discussion, origin=origin)
    events.emit(
        "child.discussed",
        discussion_id=discussion.pk,
        child_id=child.pk,
        agency_id=child.agency_id,
        session_id=session.pk,
        discussed_on=discussion.discussed_on.isoformat(),
    )
    # Seed 004 objective 3: drift is surfaced as soon as the discussion that shows it exists.
    drift_evaluate(child=child)
    return discussion


@transaction.atomic
def record_start(
    *, actor: Person, session: Session, origin: RequestOrigin | None = None
) -> SessionRecord:
    """The session's record, started as a draft with what the page would offer when there is
    none yet, so a family can be added before the record is first saved (issue 12 item 4)."""
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("supervisee", "agency")
        .get(pk=session.pk)
    )
    found = SessionRecord.objects.filter(session=session).first()
    if found is not None:
        return found
    held_on = min(timezone.localdate(session.planned_start), timezone.localdate())
    data: dict[str, Any] = {
        "last_session_on": previous_held_on(session),
        "agenda_notes": "\n".join(item.text for item in session.agenda_items.live()),
    }
    if session.supervisee is not None:
        data["next_session_on"] = next_session_proposal(
            supervisee=session.supervisee, agency=session.agency, after=held_on
        )
    return session_record(actor=actor, session=session, held_on=held_on, data=data, origin=origin)


@transaction.atomic
def case_discussion_add_to_session(
    *,
    actor: Person,
    session: Session,
    child: Child,
    data: Mapping[str, Any],
    decisions: Iterable[DecisionInput] = (),
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> CaseDiscussion:
    """A case discussion added from the start: the record is started first when the session
    has none yet (issue 12 item 4)."""
    return case_discussion_add(
        actor=actor,
        record=record_start(actor=actor, session=session, origin=origin),
        child=child,
        data=data,
        decisions=decisions,
        submission_token=submission_token,
        origin=origin,
    )


def _tallied_fields(discussion: CaseDiscussion) -> tuple[Any, ...]:
    """What of a discussion the day tallies count (decision 0033)."""
    return (
        discussion.rag_rating,
        discussion.specialist_referral,
        sorted(set(discussion.review_themes or [])),
    )


@transaction.atomic
def case_discussion_update(
    *,
    actor: Person,
    discussion: CaseDiscussion,
    data: Mapping[str, Any],
    expected_version: int | None,
    decisions: Iterable[DecisionInput] = (),
    origin: RequestOrigin | None = None,
) -> CaseDiscussion:
    record = _lock_record(discussion.record)
    session = record.session
    _ensure_supervisor(actor, session)
    _ensure_editable(record)
    discussion = CaseDiscussion.objects.get(pk=discussion.pk)
    # What the form did not ask (another tool's stages) stays as it was: nothing typed is lost.
    kept = {name: getattr(discussion, name) for name in DISCUSSION_FIELDS}
    data = {**kept, **{k: v for k, v in data.items() if k in DISCUSSION_FIELDS}}
    if not data.get("reflective_tool"):
        data["reflective_tool"] = discussion.reflective_tool
    counted_before = _tallied_fields(discussion)
    for key, value in _clean_discussion(data).items():
        setattr(discussion, key, value)
    tracked_edit(discussion, actor=actor, expected_version=expected_version)
    if _tallied_fields(discussion) != counted_before:  # the day tallies count these (0033)
        day_tallies_recount(
            agency_id=discussion.agency_id,
            days=[discussion.discussed_on],
            child_ids=[discussion.child_id],
        )
    for item in decisions:
        decision_create(
            actor=actor,
            child=discussion.child,
            agency=session.agency,
            decided_on=discussion.discussed_on,
            item=item,
            case_discussion=discussion,
            origin=origin,
        )
    _touch(record, actor)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=discussion, origin=origin)
    drift_evaluate(child=discussion.child)
    return discussion


@transaction.atomic
def action_add(
    *,
    actor: Person,
    record: SessionRecord,
    description: str,
    owner: Person,
    due_on: dt.date,
    child: Child | None = None,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Action:
    """An agreed action: what, who and by when (Appendix III), and which child if any. The
    same form sent twice adds it once (issue 10 item 6)."""
    record = _lock_record(record)
    session = record.session
    _ensure_supervisor(actor, session)
    if earlier := submission_claim(token=submission_token, actor=actor, model=Action):
        return earlier
    _ensure_editable(record)
    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = "Enter what is to be done."
    people = {session.supervisor_id, session.supervisee_id} | set(
        session.attendances.values_list("person_id", flat=True)
    )
    if owner.pk not in people:
        errors["owner"] = "Choose someone who was in the session."
    if session.held_on and due_on < session.held_on:
        errors["due_on"] = "The due date must be on or after the session."
    if child is not None and child.agency_id != session.agency_id:
        errors["child"] = "Choose a child known to this session's agency."
    if errors:
        raise ValidationError(errors)
    action = Action(
        origin_record=record,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        child=child,
    )
    tracked_create(action, actor=actor)
    submission_record(token=submission_token, target=action)
    _touch(record, actor)
    hooks.compliance_changed(person_ids=[owner.pk])
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=action, origin=origin)
    return action


@transaction.atomic
def record_sign_supervisor(
    *,
    actor: Person,
    record: SessionRecord,
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> SessionRecord:
    """The supervisor completes and signs (seed 001 "Recording"). A group record has no
    supervisee and is signed once the facilitator signs. Signed from the check page
    (issue 12 item 4), ``expected_version`` is the version checked: a record changed since is
    refused (StaleEditError) so nobody signs what they did not see."""
    record = _lock_record(record)
    session = record.session
    if expected_version is not None and record.version != expected_version:
        raise StaleEditError()
    if actor.pk != session.supervisor_id:
        raise ValidationError("Only the supervisor signs as supervisor.")
    if record.status != RecordStatus.DRAFT:
        raise ValidationError("This record has already been signed by the supervisor.")
    if session.supervisee_id and record.next_session_on is None:
        raise ValidationError({"next_session_on": "Enter the date of the next session."})
    record.supervisor_signed_at = timezone.now()
    record.supervisor_signed_by = actor
    record.status = (
        RecordStatus.AWAITING_SUPERVISEE if session.supervisee_id else RecordStatus.SIGNED
    )
    tracked_update(record, actor=actor)
    detail: dict[str, Any] = {"as": "supervisor"}
    if record.is_locked:
        detail["content_hash"] = record_seal(record=record).content_hash
    audit_event_record(
        actor=actor, action=AuditAction.SIGN, target=record, origin=origin, detail=detail
    )
    if record.status == RecordStatus.AWAITING_SUPERVISEE:
        hooks.event("record_awaiting_supervisee", record=record)
    _compliance_changed(session)
    return record


@transaction.atomic
def record_sign_supervisee(
    *,
    actor: Person,
    record: SessionRecord,
    comment: str = "",
    review: Mapping[str, str] | None = None,
    origin: RequestOrigin | None = None,
) -> SessionRecord:
    """The supervisee reads, may comment or disagree, optionally reviews the supervision
    itself (``review``, issue 15 item 10), and signs; the record is then locked."""
    record = _lock_record(record)
    if actor.pk != record.session.supervisee_id:
        raise ValidationError("Only the supervisee signs as supervisee.")
    if record.status != RecordStatus.AWAITING_SUPERVISEE:
        raise ValidationError(
            LOCKED_MESSAGE
            if record.is_locked
            else "The supervisor signs first; this record is not ready for your signature."
        )
    record.supervisee_comment = (comment or "").strip()
    for name, value in _clean_process_review(review).items():
        setattr(record, name, value)
    record.supervisee_signed_at = timezone.now()
    record.supervisee_signed_by = actor
    record.status = RecordStatus.SIGNED
    tracked_update(record, actor=actor)
    sealed = record_seal(record=record)
    audit_event_record(
        actor=actor,
        action=AuditAction.SIGN,
        target=record,
        origin=origin,
        detail={
            "as": "supervisee",
            "comment": bool(record.supervisee_comment),
            "reviewed_supervision": any(getattr(record, n) for n in PROCESS_REVIEW_FIELDS),
            "content_hash": sealed.content_hash,
        },
    )
    _compliance_changed(record.session)
    return record


@transaction.atomic
def addendum_add(
    *,
    actor: Person,
    record: SessionRecord,
    reason: str,
    text: str,
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Addendum:
    """Correct a signed record: an addendum with its author, time and reason, never an edit.
    The same form sent twice adds it once (issue 10 item 6)."""
    record = _lock_record(record)
    if not record.is_locked:
        raise ValidationError("Until both have signed, correct the record itself.")
    session = record.session
    allowed = {session.supervisor_id, session.supervisee_id} - {None}
    if actor.pk not in allowed:
        raise ValidationError("Only the supervisor or supervisee can add an addendum.")
    ended = (
        session.supervision_ended_before(timezone.localdate())
        if actor.pk == session.supervisor_id
        else None
    )
    if ended is not None:
        # Decision 0002: a former supervisor no longer adds to the supervisee's records.
        raise ValidationError(
            f"Your supervision of {session.supervisee} ended on {ended:%-d %B %Y}. "
            "Their current supervisor or they themselves can add an addendum."
        )
    if earlier := submission_claim(token=submission_token, actor=actor, model=Addendum):
        return earlier
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the record needs correcting."
    if not (text or "").strip():
        errors["text"] = "Enter the correction."
    if errors:
        raise ValidationError(errors)
    addendum = Addendum(record=record, author=actor, reason=reason.strip(), text=text.strip())
    addendum.content_hash = addendum_hash(addendum)
    addendum.full_clean()
    addendum.save()
    submission_record(token=submission_token, target=addendum)
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=addendum,
        origin=origin,
        detail={"record": record.pk},
    )
    return addendum
