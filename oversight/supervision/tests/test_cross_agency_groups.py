"""Issue 13 item 6 (seed 002): a reflective practice group may invite practitioners from
several agencies. They are found by their exact work email address (nothing lists the
partnership's staff); each attendee's own agency counts their attendance; a person from
another agency who was not invited never sees the group's record."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.compliance import compliance_for
from oversight.contracts.models import SessionType
from oversight.contracts.tests.factories import SupervisionPolicyFactory
from oversight.supervision import services
from oversight.supervision.models import SessionAttendance

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
GROUP_NOTE = "Disguised compliance: GROUP-ONLY-LEARNING from Child Q"


@pytest.fixture(autouse=True)
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _plan(client: Any, **extra: Any) -> Any:
    url = reverse("supervision:session_plan") + "?type=reflective_group"
    form = client.get(url).context["form"]
    return client.post(
        url,
        {
            "submission_token": form["submission_token"].value(),
            "session_type": SessionType.REFLECTIVE_GROUP,
            "title": "CSPR: Child Q",
            "date": "2026-11-24",
            "start_time": "13:00",
            "duration_minutes": "90",
            **extra,
        },
    )


def test_a_reflective_group_invites_another_agencys_practitioner_by_exact_email(cast, client):
    client.force_login(cast.supervisor)
    page = client.get(reverse("supervision:session_plan") + "?type=reflective_group")
    html = page.content.decode()
    assert "Practitioners from other agencies (optional)" in html
    # The choices list the facilitator's own colleagues only: nothing lists the partnership.
    assert cast.other_practitioner.display_name not in html

    response = _plan(
        client,
        attendees=[cast.practitioner.pk],
        invite_emails=f"  {cast.other_practitioner.email.upper()}  \n",
    )
    assert response.status_code == 302, response.content.decode()
    invited = set(SessionAttendance.objects.values_list("person_id", flat=True))
    assert invited == {cast.practitioner.pk, cast.other_practitioner.pk}


def test_an_unknown_or_malformed_address_is_explained_and_nothing_is_planned(cast, client):
    client.force_login(cast.supervisor)
    unknown = _plan(client, attendees=[cast.practitioner.pk], invite_emails="nobody@health.example")
    assert (
        "No one with a current post in a partner agency has the address nobody@health.example"
        in unknown.content.decode()
    )
    malformed = _plan(client, attendees=[cast.practitioner.pk], invite_emails="not an address")
    assert "is not an email address" in malformed.content.decode()
    assert not SessionAttendance.objects.exists()


def test_only_a_reflective_practice_group_invites_from_other_agencies(cast):
    with pytest.raises(ValidationError) as refused:
        services.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.GROUP,
            supervisor=cast.supervisor,
            attendees=[cast.practitioner],
            invite_emails=[cast.other_practitioner.email],
            agency=cast.agency,
            planned_start=timezone.now() + dt.timedelta(days=3),
        )
    assert "Only a reflective practice group" in str(refused.value)


def test_the_invited_practitioner_reads_the_group_and_its_agency_counts_it(cast, client):
    SupervisionPolicyFactory(
        agency=cast.other_agency,
        interval_days=30,
        counted_session_types=[SessionType.ONE_TO_ONE, SessionType.REFLECTIVE_GROUP],
    )
    session = services.session_plan(
        actor=cast.supervisor,
        session_type=SessionType.REFLECTIVE_GROUP,
        supervisor=cast.supervisor,
        attendees=[cast.practitioner],
        invite_emails=[cast.other_practitioner.email],
        agency=cast.agency,
        planned_start=timezone.now() - dt.timedelta(hours=2),
        title="CSPR: Child Q",
    )
    services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=timezone.localdate(),
        data={"learning_development": GROUP_NOTE},
    )
    SessionAttendance.objects.filter(session=session).update(attended=True)

    record_url = reverse("supervision:record", args=[session.pk])
    pdf_url = reverse("supervision:record_pdf", args=[session.pk])
    client.force_login(cast.other_practitioner)
    assert GROUP_NOTE in client.get(record_url).content.decode()
    (health,) = compliance_for(on=timezone.localdate(), person_ids=[cast.other_practitioner.pk])
    assert health.agency_name == cast.other_agency.name
    assert health.last_held_on == timezone.localdate()

    # Deny side: the health visitor's own supervisor and lead, not invited, see nothing of it.
    for outsider in (cast.other_supervisor, cast.other_lead):
        client.force_login(outsider)
        for url in (
            reverse("supervision:session_detail", args=[session.pk]),
            record_url,
            pdf_url,
        ):
            response = client.get(url)
            assert response.status_code == 403, (outsider, url)
            assert GROUP_NOTE not in response.content.decode()
