"""Issue 10 item 6 against PostgreSQL for the administration's create forms: two identical
posts at the same moment (a double click past the button's own guard) add one person, one
post, one training record. The helpers are supervision's (a thread and a connection per
post, released together)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from oversight.people.models import Membership, Person, TrainingRecord
from oversight.supervision.tests.test_concurrent_posts import (
    _duplicates,
    _form,
    _post_twice_at_once,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_identical_add_a_person_posts_at_once_add_one_person(cast: Any) -> None:
    """Before the token the second post failed on the unique email (a server error)."""
    url = reverse("people:person_create")
    data = {
        "given_name": "Ola",
        "family_name": "Nowak",
        "email": "ola.nowak@example.org",
        "submission_token": _form(cast.administrator, url),
    }
    assert _post_twice_at_once(cast.administrator, url, data) == [302, 302]
    assert _duplicates(Person.objects.filter(email="ola.nowak@example.org").count) == 0


def test_two_identical_add_a_post_posts_at_once_add_one_post(cast: Any) -> None:
    person = Person.objects.create(
        username="ola", email="ola@example.org", given_name="Ola", family_name="Nowak"
    )
    url = reverse("people:post_create", args=[person.pk])
    data = {
        "agency": cast.agency.pk,
        "job_title": "Social worker",
        "contact_level": "direct",
        "starts_on": "2026-01-05",
        "submission_token": _form(cast.administrator, url),
    }
    assert _post_twice_at_once(cast.administrator, url, data) == [302, 302]
    assert _duplicates(Membership.objects.filter(person=person).count) == 0


def test_two_identical_training_posts_at_once_add_one_record(cast: Any) -> None:
    url = reverse("people:training_add", args=[cast.practitioner.pk])
    data = {
        "course": "Safeguarding supervision",
        "completed_on": "2026-01-05",
        "submission_token": _form(cast.administrator, url),
    }
    assert _post_twice_at_once(cast.administrator, url, data) == [302, 302]
    assert _duplicates(TrainingRecord.objects.filter(person=cast.practitioner).count) == 0
