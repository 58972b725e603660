"""Two people editing the same child: an edit without its version is refused, a stale one
shows the other person's saved values beside what was typed, and a deliberate second save
goes through (issue 10 item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import Child
from oversight.children.tests.factories import ChildFactory
from oversight.core.testing import version_on_page

pytestmark = pytest.mark.django_db


def _two_editors(cast: Any) -> tuple[Child, str, Client, Client]:
    child: Child = ChildFactory.create(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        case_reference="CS-1",
        display_name="Family T – child A",
    )
    url = reverse("children:child_edit", args=[child.pk])
    first, second = Client(), Client()
    first.force_login(cast.supervisor)
    second.force_login(cast.practitioner)
    return child, url, first, second


def _details(**changes: str) -> dict[str, str]:
    return {"case_reference": "CS-1", "display_name": "Family T – child A", **changes}


def test_an_edit_without_its_version_is_refused_and_saves_nothing(cast: Any) -> None:
    child, url, _, second = _two_editors(cast)
    response = second.post(url, _details(display_name="Crafted without a version"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "sent without saying which version of the record it changes" in page
    assert 'value="Crafted without a version"' in page
    child.refresh_from_db()
    assert child.display_name == "Family T – child A"
    assert child.version == 1


def test_a_stale_edit_shows_the_other_persons_changes_beside_your_text(cast: Any) -> None:
    child, url, first, second = _two_editors(cast)
    opened_first = version_on_page(first.get(url).content.decode())
    opened_second = version_on_page(second.get(url).content.decode())
    saved = first.post(url, _details(display_name="Family T – child B", version=opened_first))
    assert saved.status_code == 302

    refused = second.post(url, _details(display_name="Family T – Ash", version=opened_second))
    page = refused.content.decode()
    child.refresh_from_db()
    at = f"{timezone.localtime(child.modified_at):%H:%M}"
    assert refused.status_code == 200
    assert "Someone else changed this record while you were editing it" in page
    assert f"Changed by {cast.supervisor.display_name} at {at} while you were editing" in page
    panel = page.split('id="stale-changes"', 1)[1].split("</table>", 1)[0]
    assert "Initials or short name" in panel
    assert panel.index("Family T – child B") < panel.index("Family T – Ash")
    assert 'value="Family T – Ash"' in page
    assert child.display_name == "Family T – child B"


def test_after_a_refusal_a_deliberate_second_save_succeeds(cast: Any) -> None:
    child, url, first, second = _two_editors(cast)
    opened_first = version_on_page(first.get(url).content.decode())
    opened_second = version_on_page(second.get(url).content.decode())
    first.post(url, _details(display_name="Family T – child B", version=opened_first))
    refused = second.post(url, _details(display_name="Family T – Ash", version=opened_second))
    assert refused.status_code == 200

    again = second.post(
        url,
        _details(display_name="Family T – Ash", version=version_on_page(refused.content.decode())),
    )
    assert again.status_code == 302
    child.refresh_from_db()
    assert child.display_name == "Family T – Ash"
