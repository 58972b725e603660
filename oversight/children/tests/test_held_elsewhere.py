"""Each involvement says whether another agency holds the child (decision 0030), so a lead's
list of the children their agency contributes to reads only those. The services that open
involvements set it; ``manage.py verify_integrity`` names a row that disagrees with its child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from oversight.children import services
from oversight.children.models import AgencyInvolvement
from oversight.core.testing import integrity_verified, today_is

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 17)  # a Tuesday
VALID_NHS = "9434765919"


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def _council_child_with_health_involved(cast: Any) -> Any:
    """Registered by the council, naming health as involved (a label), then health adds its
    own involvement: every way an involvement opens."""
    child = services.child_create(
        actor=cast.practitioner,
        agency=cast.agency,
        case_reference="CS-9",
        display_name="Family K – child A",
        legal_status="child_in_need",
        status_since=TODAY - dt.timedelta(days=30),
        allocated_practitioner=cast.practitioner,
        nhs_number=VALID_NHS,
        agencies_involved=[cast.other_agency],
    )
    services.involvement_add(
        actor=cast.other_lead,
        agency=cast.other_agency,
        case_reference="HV-1",
        allocated_worker=cast.other_practitioner,
        starts_on=TODAY - dt.timedelta(days=3),
        lawful_basis="safeguarding",
        nhs_number=VALID_NHS,
    )
    return child


def test_the_services_say_which_involvements_another_agency_holds(cast):
    child = _council_child_with_health_involved(cast)
    flags = sorted(
        AgencyInvolvement.objects.filter(child=child).values_list(
            "agency_id", "case_reference", "held_elsewhere"
        )
    )
    assert flags == sorted(
        [
            (cast.agency.pk, "CS-9", False),  # the council holds the child
            (cast.other_agency.pk, "", True),  # the council's label, replaced
            (cast.other_agency.pk, "HV-1", True),  # health's own involvement
        ]
    )
    code, out = integrity_verified()
    assert code == 0
    assert "agency involvements held elsewhere: all intact" in out


def test_the_health_lead_sees_the_child_as_one_their_agency_contributes_to(cast, client):
    _council_child_with_health_involved(cast)
    client.force_login(cast.other_lead)
    body = client.get(reverse("children:child_list")).content.decode()
    assert "Children another agency holds that your agency is involved with" in body
    assert "Family K – child A" in body
    client.force_login(cast.agency_lead)
    body = client.get(reverse("children:child_list")).content.decode()
    assert "Children another agency holds that your agency is involved with" not in body


def test_verify_integrity_names_an_involvement_whose_flag_disagrees_with_its_child(cast):
    child = _council_child_with_health_involved(cast)
    own = AgencyInvolvement.objects.get(child=child, agency=cast.agency)
    AgencyInvolvement.objects.filter(pk=own.pk).update(held_elsewhere=True)
    code, out = integrity_verified()
    assert code == 1
    assert (
        f"BROKEN at AgencyInvolvement {own.pk}: it says another agency holds the child, "
        "but its own agency does" in out
    )
