"""factory-boy factories for sessions and records; children come from ChildFactory here until
the children app publishes its own."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from oversight.children.models import Child
from oversight.contracts.models import SessionType
from oversight.people.tests.factories import AgencyFactory, PersonFactory
from oversight.supervision.models import (
    Action,
    CaseDiscussion,
    RagRating,
    Session,
    SessionRecord,
    SessionStatus,
)


def _days_ago(days: int) -> dt.datetime:
    start = timezone.localtime() - dt.timedelta(days=days)
    return start.replace(hour=10, minute=0, second=0, microsecond=0)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    agency = factory.SubFactory(AgencyFactory)
    case_reference = factory.Sequence(lambda n: f"CASE-{n:05d}")
    display_name = factory.Sequence(lambda n: f"Family {n} – child A")


class SessionFactory(factory.django.DjangoModelFactory):
    """A planned 1:1 in a week's time; ``held=True`` makes it held last week."""

    class Meta:
        model = Session

    session_type = SessionType.ONE_TO_ONE
    supervisor = factory.SubFactory(PersonFactory)
    supervisee = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    planned_start = factory.LazyFunction(lambda: _days_ago(-7))
    duration_minutes = 60
    location = "Room 2, Civic Centre"

    class Params:
        held = factory.Trait(
            planned_start=factory.LazyFunction(lambda: _days_ago(7)),
            status=SessionStatus.HELD,
            held_on=factory.LazyFunction(lambda: _days_ago(7).date()),
        )


class SessionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRecord

    session = factory.SubFactory(SessionFactory, held=True)
    agenda_notes = "Caseload and two families."
    sign_by = factory.LazyAttribute(lambda r: r.session.held_on + dt.timedelta(days=7))


class CaseDiscussionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDiscussion

    record = factory.SubFactory(SessionRecordFactory)
    agency = factory.SelfAttribute("record.session.agency")
    child = factory.SubFactory(
        ChildFactory, agency=factory.SelfAttribute("..record.session.agency")
    )
    discussed_on = factory.LazyAttribute(lambda d: d.record.session.held_on)
    rag_rating = RagRating.AMBER
    identified_needs = "Needs a stable routine and school attendance."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    origin_record = factory.SubFactory(SessionRecordFactory)
    description = "Ring the school nurse about attendance."
    owner = factory.LazyAttribute(lambda a: a.origin_record.session.supervisee)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
