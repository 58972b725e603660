"""factory-boy factories for people and organisation. Named role users live in conftest.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from oversight.core.testing import TEST_PASSWORD
from oversight.people.models import (
    Agency,
    LineManagement,
    Membership,
    Partnership,
    Person,
    Role,
    RoleAssignment,
    Sector,
    StaffGroup,
    SupervisionRelationship,
    Team,
    TrainingRecord,
)


def _long_ago() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=3 * 365)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = "Testshire Safeguarding Children Partnership"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.CHILDRENS_SOCIAL_CARE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class StaffGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffGroup

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Staff group {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    job_title = "Social worker"
    starts_on = factory.LazyFunction(_long_ago)


class SupervisionRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionRelationship

    supervisor = factory.SubFactory(PersonFactory)
    supervisee = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    starts_on = factory.LazyFunction(_long_ago)


class LineManagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineManagement

    manager = factory.SubFactory(PersonFactory)
    report = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    starts_on = factory.LazyFunction(_long_ago)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = Role.PRACTITIONER
    agency = factory.SubFactory(AgencyFactory)
    starts_on = factory.LazyFunction(_long_ago)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(PersonFactory)
    course = "Safeguarding supervision skills"
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=900))
