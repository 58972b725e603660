"""factory-boy factories for the child register and the rest of children in view. Case
discussions (the supervision app's model) are made through ``discussion()`` so tests here depend
only on that model's published fields (child, discussed_on, rag_rating, record)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from oversight.children.models import (
    Child,
    ChildAllocation,
    ChildStatus,
    DriftSettings,
    LegalStatus,
    ReviewMeeting,
)
from oversight.people.tests.factories import AgencyFactory, PersonFactory


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    case_reference = factory.Sequence(lambda n: f"CIV-{n:05d}")
    display_name = factory.Sequence(lambda n: f"Family {n} – child A")
    legal_status = LegalStatus.CHILD_IN_NEED
    legal_status_since = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))

    @factory.post_generation
    def history(obj: Child, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        ChildStatus.objects.create(
            child=obj,
            status=obj.legal_status,
            starts_on=obj.legal_status_since or timezone.localdate(),
        )
        if obj.allocated_practitioner_id:
            ChildAllocation.objects.create(
                child=obj,
                practitioner_id=obj.allocated_practitioner_id,
                starts_on=obj.legal_status_since or timezone.localdate(),
            )


class ReviewMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMeeting

    child = factory.SubFactory(ChildFactory)
    kind = "cin_review"
    meets_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class DriftSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriftSettings

    agency = factory.SubFactory(AgencyFactory)


def discussion(child: Child, on: dt.date, rag: str = "amber", supervisor: Any = None) -> Any:
    """A case discussion of ``child`` on ``on`` in a held session of its own."""
    from oversight.supervision.models import CaseDiscussion, Session, SessionRecord

    practitioner: Any = child.allocated_practitioner or PersonFactory()
    session = Session.objects.create(
        session_type="one_to_one",
        supervisor=supervisor or PersonFactory.create(),
        supervisee=practitioner,
        agency=child.agency,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        status="held",
        held_on=on,
    )
    record = SessionRecord.objects.create(session=session)
    return CaseDiscussion.objects.create(
        record=record, agency=child.agency, child=child, discussed_on=on, rag_rating=rag
    )
