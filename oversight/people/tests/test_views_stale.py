"""Two administrators changing the same agency: an edit without its version is refused, a
stale one shows the other person's saved values beside what was typed, and a deliberate
second save goes through (issue 10 item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.core.testing import version_on_page
from oversight.people.models import Agency, Person, Role
from oversight.people.tests import factories as f

pytestmark = pytest.mark.django_db


def _two_administrators(cast: Any) -> tuple[Agency, str, Client, Client, Any]:
    colleague: Person = f.PersonFactory.create(
        username="colleague", given_name="Ruth", family_name="Okafor"
    )
    f.RoleAssignmentFactory(person=colleague, agency=None, role=Role.ADMINISTRATOR)
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(cast.administrator)
    return (
        cast.agency,
        reverse("people:agency_edit", args=[cast.agency.pk]),
        first,
        second,
        colleague,
    )


def _agency(agency: Agency, **changes: str) -> dict[str, str]:
    return {"name": agency.name, "sector": agency.sector, "nation": agency.nation, **changes}


def test_an_edit_without_its_version_is_refused_and_saves_nothing(cast: Any) -> None:
    agency, url, _, second, _ = _two_administrators(cast)
    before = agency.name
    response = second.post(url, _agency(agency, name="Crafted without a version"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "sent without saying which version of the record it changes" in page
    assert 'value="Crafted without a version"' in page
    agency.refresh_from_db()
    assert agency.name == before


def test_a_stale_edit_shows_the_other_persons_changes_beside_your_text(cast: Any) -> None:
    agency, url, first, second, colleague = _two_administrators(cast)
    opened_first = version_on_page(first.get(url).content.decode())
    opened_second = version_on_page(second.get(url).content.decode())
    form = _agency(agency)
    assert (
        first.post(url, {**form, "name": "Their name", "version": opened_first}).status_code == 302
    )

    refused = second.post(url, {**form, "name": "My name", "version": opened_second})
    page = refused.content.decode()
    agency.refresh_from_db()
    at = f"{timezone.localtime(agency.modified_at):%H:%M}"
    assert refused.status_code == 200
    assert f"Changed by Ruth Okafor at {at} while you were editing" in page
    panel = page.split('id="stale-changes"', 1)[1].split("</table>", 1)[0]
    assert panel.index("Their name") < panel.index("My name")
    assert 'value="My name"' in page
    assert agency.name == "Their name"
    assert colleague.display_name == "Ruth Okafor"


def test_after_a_refusal_a_deliberate_second_save_succeeds(cast: Any) -> None:
    agency, url, first, second, _ = _two_administrators(cast)
    opened_first = version_on_page(first.get(url).content.decode())
    opened_second = version_on_page(second.get(url).content.decode())
    form = _agency(agency)
    first.post(url, {**form, "name": "Their name", "version": opened_first})
    refused = second.post(url, {**form, "name": "My name", "version": opened_second})
    again = second.post(
        url, {**form, "name": "My name", "version": version_on_page(refused.content.decode())}
    )
    assert again.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "My name"
