"""Selectors: a page's query count does not grow with the number of people."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from oversight.people import selectors
from oversight.people.models import Role

from . import factories as f


def _staff(cast: Any, count: int) -> list[Any]:
    made = []
    for _ in range(count):
        person = f.PersonFactory()
        f.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
        f.SupervisionRelationshipFactory(
            supervisor=cast.supervisor, supervisee=person, agency=cast.agency
        )
        f.LineManagementFactory(manager=cast.line_manager, report=person, agency=cast.agency)
        f.RoleAssignmentFactory(person=person, agency=cast.agency, role=Role.PRACTITIONER)
        f.TrainingRecordFactory(person=person)
        made.append(person)
    return made


def _walk(people: Any) -> dict[int, list[tuple[str, str]]]:
    """Each person's current posts (agency and team), as a page listing them shows them."""
    return {
        person.pk: [
            (membership.agency.name, getattr(membership.team, "name", ""))
            for membership in person.current_memberships
        ]
        for person in people
    }


@pytest.mark.parametrize("count", [5, 50])
def test_people_visible_to_a_lead(
    cast: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    staff = _staff(cast, count)
    with django_assert_max_num_queries(6):
        walked = _walk(selectors.people_visible_to(cast.agency_lead))
    post = [(cast.agency.name, cast.team.name)]
    assert all(walked.get(person.pk) == post for person in staff)


@pytest.mark.parametrize("count", [5, 50])
def test_people_for_administration(
    cast: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    staff = _staff(cast, count)
    with django_assert_max_num_queries(3):
        walked = _walk(selectors.people_for_administration())
    post = [(cast.agency.name, cast.team.name)]
    assert all(walked.get(person.pk) == post for person in staff)


@pytest.mark.parametrize("count", [5, 50])
def test_home_summary_of_a_supervisor(
    cast: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    _staff(cast, count)
    with django_assert_max_num_queries(16):
        summary = selectors.home_summary(cast.supervisor)
        assert [status for _, status in summary["supervisee_rows"]].count("valid") == count


@pytest.mark.parametrize(
    "url_name, who, limit",
    [
        ("people:team_detail", "agency_lead", 25),
        ("people:person_list", "agency_lead", 25),
        ("people:manage_person_list", "administrator", 25),
        ("people:manage_agency_list", "administrator", 25),
        ("home", "supervisor", 60),  # includes every app's home panels
    ],
)
@pytest.mark.parametrize("count", [5, 50])
def test_pages_do_not_grow_with_people(
    client: Any,
    cast: Any,
    url_name: str,
    who: str,
    limit: int,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    _staff(cast, count)
    client.force_login(cast.by_name(who))
    kwargs = {"pk": cast.team.pk} if url_name == "people:team_detail" else None
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
