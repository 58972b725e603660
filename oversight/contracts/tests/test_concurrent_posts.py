"""Issue 10 item 6 against PostgreSQL: two identical posts of a contract draft or a policy
version at the same moment make one row, and both posts land on it instead of the second
being told it already exists. The helpers are supervision's (a thread and a connection per
post, released together)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.contracts.models import SupervisionContract, SupervisionPolicy
from oversight.people.models import SupervisionRelationship
from oversight.supervision.tests.test_concurrent_posts import (
    _duplicates,
    _post_twice_at_once,
    _token,
)

from .factories import SupervisionPolicyFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def _opened(person: Any, url: str) -> tuple[dict[str, Any], str]:
    """The form as the page offers it: its initial values and its one-time token."""
    client = Client()
    client.force_login(person)
    page = client.get(url)
    initial = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in page.context["form"].initial.items()
        if v is not None
    }
    return initial, _token(page.content.decode())


def test_two_identical_contract_drafts_at_once_make_one_contract(cast: Any) -> None:
    relationship = SupervisionRelationship.objects.get(supervisee=cast.practitioner)
    url = reverse("contracts:contract_create", args=[relationship.pk])
    data, token = _opened(cast.supervisor, url)
    data["submission_token"] = token
    assert _post_twice_at_once(cast.supervisor, url, data) == [302, 302]
    assert _duplicates(SupervisionContract.objects.filter(relationship=relationship).count) == 0


def test_two_identical_policy_versions_at_once_save_one_version(cast: Any) -> None:
    SupervisionPolicyFactory(
        agency=cast.agency, effective_from=dt.date(2025, 1, 1), change_reason="First policy."
    )
    url = reverse("contracts:policy_create", args=[cast.agency.pk])
    data, token = _opened(cast.agency_lead, url)
    data.update(
        staff_group="",
        effective_from=timezone.localdate().isoformat(),
        interval_days=21,
        change_reason="More frequent supervision after the thematic review.",
        submission_token=token,
    )
    assert _post_twice_at_once(cast.agency_lead, url, data) == [302, 302]
    versions = SupervisionPolicy.objects.filter(change_reason__startswith="More frequent")
    assert _duplicates(versions.count) == 0
