"""factory-boy factories for supervision policies and contracts."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from oversight.contracts.models import ContractStatus, SupervisionContract, SupervisionPolicy
from oversight.contracts.services import add_months
from oversight.people.models import Agency
from oversight.people.tests.factories import AgencyFactory, PersonFactory


class SupervisionPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionPolicy

    agency = factory.SubFactory(AgencyFactory)
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=730))
    change_reason = "First policy."


class SupervisionContractFactory(factory.django.DjangoModelFactory):
    """A draft contract; ``signed=True`` makes it active, signed by both parties."""

    class Meta:
        model = SupervisionContract
        skip_postgeneration_save = True

    supervisor = factory.SubFactory(PersonFactory)
    supervisee = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    frequency_days = 30
    session_duration_minutes = 90
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    review_due_on = factory.LazyAttribute(lambda c: add_months(c.starts_on, 12))
    supervisor_responsibilities = "Provide time and a private place; keep clear records."
    supervisee_responsibilities = "Attend on time and bring an agenda."
    notice_of_changes = "Two working days' notice of any change or cancellation."

    class Params:
        signed = factory.Trait(
            status=ContractStatus.ACTIVE,
            signed_on=factory.SelfAttribute("starts_on"),
            supervisor_signed_at=factory.LazyAttribute(
                lambda c: timezone.make_aware(dt.datetime.combine(c.starts_on, dt.time(10)))
            ),
            supervisee_signed_at=factory.LazyAttribute(
                lambda c: timezone.make_aware(dt.datetime.combine(c.starts_on, dt.time(11)))
            ),
            supervisor_signed_by=factory.SelfAttribute("supervisor"),
            supervisee_signed_by=factory.SelfAttribute("supervisee"),
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def policy_changed(agency: Agency | None, on: dt.date, **changes: object) -> SupervisionPolicy:
    """A new agency-wide policy from ``on``: the one in force the day before, with
    ``changes`` (a stricter interval or ceiling part way through a history under test)."""
    current = (
        SupervisionPolicy.objects.filter(agency=agency, staff_group=None, effective_from__lt=on)
        .order_by("-effective_from")
        .first()
    )
    assert current is not None, "the agency has no policy before the change"
    current.pk = None
    current.effective_from = on
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    return current
