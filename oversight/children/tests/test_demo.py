"""The children demo builds a believable register on top of the people demo."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.children import demo
from oversight.children.models import (
    Child,
    ConfidentialityDisclosure,
    Escalation,
    EscalationLevel,
    LegalStatus,
    QualityConcern,
    ReviewMeeting,
    UrgentDiscussionRequest,
)
from oversight.core.demo import DemoContext
from oversight.people import demo as people_demo

pytestmark = pytest.mark.django_db


def test_demo_register():
    ctx = DemoContext(seed=2026, today=dt.date(2026, 11, 23), scale="small", password_hash="x")
    people_demo.build(ctx)
    demo.build(ctx)
    demo.finish(ctx)
    assert len(ctx.shared["children"]) == Child.objects.count() > 60
    for username in ("practitioner.csc", "practitioner.health"):
        caseload = Child.objects.filter(allocated_practitioner__username=username)
        assert 8 <= caseload.count() <= 15
    csc = Child.objects.filter(allocated_practitioner__username="practitioner.csc")
    assert set(csc.values_list("legal_status", flat=True)) >= set(LegalStatus.values) - {
        LegalStatus.CLOSED
    }
    assert ReviewMeeting.objects.filter(
        meets_on__gte=ctx.today, meets_on__lte=ctx.today + dt.timedelta(days=14)
    ).exists()
    assert set(Escalation.objects.values_list("level", flat=True)) == set(EscalationLevel.values)
    assert UrgentDiscussionRequest.objects.filter(status="waiting").exists()
    assert ConfidentialityDisclosure.objects.exists()
    assert QualityConcern.objects.filter(stage="three_way").exists()
