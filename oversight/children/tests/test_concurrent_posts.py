"""Issue 10 item 6 against PostgreSQL for the children app's other create forms: two identical
posts of one form at the same moment (a double click past the button's own guard) make one
row. The helpers (a thread and a connection per post, released together) are supervision's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import (
    ConfidentialityDisclosure,
    QualityConcern,
    ReviewMeeting,
    UrgentDiscussionRequest,
)
from oversight.core.models import OutgoingEmail
from oversight.supervision.tests.test_concurrent_posts import (
    _duplicates,
    _form,
    _post_twice_at_once,
)

from .factories import ChildFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_identical_urgent_requests_at_once_ask_once(cast: Any) -> None:
    url = reverse("children:urgent_add")
    data = {
        "supervisor": cast.supervisor.pk,
        "concern": "A disclosure at the home visit",
        "submission_token": _form(cast.practitioner, url),
    }
    assert _post_twice_at_once(cast.practitioner, url, data) == [302, 302]
    assert _duplicates(UrgentDiscussionRequest.objects.count) == 0


def test_two_identical_disclosures_at_once_record_and_alert_once(cast: Any) -> None:
    url = reverse("children:disclosure_add")
    data = {
        "supervisee": cast.practitioner.pk,
        "category": "unsafe_practice",
        "reason": "Visits not made",
        "what_is_needed": "Audit the visits",
        "submission_token": _form(cast.supervisor, url),
    }
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(ConfidentialityDisclosure.objects.count) == 0
    assert OutgoingEmail.objects.filter(to=cast.agency_lead.email).count() == 1


def test_two_identical_quality_concerns_at_once_raise_one(cast: Any) -> None:
    url = reverse("children:concern_add")
    data = {
        "supervisor": cast.supervisor.pk,
        "kind": "frequency",
        "description": "No session for three months",
        "submission_token": _form(cast.practitioner, url),
    }
    assert _post_twice_at_once(cast.practitioner, url, data) == [302, 302]
    assert _duplicates(QualityConcern.objects.count) == 0


def test_two_identical_review_meeting_posts_at_once_add_one_meeting(cast: Any) -> None:
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    url = reverse("children:review_add", args=[child.pk])
    data = {
        "kind": "cin_review",
        "meets_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "submission_token": _form(cast.practitioner, url),
    }
    assert _post_twice_at_once(cast.practitioner, url, data) == [302, 302]
    assert _duplicates(ReviewMeeting.objects.filter(child=child).count) == 0
