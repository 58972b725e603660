"""Reminders (issue 11 item 4), the urgent-request check (item 3) and weekly digests (item 5)
at a frozen clock, each run twice: who is reminded of what, who is not, and nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from oversight.children import services as children
from oversight.children.models import UrgentDiscussionRequest
from oversight.contracts.models import ContractStatus
from oversight.contracts.tests.factories import SupervisionContractFactory
from oversight.core.testing import today_is
from oversight.notifications.digests import weekly_digests_send
from oversight.notifications.models import Kind, Notification, SentReminder
from oversight.notifications.reminders import reminders_send
from oversight.notifications.tasks import urgent_unanswered_check
from oversight.people.models import TrainingKind
from oversight.people.tests.factories import TrainingRecordFactory
from oversight.supervision.models import RecordStatus
from oversight.supervision.tests.factories import (
    ActionFactory,
    SessionFactory,
    SessionRecordFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2027, 3, 8)


def told(kind: str) -> list[str]:
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=kind))


def _twice(day: dt.date) -> tuple[int, int]:
    return reminders_send(day=day), reminders_send(day=day)


def test_a_session_in_two_days_reminds_both_people_once(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with today_is(MONDAY), django_capture_on_commit_callbacks(execute=True):
        SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=dt.datetime(2027, 3, 10, 14, tzinfo=LONDON),
        )
        SessionFactory(  # in five days: not yet
            supervisor=cast.other_supervisor,
            supervisee=cast.other_practitioner,
            agency=cast.other_agency,
            planned_start=dt.datetime(2027, 3, 13, 14, tzinfo=LONDON),
        )
        assert _twice(MONDAY) == (2, 0)
    assert told(Kind.SESSION_SOON) == ["practitioner", "supervisor"]
    assert {m.to[0] for m in mailoutbox} == {cast.supervisor.email, cast.practitioner.email}
    assert "Wednesday 10 March at 14:00" in mailoutbox[0].body
    # The next day it is one day away: no second reminder.
    assert reminders_send(day=MONDAY + dt.timedelta(days=1)) == 0


def test_a_record_not_signed_is_reminded_a_working_day_before_and_when_overdue(
    cast: Any,
) -> None:
    with today_is(MONDAY):
        record: Any = SessionRecordFactory(
            session__supervisor=cast.supervisor,
            session__supervisee=cast.practitioner,
            session__agency=cast.agency,
            sign_by=dt.date(2027, 3, 9),
        )
        assert _twice(MONDAY) == (1, 0)
        assert told(Kind.RECORD_SIGN_BY) == ["supervisor"]  # a draft: the supervisor signs
        record.status = RecordStatus.AWAITING_SUPERVISEE
        record.save()
        wednesday = MONDAY + dt.timedelta(days=2)
        assert _twice(wednesday) == (1, 0)
        assert told(Kind.RECORD_OVERDUE) == ["practitioner"]  # now the supervisee's to sign
        assert reminders_send(day=wednesday + dt.timedelta(days=1)) == 0


def test_a_sign_by_date_after_a_weekend_is_reminded_on_friday(cast: Any) -> None:
    friday = dt.date(2027, 3, 5)
    with today_is(friday):
        SessionRecordFactory(
            session__supervisor=cast.supervisor,
            session__supervisee=cast.practitioner,
            session__agency=cast.agency,
            sign_by=MONDAY,
        )
        assert reminders_send(day=friday) == 1


def test_an_action_is_reminded_three_days_before_and_when_overdue_to_its_owner_only(
    cast: Any,
) -> None:
    with today_is(MONDAY):
        action: Any = ActionFactory(
            origin_record__session__supervisor=cast.supervisor,
            origin_record__session__supervisee=cast.practitioner,
            origin_record__session__agency=cast.agency,
            origin_record__status=RecordStatus.SIGNED,
            owner=cast.practitioner,
            due_on=MONDAY + dt.timedelta(days=3),
        )
        assert _twice(MONDAY) == (1, 0)
        assert told(Kind.ACTION_DUE) == ["practitioner"]
        later = action.due_on + dt.timedelta(days=1)
        assert _twice(later) == (1, 0)
        assert told(Kind.ACTION_OVERDUE) == ["practitioner"]


def test_a_contract_review_training_expiry_and_a_decision_due_today(cast: Any) -> None:
    with today_is(MONDAY):
        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            status=ContractStatus.ACTIVE,
            starts_on=dt.date(2026, 6, 1),
            review_due_on=MONDAY + dt.timedelta(days=30),
        )
        TrainingRecordFactory(
            person=cast.other_supervisor,
            completed_on=dt.date(2024, 4, 7),
            expires_on=MONDAY + dt.timedelta(days=30),
        )
        assert _twice(MONDAY) == (3, 0)
    assert told(Kind.CONTRACT_REVIEW) == ["practitioner", "supervisor"]
    assert told(Kind.TRAINING_EXPIRING) == ["other_supervisor"]
    assert SentReminder.objects.count() == 3


def test_an_urgent_request_unanswered_after_four_working_hours_tells_the_lead_once(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    friday_afternoon = dt.datetime(2027, 3, 5, 15, tzinfo=LONDON)
    with today_is(friday_afternoon.date(), at=friday_afternoon.time()):
        request = children.urgent_request_make(
            actor=cast.practitioner,
            supervisor=cast.supervisor,
            agency=cast.agency,
            concern="Worried about a visit",
        )
    UrgentDiscussionRequest.objects.filter(pk=request.pk).update(requested_at=friday_afternoon)
    # Two working hours on Friday, then Monday from nine: due at 11:00 on Monday.
    assert urgent_unanswered_check(now=dt.datetime(2027, 3, 8, 10, 59, tzinfo=LONDON)) == 0
    assert urgent_unanswered_check(now=dt.datetime(2027, 3, 8, 11, 1, tzinfo=LONDON)) == 1
    assert urgent_unanswered_check(now=dt.datetime(2027, 3, 8, 11, 16, tzinfo=LONDON)) == 0
    assert told(Kind.URGENT_UNANSWERED) == ["agency_lead"]


def test_an_answered_urgent_request_tells_nobody_more(cast: Any) -> None:
    request = children.urgent_request_make(
        actor=cast.practitioner, supervisor=cast.supervisor, agency=cast.agency, concern="Worried"
    )
    children.urgent_request_respond(request=request, actor=cast.supervisor, response="Rang them")
    assert urgent_unanswered_check(now=timezone.now() + dt.timedelta(days=5)) == 0


def test_weekly_digests_go_to_supervisor_and_line_manager_never_empty_never_twice(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with today_is(MONDAY), django_capture_on_commit_callbacks(execute=True):
        ActionFactory(
            origin_record__session__supervisor=cast.supervisor,
            origin_record__session__supervisee=cast.practitioner,
            origin_record__session__agency=cast.agency,
            origin_record__status=RecordStatus.SIGNED,
            owner=cast.practitioner,
            due_on=MONDAY - dt.timedelta(days=2),
        )
        assert weekly_digests_send(day=MONDAY) == 2
        assert weekly_digests_send(day=MONDAY) == 0
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted([cast.supervisor.email, cast.line_manager.email])
    assert cast.practitioner.display_name in mailoutbox[0].body
    assert "1 action(s) overdue" in mailoutbox[0].body
    # The other agency's supervisor, with nothing due, gets nothing.
    assert cast.other_supervisor.email not in to


def test_a_child_due_for_discussion_in_14_days_or_before_a_review_reminds_the_practitioner(
    cast: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from oversight.children.tests.factories import ChildFactory, ReviewMeetingFactory

    with today_is(MONDAY), django_capture_on_commit_callbacks(execute=True):
        ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            display_name="Family R – child C",
            legal_status_since=MONDAY - dt.timedelta(days=78),
        )
        reviewed: Any = ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.other_practitioner,
            legal_status_since=MONDAY - dt.timedelta(days=20),
        )
        ReviewMeetingFactory(child=reviewed, meets_on=dt.date(2027, 3, 22))
        ChildFactory(  # due in three weeks: not yet
            agency=cast.agency,
            allocated_practitioner=cast.stranger,
            legal_status_since=MONDAY - dt.timedelta(days=71),
        )
        assert _twice(MONDAY) == (2, 0)
    assert told(Kind.CHILD_DISCUSSION_DUE) == ["practitioner"]
    assert told(Kind.CHILD_BEFORE_REVIEW) == ["other_practitioner"]
    assert all("Family R" not in m.body for m in mailoutbox)


def test_an_open_evaluation_round_reminds_supervisees_who_have_not_answered_once_a_round(
    cast: Any,
) -> None:
    from oversight.assurance.models import EvaluationParticipation
    from oversight.assurance.services import evaluation_round_for
    from oversight.assurance.tasks import evaluation_reminders

    opened = dt.date(2027, 1, 4)  # a six-month round opened on 1 January
    with today_is(opened):
        EvaluationParticipation.objects.create(
            round=evaluation_round_for(agency_id=cast.other_agency.pk, on=opened),
            respondent=cast.other_practitioner,
            supervisor=cast.other_supervisor,
        )
        evaluation_reminders.call(today=opened.isoformat())
        evaluation_reminders.call(today=(opened + dt.timedelta(days=1)).isoformat())
        # After the round's first week nobody is reminded again.
        assert evaluation_reminders.call(today="2027-01-12") == 0
    # The practitioner evaluates their supervisor, the supervisor the lead who supervises
    # them; the other practitioner has answered already.
    assert told(Kind.EVALUATION_OPEN) == ["practitioner", "supervisor"]


def test_safeguarding_training_expiring_reminds_the_member_of_staff_once(cast: Any) -> None:
    """Issue 15 item 6: every member of staff keeps safeguarding children training in date
    (seed 002); a renewed course means no reminder; supervisor training is reminded apart."""
    with today_is(MONDAY):
        TrainingRecordFactory(
            person=cast.stranger,
            kind=TrainingKind.SAFEGUARDING,
            completed_on=dt.date(2024, 4, 7),
            expires_on=MONDAY + dt.timedelta(days=30),
        )
        TrainingRecordFactory(
            person=cast.line_manager,
            kind=TrainingKind.SAFEGUARDING,
            completed_on=dt.date(2024, 4, 7),
            expires_on=MONDAY + dt.timedelta(days=30),
        )
        TrainingRecordFactory(
            person=cast.line_manager,
            kind=TrainingKind.SAFEGUARDING,
            completed_on=MONDAY - dt.timedelta(days=2),
            expires_on=MONDAY + dt.timedelta(days=3 * 365),
        )
        assert _twice(MONDAY) == (1, 0)
    assert told(Kind.SAFEGUARDING_TRAINING_EXPIRING) == ["stranger"]
    assert told(Kind.TRAINING_EXPIRING) == []
