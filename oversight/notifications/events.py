"""What each event tells whom (issue 11 item 3). Earlier apps call ``core.hooks.event`` from
their services, inside their transaction; this module's ``on_event`` turns each into
notifications. Nobody outside the relationship is told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from oversight.children.models import (
    ConfidentialityDisclosure,
    Escalation,
    QualityConcern,
    UrgentDiscussionRequest,
)
from oversight.people.models import SupervisionChangeRequest
from oversight.supervision.models import (
    AuthorisationStatus,
    Decision,
    ServiceShortfall,
    Session,
    SessionRecord,
    SuperviseeDraft,
)

from .ics import session_invitation
from .models import Kind
from .recipients import (
    agency_leads,
    decision_authorisers,
    escalation_addressees,
    senior_managers,
)
from .services import notify, remind


def urgent_request_made(*, request: UrgentDiscussionRequest, **_: Any) -> None:
    notify(
        recipients=[request.supervisor],
        kind=Kind.URGENT_REQUEST,
        reason=f"{request.requested_by.display_name} has asked you for an urgent discussion",
        path=reverse("children:urgent_respond", args=[request.pk]),
        about=request,
    )


def escalation_raised(*, escalation: Escalation, **_: Any) -> None:
    notify(
        recipients=escalation_addressees(escalation),
        kind=Kind.ESCALATION,
        reason=(
            f"An escalation from {escalation.raised_by.display_name} is waiting for your "
            f"response ({escalation.get_level_display().lower()} level)"
        ),
        path=reverse("children:escalation_detail", args=[escalation.pk]),
        about=escalation,
    )


def disclosure_made(*, disclosure: ConfidentialityDisclosure, **_: Any) -> None:
    """The lead's email alert is children's own (it existed before); this puts it on their
    notifications page too."""
    notify(
        recipients=agency_leads(disclosure.agency_id),
        kind=Kind.DISCLOSURE,
        reason=f"A confidentiality disclosure in {disclosure.agency.name} needs your attention",
        path=reverse("children:disclosure_detail", args=[disclosure.pk]),
        about=disclosure,
        email=False,
    )


def quality_concern_raised(*, concern: QualityConcern, **_: Any) -> None:
    """Seed 001 Quality Assurance: the supervisee raises it with the supervisor first."""
    notify(
        recipients=[concern.supervisor],
        kind=Kind.QUALITY_CONCERN,
        reason=(
            f"{concern.raised_by.display_name} has raised a concern about their supervision "
            "and would like a one-to-one"
        ),
        path=reverse("children:concern_detail", args=[concern.pk]),
        about=concern,
    )


def record_awaiting_supervisee(*, record: SessionRecord, **_: Any) -> None:
    session = record.session
    notify(
        recipients=[session.supervisee] if session.supervisee else [],
        kind=Kind.RECORD_TO_SIGN,
        reason=(
            f"{session.supervisor.display_name} has signed the record of your supervision on "
            f"{timezone.localtime(session.planned_start):%-d %B %Y}: it is ready for you to sign"
        ),
        path=reverse("supervision:record", args=[session.pk]),
        about=record,
    )


def record_draft_handed_over(*, draft: SuperviseeDraft, **_: Any) -> None:
    """Issue 15 item 7: the supervisee has drafted the record; the supervisor completes it."""
    session = draft.session
    notify(
        recipients=[session.supervisor],
        kind=Kind.RECORD_DRAFT,
        reason=(
            f"{session.supervisee.display_name if session.supervisee else 'Your supervisee'} has "
            "handed you their draft of the record of your supervision on "
            f"{timezone.localtime(session.planned_start):%-d %B %Y}"
        ),
        path=reverse("supervision:supervisee_draft", args=[session.pk]),
        about=draft,
    )


def supervision_change_requested(*, request: SupervisionChangeRequest, **_: Any) -> None:
    """Issue 15 item 9: the agency's leads decide on a request to change supervision."""
    relationship = request.relationship
    notify(
        recipients=agency_leads(relationship.agency_id),
        kind=Kind.SUPERVISION_CHANGE,
        reason=(
            f"{request.requested_by.display_name} has asked for a change to the supervision of "
            f"{relationship.supervisee.display_name} by {relationship.supervisor.display_name}"
        ),
        path=reverse("people:change_request_decide", args=[request.pk]),
        about=request,
    )


def supervision_change_decided(*, request: SupervisionChangeRequest, **_: Any) -> None:
    """Both parties hear the lead's decision."""
    relationship = request.relationship
    notify(
        recipients=[relationship.supervisor, relationship.supervisee],
        kind=Kind.SUPERVISION_CHANGE,
        reason=(
            f"The request to change the supervision of {relationship.supervisee.display_name} "
            f"by {relationship.supervisor.display_name} was {request.get_status_display().lower()}"
        ),
        path=reverse("people:my_arrangements"),
        about=request,
    )


