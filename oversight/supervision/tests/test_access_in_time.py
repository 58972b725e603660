"""Access follows relationships in time (issue 10 item 3; decision 0002): a supervisor reads
and adds to the records of the people they supervise today; the former supervisor, the former
line manager and a lead whose post in the agency ended are refused; the new supervisor works
on their own sessions with the supervisee."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.people import services as people_services
from oversight.people.models import Membership, Role
from oversight.people.tests import factories as pf
from oversight.supervision import services
from oversight.supervision.models import SessionRecord

from .factories import SessionFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 17)
HELD_ON = TODAY - dt.timedelta(days=30)
ENDED_ON = TODAY - dt.timedelta(days=10)
WELLBEING = "Sleeping badly after the Child Q visit"


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 17, 10, tzinfo=LONDON), tick=False)


@pytest.fixture
def signed(cast: Any) -> SessionRecord:
    """A 1:1 held a month ago while Ben Hughes supervised Amara Okafor, signed by both."""
    session: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=dt.datetime.combine(HELD_ON, dt.time(10), tzinfo=LONDON),
    )
    record = services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=HELD_ON,
        data={
            "agenda_notes": "Family T and workload",
            "emotional_impact": WELLBEING,
            "next_session_on": HELD_ON + dt.timedelta(days=28),
        },
    )
    services.record_sign_supervisor(actor=cast.supervisor, record=record)
    services.record_sign_supervisee(actor=cast.practitioner, record=record, comment="")
    record.refresh_from_db()
    return record


@pytest.fixture
def new_supervisor(cast: Any) -> Any:
    """Kit Newman takes over Amara Okafor's supervision the day after Ben's ended."""
    person: Any = pf.PersonFactory(given_name="Kit", family_name="Newman")
    pf.MembershipFactory(person=person, agency=cast.agency, job_title="Practice supervisor")
    pf.RoleAssignmentFactory(person=person, agency=cast.agency, role=Role.SUPERVISOR)
    people_services.supervision_relationship_start(
        actor=cast.administrator,
        supervisor=person,
        supervisee=cast.practitioner,
        agency=cast.agency,
        starts_on=ENDED_ON + dt.timedelta(days=1),
        handover_notes="Family T is the one to watch.",
    )
    return person


def _urls(record: SessionRecord) -> dict[str, str]:
    pk = record.session_id
    return {
        "record": reverse("supervision:record", args=[pk]),
        "pdf": reverse("supervision:record_pdf", args=[pk]),
        "addendum": reverse("supervision:addendum_add", args=[pk]),
        "session": reverse("supervision:session_detail", args=[pk]),
    }


def test_a_former_supervisor_cannot_open_add_to_or_download_the_supervisees_records(
    cast: Any, client: Any, signed: SessionRecord, new_supervisor: Any
) -> None:
    urls = _urls(signed)
    client.force_login(cast.supervisor)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 403, name
        assert WELLBEING not in response.content.decode()
    posted = client.post(urls["addendum"], {"reason": "Wrong date", "text": "On the 3rd"})
    assert posted.status_code == 403
    assert not signed.addenda.exists()
    listed = client.get(reverse("supervision:session_list")).content.decode()
    assert urls["session"] not in listed


def test_a_former_supervisor_is_told_in_our_words_why_they_cannot_add_an_addendum(
    cast: Any, signed: SessionRecord
) -> None:
    relationship = cast.practitioner.supervisions_received.get()
    people_services.supervision_relationship_end(
        actor=cast.administrator, relationship=relationship, ends_on=ENDED_ON
    )
    with pytest.raises(ValidationError) as refused:
        services.addendum_add(actor=cast.supervisor, record=signed, reason="Date", text="The 3rd")
    assert "Your supervision of Amara Okafor ended on 7 November 2026" in str(refused.value)


def test_the_new_supervisor_records_their_own_session_but_not_the_old_pairs_records(
    cast: Any, client: Any, signed: SessionRecord, new_supervisor: Any
) -> None:
    theirs: Any = SessionFactory(
        supervisor=new_supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(10), tzinfo=LONDON),
    )
    services.session_record(
        actor=new_supervisor,
        session=theirs,
        held_on=TODAY - dt.timedelta(days=2),
        data={"emotional_impact": "Tired but coping"},
    )
    client.force_login(new_supervisor)
    own = client.get(reverse("supervision:record", args=[theirs.pk]))
    assert own.status_code == 200
    assert "Tired but coping" in own.content.decode()
    for name, url in _urls(signed).items():
        assert client.get(url).status_code == 403, name


def test_the_supervisee_still_reads_and_adds_to_their_own_record_after_a_handover(
    cast: Any, client: Any, signed: SessionRecord, new_supervisor: Any
) -> None:
    urls = _urls(signed)
    client.force_login(cast.practitioner)
    assert WELLBEING in client.get(urls["record"]).content.decode()
    assert client.get(urls["pdf"]).status_code == 200
    assert client.get(urls["addendum"]).status_code == 200


def test_a_former_supervisor_still_finishes_and_signs_a_record_of_a_session_held_in_time(
    cast: Any, client: Any, new_supervisor: Any
) -> None:
    """Issue 9 item 6: the session was held while the relationship lasted, so its supervisor
    signs it off (seed 001 "Recording"); once both have signed it is no longer theirs."""
    session: Any = SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=dt.datetime.combine(HELD_ON, dt.time(10), tzinfo=LONDON),
    )
    record = services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=HELD_ON,
        data={"emotional_impact": WELLBEING, "next_session_on": HELD_ON + dt.timedelta(days=28)},
    )
    url = reverse("supervision:record", args=[session.pk])
    client.force_login(cast.supervisor)
    assert WELLBEING in client.get(url).content.decode()
    signing = client.post(reverse("supervision:sign_supervisor", args=[session.pk]))
    assert signing.status_code == 302
    services.record_sign_supervisee(actor=cast.practitioner, record=record, comment="")
    assert client.get(url).status_code == 403


def test_a_former_line_manager_cannot_open_the_reports_records(
    cast: Any, client: Any, signed: SessionRecord
) -> None:
    management = cast.practitioner.line_managers.get()
    people_services.line_management_end(
        actor=cast.administrator, relationship=management, ends_on=ENDED_ON
    )
    client.force_login(cast.line_manager)
    for name, url in _urls(signed).items():
        assert client.get(url).status_code == 403, name


def test_a_lead_whose_post_in_the_agency_ended_cannot_open_its_records(
    cast: Any, client: Any, signed: SessionRecord
) -> None:
    """The lead role was left running by mistake; the post's end is what counts."""
    post = Membership.objects.get(person=cast.agency_lead, agency=cast.agency)
    people_services.membership_end(actor=cast.administrator, membership=post, ends_on=ENDED_ON)
    client.force_login(cast.agency_lead)
    for name, url in _urls(signed).items():
        assert client.get(url).status_code == 403, name


def test_a_lead_with_a_post_in_the_agency_today_opens_its_records(
    cast: Any, client: Any, signed: SessionRecord
) -> None:
    client.force_login(cast.agency_lead)
    page = client.get(_urls(signed)["record"])
    assert page.status_code == 200
    assert WELLBEING not in page.content.decode()
