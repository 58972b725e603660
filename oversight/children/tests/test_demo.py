"""The children demo builds a believable register on top of the people demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

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
    resolved = QualityConcern.objects.get(stage="resolved")
    assert resolved.three_way_recorded_by is not None
    assert resolved.three_way_attendees.count() >= 2


def test_demo_escalations_say_they_were_raised_when_their_first_level_began(client):
    """The demo raised its escalations days or weeks back, but each page said it was raised on
    the day the demo was loaded (and acknowledged then), after its own levels had begun."""
    ctx = DemoContext(seed=2026, today=dt.date(2026, 11, 23), scale="small", password_hash="x")
    people_demo.build(ctx)
    demo.build(ctx)
    escalations = list(Escalation.objects.select_related("raised_by"))
    assert len(escalations) >= 5
    for escalation in escalations:
        first = escalation.steps.order_by("started_on", "id").first()
        client.force_login(escalation.raised_by)
        response = client.get(reverse("children:escalation_detail", args=[escalation.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert f"on {first.started_on.day} {first.started_on:%B %Y}</dd>" in page
        for step in escalation.steps.exclude(acknowledged_at=None):
            acknowledged = timezone.localdate(step.acknowledged_at)
            assert step.started_on <= acknowledged <= (step.ended_on or ctx.today)
        if escalation.resolved_at is not None:
            assert timezone.localdate(escalation.resolved_at) <= ctx.today
    concern = QualityConcern.objects.get(stage="three_way")
    assert timezone.localdate(concern.created_at) < ctx.today - dt.timedelta(days=6)
