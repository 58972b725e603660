"""Handover moves the work (issue 9 item 6; seed 001 "Supervisor responsibilities"): when a
supervision relationship ends, the old pair's later planned sessions are cancelled with
reason "handover", the supervisee's agenda goes to the new supervisor, and the former
supervisor cannot record a session after the relationship ended."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from oversight.people import services as people_services
from oversight.people.models import Role
from oversight.people.tests import factories as pf
from oversight.supervision import services
from oversight.supervision.models import Session, SessionStatus

from .factories import SessionFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 17, 10, tzinfo=LONDON), tick=False)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def new_supervisor(cast: Any) -> Any:
    person = pf.PersonFactory(given_name="Kit", family_name="Newman")
    pf.MembershipFactory(person=person, agency=cast.agency, job_title="Practice supervisor")
    pf.RoleAssignmentFactory(person=person, agency=cast.agency, role=Role.SUPERVISOR)
    return person


@pytest.fixture
def later_session(cast: Any) -> Any:
    """A planned 1:1 with the old supervisor next week, with the supervisee's agenda."""
    session: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(TODAY + dt.timedelta(days=7)),
    )
    services.agenda_item_add(actor=cast.practitioner, session=session, text="Caseload worries")
    return session


def _hand_over(cast: Any, new_supervisor: Any, starts_on: dt.date) -> Any:
    return people_services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=new_supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=starts_on,
    )


def test_handover_cancels_the_old_pairs_later_sessions_with_reason_handover(
    cast: Any, new_supervisor: Any, later_session: Any
) -> None:
    earlier: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(TODAY - dt.timedelta(days=3)),
    )
    _hand_over(cast, new_supervisor, TODAY)

    later_session.refresh_from_db()
    assert later_session.status == SessionStatus.CANCELLED
    assert later_session.cancellation_reason == "handover"
    earlier.refresh_from_db()
    assert earlier.status == SessionStatus.PLANNED  # before the last day: still theirs


def test_handover_moves_the_supervisees_agenda_to_the_new_supervisor(
    cast: Any, new_supervisor: Any, later_session: Any, client: Any
) -> None:
    _hand_over(cast, new_supervisor, TODAY)

    theirs = Session.objects.get(supervisor=new_supervisor, supervisee=cast.practitioner)
    assert theirs.status == SessionStatus.PLANNED
    assert theirs.planned_start == later_session.planned_start
    client.force_login(new_supervisor)
    page = client.get(reverse("supervision:session_detail", args=[theirs.pk])).content.decode()
    assert "Caseload worries" in page
    old = client.get(reverse("supervision:session_detail", args=[later_session.pk]))
    assert old.status_code == 403  # the new supervisor does not see the old pair's session
    client.force_login(cast.supervisor)
    gone = client.get(reverse("supervision:session_detail", args=[later_session.pk]))
    assert "Caseload worries" not in gone.content.decode()


def test_handover_puts_the_agenda_on_the_new_pairs_planned_session(
    cast: Any, new_supervisor: Any, later_session: Any
) -> None:
    relationship = _hand_over(cast, new_supervisor, TODAY + dt.timedelta(days=3))
    booked: Any = SessionFactory(
        supervisor=new_supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(TODAY + dt.timedelta(days=10)),
    )
    services.session_handover(relationship=relationship.handover_from, actor=None)

    assert [i.text for i in booked.agenda_items.all()] == ["Caseload worries"]
    assert Session.objects.filter(supervisor=new_supervisor).count() == 1


def test_an_end_dated_in_the_future_is_reached_by_the_nightly_sweep(
    cast: Any, new_supervisor: Any, later_session: Any, time_machine: Any
) -> None:
    _hand_over(cast, new_supervisor, TODAY + dt.timedelta(days=5))
    later_session.refresh_from_db()
    assert later_session.status == SessionStatus.PLANNED  # the old supervisor's until then

    time_machine.move_to(_at(TODAY + dt.timedelta(days=5), 1), tick=False)
    call_command("enqueue_daily_tasks", stdout=StringIO())

    later_session.refresh_from_db()
    assert later_session.status == SessionStatus.CANCELLED
    assert later_session.cancellation_reason == "handover"
    theirs = Session.objects.get(supervisor=new_supervisor)
    assert [i.text for i in theirs.agenda_items.all()] == ["Caseload worries"]


def test_the_former_supervisor_cannot_record_a_session_after_the_relationship_ended(
    cast: Any, client: Any
) -> None:
    relationship = cast.practitioner.supervisions_received.get()
    people_services.supervision_relationship_end(
        actor=cast.administrator, relationship=relationship, ends_on=TODAY - dt.timedelta(days=10)
    )
    after: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(TODAY - dt.timedelta(days=2)),
    )
    with pytest.raises(ValidationError) as refused:
        services.session_record(
            actor=cast.supervisor, session=after, held_on=TODAY - dt.timedelta(days=2), data={}
        )
    assert "Your supervision of Amara Okafor ended on 7 November 2026" in str(refused.value)

    client.force_login(cast.supervisor)
    save = client.post(reverse("supervision:record_save", args=[after.pk]), {})
    assert save.status_code == 403
    detail = client.get(reverse("supervision:session_detail", args=[after.pk])).content.decode()
    assert "Record the session" not in detail


def test_the_former_supervisor_still_records_a_session_held_before_the_end(cast: Any) -> None:
    relationship = cast.practitioner.supervisions_received.get()
    people_services.supervision_relationship_end(
        actor=cast.administrator, relationship=relationship, ends_on=TODAY - dt.timedelta(days=10)
    )
    before: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(TODAY - dt.timedelta(days=12)),
    )
    record = services.session_record(
        actor=cast.supervisor, session=before, held_on=TODAY - dt.timedelta(days=12), data={}
    )
    assert record.session.status == SessionStatus.HELD