def _session_people(session: Session) -> list[Any]:
    people = [session.supervisor]
    if session.supervisee is not None:
        people.append(session.supervisee)
    people += [a.person for a in session.attendances.select_related("person")]
    return people


def _session_changed(session: Session, verb: str, *, cancel: bool) -> None:
    when = timezone.localtime(session.planned_start)
    invitation = session_invitation(session, cancel=cancel)
    notify(
        recipients=_session_people(session),
        kind=Kind.SESSION_CHANGED,
        reason=f"{session.get_session_type_display()} {verb}: {when:%-d %B %Y at %H:%M}",
        path=reverse("supervision:session_detail", args=[session.pk]),
        about=session,
        attachments_for=lambda person: [invitation],
    )


def session_planned(*, session: Session, **_: Any) -> None:
    _session_changed(session, "planned", cancel=False)


def session_moved(*, session: Session, **_: Any) -> None:
    _session_changed(session, "moved to", cancel=False)


def session_cancelled(*, session: Session, **_: Any) -> None:
    _session_changed(session, "cancelled, was", cancel=True)


def evaluation_unanswered(*, relationship: Any, opens_on: Any, closes_on: Any, **_: Any) -> None:
    """Raised by assurance's daily job: once a round, per supervisor evaluated."""
    remind(
        person=relationship.supervisee,
        kind=Kind.EVALUATION_OPEN,
        reason=(
            f"Tell us how your supervision with {relationship.supervisor.display_name} is "
            f"going: the evaluation is open until {closes_on:%-d %B %Y}"
        ),
        path=reverse("assurance:evaluation_list"),
        about=relationship,
        day=opens_on,
    )


def decision_awaiting_authorisation(*, decision: Decision, **_: Any) -> None:
    """Seed 004 "Line management": the line manager authorises decisions at key points."""
    notify(
        recipients=decision_authorisers(decision),
        kind=Kind.DECISION_TO_AUTHORISE,
        reason=(
            f"{decision.decided_by.display_name} has made a decision about "
            f"{decision.child.display_name} that needs your authorisation"
        ),
        path=reverse("supervision:decision_authorise", args=[decision.pk]),
        about=decision,
    )


def decision_authorisation_given(*, decision: Decision, **_: Any) -> None:
    verb = (
        "authorised"
        if decision.authorisation == AuthorisationStatus.AUTHORISED
        else "returned with a reason"
    )
    notify(
        recipients=[decision.decided_by],
        kind=Kind.DECISION_AUTHORISATION,
        reason=f"Your decision about {decision.child.display_name} was {verb}",
        path=reverse("supervision:decision_authorise", args=[decision.pk]),
        about=decision,
    )


def shortfall_raised(*, shortfall: ServiceShortfall, **_: Any) -> None:
    """Seed 004 "Line management": senior managers are kept informed."""
    notify(
        recipients=[
            p for p in senior_managers(shortfall.agency_id) if p.pk != shortfall.raised_by_id
        ],
        kind=Kind.SHORTFALL_RAISED,
        reason=(
            f"{shortfall.raised_by.display_name} has reported a "
            f"{shortfall.get_kind_display().lower()} in {shortfall.agency.name}"
        ),
        path=reverse("supervision:shortfall_detail", args=[shortfall.pk]),
        about=shortfall,
    )


def shortfall_answered(*, shortfall: ServiceShortfall, **_: Any) -> None:
    notify(
        recipients=[shortfall.raised_by],
        kind=Kind.SHORTFALL_ANSWERED,
        reason=(
            f"A senior manager has answered the {shortfall.get_kind_display().lower()} you reported"
        ),
        path=reverse("supervision:shortfall_detail", args=[shortfall.pk]),
        about=shortfall,
    )


HANDLERS: dict[str, Callable[..., None]] = {
    "decision_awaiting_authorisation": decision_awaiting_authorisation,
    "decision_authorisation_given": decision_authorisation_given,
    "shortfall_raised": shortfall_raised,
    "shortfall_answered": shortfall_answered,
    "urgent_request_made": urgent_request_made,
    "escalation_raised": escalation_raised,
    "escalation_escalated": escalation_raised,
    "disclosure_made": disclosure_made,
    "quality_concern_raised": quality_concern_raised,
    "record_awaiting_supervisee": record_awaiting_supervisee,
    "session_planned": session_planned,
    "session_moved": session_moved,
    "session_cancelled": session_cancelled,
    "evaluation_unanswered": evaluation_unanswered,
    "supervision_change_requested": supervision_change_requested,
    "record_draft_handed_over": record_draft_handed_over,
    "supervision_change_decided": supervision_change_decided,
}


def on_event(kind: str, **payload: Any) -> None:
    """core.hooks.event: the handler for ``kind``, if notifications cares about it."""
    handler = HANDLERS.get(kind)
    if handler is not None:
        handler(**payload)
