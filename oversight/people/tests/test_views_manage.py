"""Administration pages: what an administrator can do through the forms, and that nobody
else can post to them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from oversight.core.testing import ROLE_NAMES, today_is
from oversight.people.models import (
    Agency,
    Membership,
    Person,
    Role,
    RoleAssignment,
    SupervisionRelationship,
    TrainingRecord,
)

# The day these tests are set on: pinned, since CI runs the suite at several clock dates.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


@pytest.fixture
def admin_client(client: Any, cast: Any) -> Any:
    client.force_login(cast.administrator)
    return client


def test_agency_create_with_nation(admin_client: Any) -> None:
    response = admin_client.post(
        reverse("people:agency_create"),
        {"name": "Testshire Police", "sector": "police", "nation": "WLS"},
        follow=True,
    )
    assert "Testshire Police added." in response.content.decode()
    assert Agency.objects.get(name="Testshire Police").get_nation_display() == "Wales"


def test_stale_edit_refused_and_typed_text_kept(admin_client: Any, cast: Any) -> None:
    url = reverse("people:agency_edit", args=[cast.agency.pk])
    form = admin_client.get(url).context["form"]
    assert form.initial["version"] == 1
    Agency.objects.filter(pk=cast.agency.pk).update(version=2, name="Renamed by someone else")
    data = {"name": "My new name", "sector": "health", "nation": "ENG", "version": "1"}
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in page
    assert 'value="My new name"' in page
    assert Agency.objects.get(pk=cast.agency.pk).name == "Renamed by someone else"
    # Saving again deliberately applies the change over the newer version.
    response = admin_client.post(url, {**data, "version": "2"})
    assert response.status_code == 302
    assert Agency.objects.get(pk=cast.agency.pk).name == "My new name"


def test_person_create_then_post_with_new_starter(admin_client: Any, cast: Any) -> None:
    response = admin_client.post(
        reverse("people:person_create"),
        {"given_name": "Nia", "family_name": "Evans", "email": "nia@example.org", "username": ""},
    )
    person = Person.objects.get(email="nia@example.org")
    assert response["Location"] == reverse("people:manage_person", args=[person.pk])
    response = admin_client.post(
        reverse("people:post_create", args=[person.pk]),
        {
            "agency": cast.agency.pk,
            "job_title": "Social worker",
            "team": cast.team.pk,
            "contact_level": "direct",
            "starts_on": TODAY.isoformat(),
            "new_starter": "newly_qualified",
            "new_starter_until": "",
        },
    )
    assert "Enter the date the newly-qualified" in response.content.decode()
    admin_client.post(
        reverse("people:post_create", args=[person.pk]),
        {
            "agency": cast.agency.pk,
            "job_title": "Social worker",
            "team": cast.team.pk,
            "contact_level": "direct",
            "starts_on": TODAY.isoformat(),
            "new_starter": "newly_qualified",
            "new_starter_until": (TODAY + dt.timedelta(days=365)).isoformat(),
        },
    )
    post = Membership.objects.get(person=person)
    assert post.is_new_starter_on(TODAY) and post.team == cast.team
    page = admin_client.get(reverse("people:manage_person", args=[person.pk])).content.decode()
    assert "Newly qualified until" in page


def test_supervision_start_with_handover_shows_notes(admin_client: Any, cast: Any) -> None:
    response = admin_client.post(
        reverse("people:supervision_start", args=[cast.practitioner.pk]),
        {
            "senior": cast.agency_lead.pk,
            "agency": cast.agency.pk,
            "starts_on": TODAY.isoformat(),
            "handover_notes": "Family A: visit overdue.",
        },
    )
    assert response.status_code == 302
    new = SupervisionRelationship.objects.get(supervisee=cast.practitioner, ends_on=None)
    assert new.supervisor == cast.agency_lead and new.handover_from is not None
    admin_client.force_login(cast.practitioner)
    page = admin_client.get(
        reverse("people:person_detail", args=[cast.practitioner.pk])
    ).content.decode()
    assert "Family A: visit overdue." in page


def test_self_supervision_refused_in_the_form(admin_client: Any, cast: Any) -> None:
    response = admin_client.post(
        reverse("people:supervision_start", args=[cast.practitioner.pk]),
        {"senior": cast.practitioner.pk, "agency": cast.agency.pk, "starts_on": TODAY},
    )
    assert "There is a problem" in response.content.decode()
    assert "from the choices given" in response.content.decode()
    assert not SupervisionRelationship.objects.filter(
        supervisor=cast.practitioner, supervisee=cast.practitioner
    ).exists()


def test_the_supervisor_picker_offers_colleagues_with_the_role_only(
    admin_client: Any, cast: Any
) -> None:
    """A partnership has thousands of people: the picker lists the practitioner's agency's
    supervisors (and its lead), not everyone, and not the other agency's supervisor."""
    page = admin_client.get(
        reverse("people:supervision_start", args=[cast.practitioner.pk])
    ).content.decode()
    picker = page.split('name="senior"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'<option value="(\d+)"', picker))
    assert offered == {str(cast.supervisor.pk), str(cast.agency_lead.pk)}


def test_role_assign_end_and_training(admin_client: Any, cast: Any) -> None:
    admin_client.post(
        reverse("people:role_assign", args=[cast.stranger.pk]),
        {"role": Role.SUPERVISOR, "agency": cast.agency.pk, "starts_on": TODAY.isoformat()},
    )
    role = RoleAssignment.objects.get(person=cast.stranger, role=Role.SUPERVISOR)
    admin_client.post(reverse("people:role_end", args=[role.pk]), {"ends_on": TODAY.isoformat()})
    role.refresh_from_db()
    assert role.ends_on == TODAY
    admin_client.post(
        reverse("people:training_add", args=[cast.stranger.pk]),
        {
            "course": "Supervision skills",
            "completed_on": (TODAY - dt.timedelta(days=900)).isoformat(),
            "expires_on": (TODAY - dt.timedelta(days=170)).isoformat(),
        },
    )
    record = TrainingRecord.objects.get(person=cast.stranger)
    page = admin_client.get(
        reverse("people:manage_person", args=[cast.stranger.pk])
    ).content.decode()
    assert "Lapsed" in page
    admin_client.post(reverse("people:training_archive", args=[record.pk]), {"reason": "Wrong"})
    record.refresh_from_db()
    assert record.is_archived


def test_close_account(admin_client: Any, cast: Any) -> None:
    admin_client.post(
        reverse("people:person_deactivate", args=[cast.stranger.pk]),
        {"reason": "Left the agency", "ends_on": TODAY.isoformat()},
    )
    cast.stranger.refresh_from_db()
    assert not cast.stranger.is_active


@pytest.mark.parametrize("role", [r for r in ROLE_NAMES if r != "administrator"])
def test_only_administrators_can_post(client: Any, cast: Any, role: str) -> None:
    client.force_login(cast.by_name(role))
    response = client.post(
        reverse("people:agency_create"), {"name": "Sneaky", "sector": "other", "nation": "ENG"}
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(name="Sneaky").exists()


def test_a_lead_role_is_refused_for_someone_with_no_post_in_that_agency(
    admin_client: Any, cast: Any
) -> None:
    """Known limit of issue 10: a lead sees everyone in the agency, so only someone who works
    there may be made its lead. The page names the agency and keeps what was chosen."""
    url = reverse("people:role_assign", args=[cast.stranger.pk])
    data = {
        "role": Role.AGENCY_LEAD,
        "agency": cast.other_agency.pk,
        "starts_on": TODAY.isoformat(),
    }
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f"{cast.stranger.display_name} has no post in {cast.other_agency.name} on "
        f"{TODAY:%-d %B %Y}. Add their post there first" in page
    )
    assert f'value="{cast.other_agency.pk}" selected' in page
    assert not RoleAssignment.objects.filter(person=cast.stranger, role=Role.AGENCY_LEAD).exists()
    # Where they have a post, they can be made its lead.
    data["agency"] = cast.agency.pk
    assert admin_client.post(url, data).status_code == 302
    assert RoleAssignment.objects.get(person=cast.stranger, role=Role.AGENCY_LEAD).agency == (
        cast.agency
    )
