"""Reads compiled once per process (core.prepared; decision 0029): each gives the rows its
queryset gives, for any values of the same shape, and a read that cannot be compiled once is
refused under the test settings rather than answering for the wrong person or day."""

from __future__ import annotations

import datetime as dt
import threading
from typing import cast

import pytest
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.test.utils import CaptureQueriesContext

from oversight.core.prepared import NotPreparable, prepared
from oversight.people.models import Membership, Person
from oversight.people.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@prepared
def posts_of(*, person_ids: list[int], on: dt.date) -> QuerySet[Membership]:
    return (
        Membership.objects.on(on)
        .filter(person_id__in=person_ids)
        .select_related("person", "agency")
        .order_by("person__family_name", "pk")
    )


@prepared
def names_of(*, person_id: int) -> QuerySet[Person, str]:
    return Person.objects.filter(pk=person_id).values_list("family_name", flat=True)


@prepared(shaped=("shown",))
def first_people(*, agency_pairs: list[tuple[int, int]], shown: int) -> QuerySet[Person]:
    scope = Q(pk__in=[])
    for person_id, agency_id in agency_pairs:
        scope |= Q(pk=person_id, memberships__agency_id=agency_id)
    return Person.objects.filter(scope).order_by("pk")[:shown]


def _posted(family_name: str, agency, starts_on: dt.date = dt.date(2020, 1, 1)) -> Person:
    person = cast(Person, PersonFactory(family_name=family_name))
    MembershipFactory(person=person, agency=agency, starts_on=starts_on)
    return person


def test_each_person_gets_their_own_posts_from_one_compiled_read():
    agency = AgencyFactory()
    ada, bo, cy = (_posted(name, agency) for name in ("Ada", "Bo", "Cy"))
    assert [m.person for m in posts_of(person_ids=[ada.pk], on=DAY)] == [ada]
    assert [m.person for m in posts_of(person_ids=[bo.pk], on=DAY)] == [bo]
    # Two people is another shape: compiled again, still the right two.
    assert [m.person for m in posts_of(person_ids={cy.pk, ada.pk}, on=DAY)] == [ada, cy]
    assert len({key[1] for key in posts_of._compiled}) == 2


def test_the_day_is_a_value_not_part_of_the_sql():
    agency = AgencyFactory()
    later = _posted("Later", agency, starts_on=dt.date(2026, 6, 1))
    assert posts_of(person_ids=[later.pk], on=DAY) == []
    assert [m.person for m in posts_of(person_ids=[later.pk], on=dt.date(2026, 6, 1))] == [later]


def test_related_rows_come_with_the_read_and_nothing_more_is_asked():
    agency = AgencyFactory(name="Northshire Council")
    ada = _posted("Ada", agency)
    posts_of(person_ids=[ada.pk], on=DAY)
    with CaptureQueriesContext(connection) as captured:
        (post,) = posts_of(person_ids=[ada.pk], on=DAY)
        assert (post.person.family_name, post.agency.name) == ("Ada", "Northshire Council")
    assert len(captured) == 1


def test_an_empty_list_matches_nothing_without_a_query():
    with CaptureQueriesContext(connection) as captured:
        assert posts_of(person_ids=[], on=DAY) == []
    assert len(captured) == 0


def test_values_lists_and_pairs_are_read_as_the_queryset_reads_them():
    agency, other = AgencyFactory(), AgencyFactory()
    ada, bo = _posted("Ada", agency), _posted("Bo", other)
    assert names_of(person_id=bo.pk) == ["Bo"]
    assert names_of(person_id=ada.pk) == ["Ada"]
    pairs = [(ada.pk, agency.pk), (bo.pk, agency.pk)]  # Bo has no post in ``agency``
    assert first_people(agency_pairs=pairs, shown=5) == [ada]
    assert first_people(agency_pairs=[(bo.pk, other.pk), (ada.pk, agency.pk)], shown=1) == [ada]


@pytest.mark.django_db(transaction=True)
def test_another_thread_reads_on_its_own_connection():
    """gunicorn's threads share the compiled read; each runs it on its own connection."""
    ada = PersonFactory(family_name="Ada")
    assert names_of(person_id=ada.pk) == ["Ada"]  # compiled on this thread's connection
    found: list[object] = []

    def read() -> None:
        from django.db import connections

        try:
            with CaptureQueriesContext(connections["default"]) as captured:
                found.append(names_of(person_id=ada.pk))
            found.append(len(captured))
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert found == [["Ada"], 1]


def test_a_value_written_into_the_sql_is_refused():
    @prepared
    def others(*, person_id: int) -> QuerySet[Person]:
        return Person.objects.extra(where=[f"people_person.id <> {person_id}"])

    with pytest.raises(NotPreparable):
        others(person_id=PersonFactory().pk)


def test_a_value_worked_out_inside_the_builder_is_caught_by_the_check():
    """The builder must pass each value through: one it derives (the day before, here) would
    be compiled in as a constant and be wrong for every later call."""

    @prepared
    def posts_before(*, person_ids: list[int], on: dt.date) -> QuerySet[Membership]:
        return Membership.objects.on(on - dt.timedelta(days=1)).filter(person_id__in=person_ids)

    person = _posted("Ada", AgencyFactory())
    with pytest.raises(AssertionError, match="differs from its queryset"):
        posts_before(person_ids=[person.pk], on=DAY)


def test_without_the_check_a_read_that_cannot_be_prepared_is_read_plainly(settings, caplog):
    settings.PREPARED_READS_CHECK = False

    @prepared
    def others(*, person_id: int) -> QuerySet[Person]:
        return Person.objects.extra(where=[f"people_person.id <> {person_id}"]).order_by("pk")

    ada, bo = PersonFactory(), PersonFactory()
    assert others(person_id=ada.pk) == [bo]
    assert others(person_id=bo.pk) == [ada]
    assert "compiled on each call" in caplog.text


def test_a_value_given_as_a_value_is_bound_like_any_other():
    @prepared
    def asked(*, person_id: int) -> QuerySet[Person]:
        return Person.objects.annotate(asked=Value(person_id)).filter(pk=person_id)

    ada, bo = PersonFactory(), PersonFactory()
    assert [p.asked for p in asked(person_id=ada.pk)] == [ada.pk]
    assert [p.asked for p in asked(person_id=bo.pk)] == [bo.pk]
