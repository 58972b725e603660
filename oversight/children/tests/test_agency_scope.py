"""A lead of two agencies manages each one on its own page: the agency is in the URL and the
rule is checked against it (decision 0002). The settings link without an agency sends a lead
of one agency straight there and lets a lead of two choose."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.children.models import DriftSettings
from oversight.people.models import Role
from oversight.people.tests.factories import MembershipFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "consecutive_enabled": "on",
    "consecutive_count": 4,
    "repeated_count": 6,
    "repeated_months": 6,
    "pre_review_working_days": 5,
    "escalation_days_supervisor": 1,
    "escalation_days_line_manager": 3,
    "escalation_days_senior_manager": 5,
    "escalation_days_partnership": 10,
}


def lead_of_both(cast):
    # A lead leads an agency where they hold a post (decision 0002).
    MembershipFactory(person=cast.agency_lead, agency=cast.other_agency, job_title="Named nurse")
    RoleAssignmentFactory(person=cast.agency_lead, agency=cast.other_agency, role=Role.AGENCY_LEAD)
    return cast.agency_lead


def test_lead_of_two_agencies_chooses_and_changes_the_second_agencys_settings(cast, client):
    client.force_login(lead_of_both(cast))
    chooser = client.get(reverse("children:settings"))
    assert chooser.status_code == 200
    page = chooser.content.decode()
    second = reverse("children:agency_settings", args=[cast.other_agency.pk])
    assert f'href="{second}"' in page and cast.other_agency.name in page
    assert reverse("children:agency_settings", args=[cast.agency.pk]) in page

    form = client.get(second).content.decode()
    assert cast.other_agency.name in form
    response = client.post(second, SETTINGS)
    assert response.status_code == 302 and response["Location"] == second
    saved = DriftSettings.objects.get(agency=cast.other_agency)
    assert saved.consecutive_count == 4
    assert not DriftSettings.objects.filter(agency=cast.agency).exists()


def test_lead_of_one_agency_cannot_change_the_other_agencys_settings(cast, client):
    client.force_login(cast.agency_lead)
    url = reverse("children:agency_settings", args=[cast.other_agency.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, SETTINGS).status_code == 403
    assert not DriftSettings.objects.filter(agency=cast.other_agency).exists()
    # The settings link without an agency goes to the lead's own agency.
    own = reverse("children:agency_settings", args=[cast.agency.pk])
    assert client.get(reverse("children:settings"))["Location"] == own


def test_child_list_links_to_the_settings_for_a_lead_only(cast, client):
    client.force_login(lead_of_both(cast))
    assert (
        reverse("children:settings") in client.get(reverse("children:child_list")).content.decode()
    )
    client.force_login(cast.practitioner)
    assert (
        reverse("children:settings")
        not in client.get(reverse("children:child_list")).content.decode()
    )
