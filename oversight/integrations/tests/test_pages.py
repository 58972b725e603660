"""Registering and looking after an integration on the pages (issue 16 item 2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from oversight.core.models import AuditEvent
from oversight.integrations.models import Integration, secret_hash

from .helpers import integration_for

pytestmark = pytest.mark.django_db


def test_a_lead_registers_their_agencys_case_system_and_sees_the_secret_once(
    cast: Any, client: Any
) -> None:
    client.force_login(cast.agency_lead)
    form = client.get(reverse("integrations:register")).content.decode()
    assert "Testshire Children&#x27;s Services" in form
    assert "Testshire Community Health" not in form  # not an agency they lead
    response = client.post(
        reverse("integrations:register"),
        {
            "agency": cast.agency.pk,
            "name": "Mosaic — Northshire CSC",
            "scopes": ["children:write", "decisions:read", "decisions:confirm"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Integration registered" in page
    secret = re.search(r'data-testid="secret">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    integration = Integration.objects.get()
    assert integration.secret_hash == secret_hash(secret) and secret not in str(
        Integration.objects.values().get()
    )
    assert integration.scopes == ["children:write", "decisions:read", "decisions:confirm"]
    detail = client.get(reverse("integrations:detail", args=[integration.pk])).content.decode()
    assert integration.client_id in detail and secret not in detail
    assert "Confirm decisions are on the child&#x27;s file" in detail
    assert AuditEvent.objects.filter(
        object_type="integrations.integration", object_id=str(integration.pk), action="create"
    ).exists()


def test_a_lead_cannot_register_for_another_agency(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    response = client.post(
        reverse("integrations:register"),
        {"agency": cast.other_agency.pk, "name": "SystmOne", "scopes": ["children:read"]},
    )
    assert response.status_code == 200 and "Choose the agency." in response.content.decode()
    assert not Integration.objects.exists()


def test_registering_without_scopes_keeps_what_was_typed(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    response = client.post(
        reverse("integrations:register"), {"agency": cast.agency.pk, "name": "Liquidlogic"}
    )
    page = response.content.decode()
    assert "Choose what the system may do." in page and 'value="Liquidlogic"' in page


def test_the_list_shows_only_the_agencies_a_lead_leads(cast: Any, client: Any) -> None:
    integration_for(cast.agency, actor=cast.agency_lead, name="Mosaic")
    integration_for(cast.other_agency, actor=cast.other_lead, name="SystmOne")
    client.force_login(cast.other_lead)
    page = client.get(reverse("integrations:list")).content.decode()
    assert "SystmOne" in page and "Mosaic" not in page
    client.force_login(cast.administrator)
    page = client.get(reverse("integrations:list")).content.decode()
    assert "SystmOne" in page and "Mosaic" in page


def test_scopes_change_and_a_stale_change_is_refused(cast: Any, client: Any) -> None:
    integration, _ = integration_for(cast.agency, actor=cast.agency_lead)
    client.force_login(cast.agency_lead)
    url = reverse("integrations:scopes", args=[integration.pk])
    response = client.post(url, {"scopes": ["sessions:read"], "version": integration.version})
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.scopes == ["sessions:read"]
    stale = client.post(url, {"scopes": ["children:read"], "version": integration.version - 1})
    assert "Someone else changed this record" in stale.content.decode()


def test_the_integrations_list_keeps_its_query_count(
    cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        integration_for(cast.agency, actor=cast.agency_lead, name=f"System {n}")
    client.force_login(cast.agency_lead)
    with django_assert_max_num_queries(14):
        client.get(reverse("integrations:list"))
