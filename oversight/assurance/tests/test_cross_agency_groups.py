"""Issue 13 item 6 (seed 002): a reflective practice group run by one agency may invite
practitioners from several agencies; each attendee's own agency counts their attendance,
under its own policy, and the agency that ran the group does not count them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from oversight.assurance.compliance import compliance_for
from oversight.contracts.models import SessionType
from oversight.contracts.tests.factories import SupervisionPolicyFactory

from .test_group_supervision import GROUPS_COUNT, days_ago, group, one_to_one

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_health_visitor_at_the_councils_group_counts_for_health(cast: Any, client: Any):
    SupervisionPolicyFactory(
        agency=cast.other_agency, interval_days=30, counted_session_types=GROUPS_COUNT
    )
    SupervisionPolicyFactory(
        agency=cast.agency, interval_days=30, counted_session_types=[SessionType.ONE_TO_ONE]
    )
    one_to_one(cast, cast.other_practitioner, days_ago(50))
    group(cast, days_ago(10), {cast.practitioner: True, cast.other_practitioner: True})

    (health,) = compliance_for(on=TODAY, person_ids=[cast.other_practitioner.pk])
    assert health.agency_name == cast.other_agency.name
    assert health.last_held_on == days_ago(10)  # health's policy counts groups
    assert health.days_overdue == 0
    (council,) = compliance_for(on=TODAY, person_ids=[cast.practitioner.pk])
    assert council.last_held_on != days_ago(10)  # the council's policy does not

    client.force_login(cast.other_lead)
    page = client.get(reverse("assurance:compliance")).content.decode()
    assert cast.other_practitioner.display_name in page
    assert "7 Nov 2026" in page
    client.force_login(cast.agency_lead)
    page = client.get(reverse("assurance:compliance")).content.decode()
    assert cast.other_practitioner.display_name not in page
