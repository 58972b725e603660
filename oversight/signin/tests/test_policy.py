"""Per-agency second-factor policy (issue 14 item 2; decision 0019): an agency's lead, or an
administrator, requires a second factor of supervisors, line managers or practitioners in
that agency; nobody else may change it; the change reaches the next sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from oversight.core.models import AuditEvent
from oversight.core.testing import TEST_PASSWORD
from oversight.signin.models import SecondFactorPolicy
from oversight.signin.selectors import second_factor_required


def _url(agency: Any) -> str:
    return reverse("signin:second_factor_policy", kwargs={"pk": agency.pk})


def test_a_lead_requires_a_second_factor_of_supervisors_in_their_agency(
    client: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.agency_lead)
    with django_assert_max_num_queries(25):
        page = client.get(_url(cast.agency)).content.decode()
    assert f"Second factor in {escape(cast.agency.name)}" in page
    assert "Safeguarding supervisor" in page
    assert "Agency safeguarding lead" not in page  # always required: not a choice
    response = client.post(_url(cast.agency), {"roles": ["supervisor"], "version": ""})
    assert response.status_code == 302
    assert "Second-factor rules saved" in client.get(response["Location"]).content.decode()
    assert SecondFactorPolicy.objects.get(agency=cast.agency).roles == ["supervisor"]
    assert second_factor_required(cast.supervisor)
    assert not second_factor_required(cast.other_supervisor)  # another agency
    assert not second_factor_required(cast.practitioner)
    assert any(
        (e.detail or {}).get("second factor required for") == ["supervisor"]
        for e in AuditEvent.objects.all()
    )

    # The supervisor's next password sign-in is made to set one up.
    client.logout()
    client.post("/account/sign-in/", {"username": "supervisor", "password": TEST_PASSWORD})
    assert client.get(reverse("home"))["Location"].startswith(reverse("signin:authenticator_add"))


def test_the_lead_can_lift_the_requirement_again(client: Any, cast: Any) -> None:
    client.force_login(cast.agency_lead)
    client.post(_url(cast.agency), {"roles": ["supervisor", "practitioner"], "version": ""})
    version = SecondFactorPolicy.objects.get(agency=cast.agency).version
    client.post(_url(cast.agency), {"version": str(version)})
    assert SecondFactorPolicy.objects.get(agency=cast.agency).roles == []
    assert not second_factor_required(cast.supervisor)


def test_a_stale_form_is_refused(client: Any, cast: Any) -> None:
    client.force_login(cast.agency_lead)
    client.post(_url(cast.agency), {"roles": ["supervisor"], "version": ""})
    response = client.post(_url(cast.agency), {"roles": ["practitioner"], "version": "0"})
    assert response.status_code == 200
    assert SecondFactorPolicy.objects.get(agency=cast.agency).roles == ["supervisor"]


@pytest.mark.parametrize(
    "name", ["practitioner", "supervisor", "line_manager", "auditor", "other_lead"]
)
def test_nobody_else_may_change_an_agencys_policy(client: Any, cast: Any, name: str) -> None:
    client.force_login(cast.by_name(name))
    assert client.get(_url(cast.agency)).status_code == 403
    response = client.post(_url(cast.agency), {"roles": ["practitioner"], "version": ""})
    assert response.status_code == 403
    assert not SecondFactorPolicy.objects.filter(agency=cast.agency).exists()


def test_the_account_page_links_a_lead_to_their_own_agencys_policy_only(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.agency_lead)
    page = client.get(reverse("signin:security")).content.decode()
    assert _url(cast.agency) in page
    assert _url(cast.other_agency) not in page
    client.force_login(cast.practitioner)
    assert (
        "Who must use a second factor"
        not in client.get(reverse("signin:security")).content.decode()
    )
