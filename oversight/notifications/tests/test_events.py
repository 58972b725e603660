"""Events that notify at once (issue 11 item 3): for each, who is told — on the
notifications page and by email through the outbox — and that nobody outside the
relationship is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from oversight.children import services as children
from oversight.children.models import DisclosureCategory, EscalationLevel, EscalationSubject
from oversight.contracts.models import SessionType
from oversight.notifications.models import Kind, Notification
from oversight.supervision import services as supervision
from oversight.supervision.tests.factories import ChildFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

SITE = "https://oversight.example.org"


@pytest.fixture(autouse=True)
def _site() -> Any:
    with override_settings(SITE_URL=SITE):
        yield


def told(kind: str) -> set[str]:
    return {n.recipient.username for n in Notification.objects.filter(kind=kind)}


def emailed(mailoutbox: list[Any]) -> set[str]:
    return {address for m in mailoutbox for address in m.to}


def test_an_urgent_request_tells_the_supervisor_and_nobody_else(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        children.urgent_request_make(
            actor=cast.practitioner,
            supervisor=cast.supervisor,
            agency=cast.agency,
            concern="A child disclosed something at the visit today.",
        )
    assert told(Kind.URGENT_REQUEST) == {"supervisor"}
    [email] = mailoutbox
    assert email.to == [cast.supervisor.email]
    assert "urgent discussion" in email.body
    assert "disclosed" not in email.body  # what is waiting, never what it says
    assert f"{SITE}/children/urgent/" in email.body
    html, _ = email.alternatives[0]
    assert f'href="{SITE}/children/urgent/' in html


def test_an_escalation_tells_the_person_at_its_level_and_moving_up_tells_the_next(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        escalation = children.escalation_raise(
            actor=cast.practitioner,
            agency=cast.agency,
            subject=EscalationSubject.AGENCY_RESPONSE,
            about_agency=cast.other_agency,
            reason="No health visit after three referrals.",
            what_was_tried="Phoned twice.",
        )
    assert told(Kind.ESCALATION) == {"supervisor"}
    with django_capture_on_commit_callbacks(execute=True):
        children.escalation_escalate(
            escalation=escalation, actor=cast.supervisor, reason="No reply"
        )
    assert told(Kind.ESCALATION) == {"supervisor", "line_manager"}
    escalation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        children.escalation_escalate(escalation=escalation, actor=cast.line_manager, reason="Still")
    assert told(Kind.ESCALATION) == {"supervisor", "line_manager", "agency_lead"}
    with django_capture_on_commit_callbacks(execute=True):
        children.escalation_escalate(escalation=escalation, actor=cast.agency_lead, reason="Still")
    assert escalation.__class__.objects.get(pk=escalation.pk).level == EscalationLevel.PARTNERSHIP
    # At partnership level both agencies' leads; never a stranger or another supervisor.
    assert told(Kind.ESCALATION) == {"supervisor", "line_manager", "agency_lead", "other_lead"}
    assert "No health visit" not in " ".join(m.body for m in mailoutbox)


def test_a_disclosure_alert_has_an_absolute_link_and_reaches_only_the_lead(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        disclosure = children.disclosure_record(
            actor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            category=DisclosureCategory.values[0],
            reason="Risk of harm",
            what_is_needed="Speak to the practitioner",
        )
    assert told(Kind.DISCLOSURE) == {"agency_lead"}
    [alert] = mailoutbox  # one email: the alert, not a second from notifications
    assert alert.to == [cast.agency_lead.email]
    assert f"{SITE}/children/disclosures/{disclosure.pk}/" in alert.body
    assert "Risk of harm" not in alert.body


def test_a_supervision_concern_tells_the_supervisor_it_is_about(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        children.quality_concern_raise(
            actor=cast.practitioner,
            supervisor=cast.supervisor,
            agency=cast.agency,
            kind="frequency",
            description="Sessions keep being cancelled.",
        )
    assert told(Kind.QUALITY_CONCERN) == {"supervisor"}
    assert emailed(mailoutbox) == {cast.supervisor.email}
    assert "cancelled" not in mailoutbox[0].body


def test_a_record_signed_by_the_supervisor_tells_the_supervisee(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    record: Any = SessionRecordFactory(
        session__supervisor=cast.supervisor,
        session__supervisee=cast.practitioner,
        session__agency=cast.agency,
    )
    record.next_session_on = record.session.held_on + dt.timedelta(days=28)
    record.save()
    with django_capture_on_commit_callbacks(execute=True):
        supervision.record_sign_supervisor(actor=cast.supervisor, record=record)
    assert told(Kind.RECORD_TO_SIGN) == {"practitioner"}
    assert emailed(mailoutbox) == {cast.practitioner.email}
    with django_capture_on_commit_callbacks(execute=True):
        supervision.record_sign_supervisee(actor=cast.practitioner, record=record)
    assert told(Kind.RECORD_TO_SIGN) == {"practitioner"}  # signing tells nobody more


def _ics(message: Any) -> Any:
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_a_session_planned_moved_and_cancelled_sends_both_people_calendar_invitations(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        session = supervision.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.ONE_TO_ONE,
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=start,
        )
    assert told(Kind.SESSION_CHANGED) == {"supervisor", "practitioner"}
    assert emailed(mailoutbox) == {cast.supervisor.email, cast.practitioner.email}
    planned = _ics(mailoutbox[0])
    assert planned["METHOD"] == "REQUEST"
    [event] = planned.walk("VEVENT")
    uid = str(event["UID"])
    assert uid == f"session-{session.pk}@oversight.example.org"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == f"mailto:{cast.supervisor.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{cast.practitioner.email}"
    assert event.decoded("DTSTART") == start

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = supervision.session_reschedule(
            actor=cast.practitioner,
            session=session,
            planned_start=start + dt.timedelta(days=1),
            reason="Court",
        )
    assert emailed(mailoutbox) == {cast.supervisor.email, cast.practitioner.email}
    [event] = _ics(mailoutbox[0]).walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1  # an update, not a new one

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        supervision.session_cancel(
            actor=cast.supervisor, session=moved, reason="Leave", notice_given=True
        )
    cancelled = _ics(mailoutbox[0])
    assert cancelled["METHOD"] == "CANCEL"
    [event] = cancelled.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    # The line manager, the lead and a stranger hear nothing of the pair's sessions.
    assert told(Kind.SESSION_CHANGED) == {"supervisor", "practitioner"}


def test_a_child_is_never_named_in_an_email(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    child: Any = ChildFactory(agency=cast.agency, display_name="Family Q – child B")
    with django_capture_on_commit_callbacks(execute=True):
        children.urgent_request_make(
            actor=cast.practitioner,
            supervisor=cast.supervisor,
            agency=cast.agency,
            concern="Worried",
            child=child,
        )
    assert "Family Q" not in mailoutbox[0].body and "Family Q" not in mailoutbox[0].subject
