"""factory-boy factories for assurance records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from oversight.people.tests.factories import AgencyFactory, PersonFactory
from oversight.supervision.tests.factories import SessionRecordFactory

from ..models import (
    AuditedRecord,
    EvaluationParticipation,
    EvaluationResponse,
    EvaluationRound,
    PulseResponse,
    RecordAudit,
    Stratum,
    WorkforceFigure,
)
from ..periods import quarter_start, round_bounds


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    agency = factory.SubFactory(AgencyFactory)
    opens_on = factory.LazyFunction(lambda: round_bounds(timezone.localdate(), 6)[0])
    closes_on = factory.LazyFunction(lambda: round_bounds(timezone.localdate(), 6)[1])


class EvaluationResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationResponse

    round = factory.SubFactory(EvaluationRoundFactory)
    supervisor = factory.SubFactory(PersonFactory)
    q1 = q2 = q3 = q4 = q5 = q6 = q7 = q8 = q9 = q10 = "yes"
    more_of = "Time to reflect on the families that worry me."


class PulseResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseResponse

    agency = factory.SubFactory(AgencyFactory)
    quarter_start = factory.LazyFunction(lambda: quarter_start(timezone.localdate()))
    stress = 3
    resilience = 4
    reflection = 4


class WorkforceFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceFigure

    agency = factory.SubFactory(AgencyFactory)
    quarter_start = factory.LazyFunction(lambda: quarter_start(timezone.localdate()))
    funded_posts = 40
    vacant_posts = 4
    sickness_days_lost = 120
    work_related_sickness_days_lost = 30


class RecordAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordAudit

    agency = factory.SubFactory(AgencyFactory)
    title = "Autumn record audit"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    period_end = factory.LazyFunction(timezone.localdate)
    drawn_by = factory.SubFactory(PersonFactory)
    drawn_on = factory.LazyFunction(timezone.localdate)


class AuditedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditedRecord

    audit = factory.SubFactory(RecordAuditFactory)
    record = factory.SubFactory(
        SessionRecordFactory, session__agency=factory.SelfAttribute("...audit.agency")
    )
    stratum = Stratum.HIGH


class EvaluationParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationParticipation

    round = factory.SubFactory(EvaluationRoundFactory)
    respondent = factory.SubFactory(PersonFactory)
    supervisor = factory.SubFactory(PersonFactory)


def answered(round_: Any, supervisor: Any, people: int, **answers: Any) -> None:
    """``people`` different supervisees each evaluated ``supervisor`` in ``round_``."""
    for _ in range(people):
        EvaluationParticipationFactory(round=round_, supervisor=supervisor)
        EvaluationResponseFactory(round=round_, supervisor=supervisor, **answers)
