"""Issue 9 item 7: the agency's policy says which session types count towards a person's
supervision (seed 001 standard 3: one-to-one or group, decided locally). The setting is
versioned with the rest of the policy, shown and editable on the policy form."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from oversight.contracts.models import SupervisionPolicy
from oversight.contracts.selectors import policy_in_force

from .factories import SupervisionPolicyFactory

NOW = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))

pytestmark = pytest.mark.usefixtures("_pinned")


@pytest.fixture
def _pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_one_to_ones_count_towards_supervision_unless_the_agency_decides_otherwise(
    cast: Any, client: Any
) -> None:
    assert policy_in_force(
        agency_id=cast.agency.pk, staff_group_id=None, on=NOW.date()
    ).counted_session_types == ["one_to_one"]
    client.force_login(cast.agency_lead)
    page = client.get(reverse("contracts:agency_policy", args=[cast.agency.pk])).content.decode()
    assert "Session types that count towards supervision" in page


def test_the_policy_form_says_which_session_types_count_and_keeps_each_version(
    cast: Any, client: Any
) -> None:
    SupervisionPolicyFactory(agency=cast.agency, effective_from=dt.date(2025, 1, 1))
    client.force_login(cast.agency_lead)
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    form_page = client.get(url)
    assert "Session types that count towards a person&#x27;s supervision" in (
        form_page.content.decode()
    )
    data = dict(form_page.context["form"].initial)
    data.update(
        effective_from="2026-11-17",
        counted_session_types=["one_to_one", "reflective_group"],
        change_reason="Reflective practice groups count, as the named nurse guidance says.",
    )
    assert client.post(url, data).status_code == 302
    new = SupervisionPolicy.objects.get(agency=cast.agency, effective_from=dt.date(2026, 11, 17))
    assert new.counted_session_types == ["one_to_one", "reflective_group"]
    history = client.get(reverse("contracts:agency_policy", args=[cast.agency.pk]))
    assert (
        "Session types that count towards supervision: Planned 1:1 to Planned 1:1, "
        "Reflective practice group"
    ) in history.content.decode()


def test_a_type_the_agency_does_not_use_cannot_count(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    data = dict(client.get(url).context["form"].initial)
    data.update(
        effective_from="2026-11-17",
        session_types=["one_to_one"],
        counted_session_types=["one_to_one", "group"],
        change_reason="Groups count.",
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Only session types the agency uses can count towards supervision" in (
        refused.content.decode()
    )
    data["counted_session_types"] = []
    refused = client.post(url, data)
    assert "Choose at least one type of session that counts towards supervision" in (
        refused.content.decode()
    )
    assert not SupervisionPolicy.objects.filter(agency=cast.agency).exists()
