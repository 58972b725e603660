"""A lead of two agencies manages each one's assurance on its own page: the evaluation
frequency, the record audit, and (for anyone with posts in two) the wellbeing pulse. The
agency is in the URL and the rule is checked against it (decision 0002); the links without
an agency send a person with one agency straight there and let a person with two choose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.models import (
    AuditedRecord,
    EvaluationSettings,
    PulseParticipation,
    PulseResponse,
    RecordAudit,
)
from oversight.core.testing import today_is
from oversight.people.models import Role
from oversight.people.tests.factories import MembershipFactory, RoleAssignmentFactory
from oversight.supervision.models import RagRating, SessionStatus
from oversight.supervision.tests.factories import (
    CaseDiscussionFactory,
    ChildFactory,
    SessionFactory,
    SessionRecordFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def lead_of_both(cast: Any) -> Any:
    # A lead leads an agency where they hold a post (decision 0002).
    MembershipFactory(person=cast.agency_lead, agency=cast.other_agency, job_title="Named nurse")
    RoleAssignmentFactory(person=cast.agency_lead, agency=cast.other_agency, role=Role.AGENCY_LEAD)
    return cast.agency_lead


def test_lead_of_two_agencies_sets_the_second_agencys_evaluation_frequency(cast, client):
    client.force_login(lead_of_both(cast))
    index = client.get(reverse("assurance:index")).content.decode()
    dashboard = reverse("assurance:agency_dashboard", args=[cast.other_agency.pk])
    assert dashboard in index
    assert reverse("assurance:agency_settings", args=[cast.other_agency.pk]) in (
        client.get(dashboard).content.decode()
    )
    url = reverse("assurance:agency_settings", args=[cast.other_agency.pk])
    assert client.post(url, {"interval_months": "3"}).status_code == 302
    assert EvaluationSettings.objects.get(agency=cast.other_agency).interval_months == 3
    assert not EvaluationSettings.objects.filter(agency=cast.agency, interval_months=3).exists()


def test_lead_of_one_agency_cannot_set_the_other_agencys_evaluation_frequency(cast, client):
    client.force_login(cast.agency_lead)
    url = reverse("assurance:agency_settings", args=[cast.other_agency.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"interval_months": "3"}).status_code == 403
    assert not EvaluationSettings.objects.filter(agency=cast.other_agency).exists()


def _held_in_other_agency(cast: Any, days: int, rag: str) -> Any:
    on = TODAY - dt.timedelta(days=days)
    session = SessionFactory(
        supervisor=cast.other_supervisor,
        supervisee=cast.other_practitioner,
        agency=cast.other_agency,
        status=SessionStatus.HELD,
        held_on=on,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
    )
    record = SessionRecordFactory(session=session)
    CaseDiscussionFactory(
        record=record,
        child=ChildFactory(agency=cast.other_agency),
        rag_rating=rag,
        discussed_on=on,
    )
    return record


DRAW = {
    "title": "Health audit",
    "period_start": (TODAY - dt.timedelta(days=90)).isoformat(),
    "period_end": TODAY.isoformat(),
    "per_stratum": "3",
}


def test_lead_of_two_agencies_audits_the_second_agencys_records(cast, client):
    sampled = _held_in_other_agency(cast, 40, RagRating.RED)
    client.force_login(lead_of_both(cast))
    listing = client.get(reverse("assurance:audit_list")).content.decode()
    draw = reverse("assurance:audit_draw", args=[cast.other_agency.pk])
    assert draw in listing and f"Audit records of {cast.other_agency.name}" in listing
    response = client.post(draw, DRAW)
    audit = RecordAudit.objects.get()
    assert audit.agency == cast.other_agency
    assert response["Location"] == reverse("assurance:audit_detail", args=[audit.pk])
    item = AuditedRecord.objects.get(audit=audit)
    assert item.record_id == sampled.pk
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("assurance:audited_record", args=[item.pk])).status_code == 200


def test_lead_of_one_agency_cannot_audit_the_other_agency(cast, client):
    _held_in_other_agency(cast, 40, RagRating.RED)
    client.force_login(cast.agency_lead)
    draw = reverse("assurance:audit_draw", args=[cast.other_agency.pk])
    assert draw not in client.get(reverse("assurance:audit_list")).content.decode()
    assert client.get(draw).status_code == 403
    assert client.post(draw, DRAW).status_code == 403
    assert not RecordAudit.objects.exists()


def test_person_with_posts_in_two_agencies_answers_the_pulse_for_the_second(cast, client):
    client.force_login(lead_of_both(cast))
    chooser = client.get(reverse("assurance:pulse"))
    assert chooser.status_code == 200
    second = reverse("assurance:agency_pulse", args=[cast.other_agency.pk])
    page = chooser.content.decode()
    assert f'href="{second}"' in page
    assert reverse("assurance:agency_pulse", args=[cast.agency.pk]) in page
    assert cast.other_agency.name in client.get(second).content.decode()
    assert (
        client.post(second, {"stress": "3", "resilience": "", "reflection": ""}).status_code == 302
    )
    assert PulseResponse.objects.get().agency_id == cast.other_agency.pk
    assert PulseParticipation.objects.get(respondent=cast.agency_lead).agency_id == (
        cast.other_agency.pk
    )
    # The first agency's pulse is still open to them this quarter.
    first = client.get(reverse("assurance:agency_pulse", args=[cast.agency.pk])).content.decode()
    assert "You have answered the pulse this quarter" not in first


def test_pulse_for_an_agency_without_a_post_there_is_refused(cast, client):
    client.force_login(cast.practitioner)
    url = reverse("assurance:agency_pulse", args=[cast.other_agency.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"stress": "3"}).status_code == 403
    assert not PulseResponse.objects.exists()
