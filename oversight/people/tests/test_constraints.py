"""The database holds the rules the code assumes (issue 10 item 10): a dated row (post,
supervision, line management, role) never ends before it starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oversight.people import services
from oversight.people.models import LineManagement, Membership, RoleAssignment
from oversight.people.models import SupervisionRelationship as Supervision


@pytest.mark.parametrize("model", [Supervision, LineManagement, Membership, RoleAssignment])
def test_a_relationship_that_ends_before_it_starts_is_refused_by_the_database(
    cast: Any, model: Any
) -> None:
    row = model.objects.filter(starts_on__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(ends_on=row.starts_on - dt.timedelta(days=1))


def test_ending_a_supervision_before_it_started_is_refused_in_our_words(cast: Any) -> None:
    relationship = cast.practitioner.supervisions_received.get()
    with pytest.raises(ValidationError) as refused:
        services.supervision_relationship_end(
            actor=cast.administrator,
            relationship=relationship,
            ends_on=relationship.starts_on - dt.timedelta(days=1),
        )
    assert "The end date must be on or after the start date." in str(refused.value)
    relationship.refresh_from_db()
    assert relationship.ends_on is None
