"""The database holds the rules the code assumes (issue 10 item 10): a decision about a child
belongs to exactly one case discussion or one management oversight record (seed 004
Definition keeps reflective supervision and management oversight apart); a confidentiality
disclosure names a supervision record that exists (seed 003)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from oversight.children.models import ConfidentialityDisclosure
from oversight.children.services import disclosure_record
from oversight.supervision.models import Decision, ManagementOversight, RecordDisclosure
from oversight.supervision.services.oversight import DecisionInput, decision_create

from .factories import CaseDiscussionFactory


@pytest.fixture
def discussion(cast: Any, child: Any) -> Any:
    return CaseDiscussionFactory(
        record__session__supervisor=cast.supervisor,
        record__session__supervisee=cast.practitioner,
        record__session__agency=cast.agency,
        child=child,
    )


@pytest.fixture
def oversight(cast: Any, child: Any, today: dt.date) -> ManagementOversight:
    return ManagementOversight.objects.create(
        child=child, agency=cast.agency, made_by=cast.line_manager, made_on=today
    )


def _decision(cast: Any, child: Any, today: dt.date, **home: Any) -> Decision:
    return Decision(
        child=child,
        agency=cast.agency,
        decided_on=today,
        decided_by=cast.supervisor,
        decision="Strategy discussion",
        rationale="Escalating risk",
        file_due_on=today,
        **home,
    )


@pytest.mark.parametrize("homes", ["neither", "both"])
def test_a_decision_belongs_to_exactly_one_discussion_or_oversight_record(
    cast: Any, child: Any, today: dt.date, discussion: Any, oversight: Any, homes: str
) -> None:
    home = (
        {}
        if homes == "neither"
        else {"case_discussion": discussion, "management_oversight": oversight}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        _decision(cast, child, today, **home).save()
    _decision(cast, child, today, case_discussion=discussion).save()
    _decision(cast, child, today, management_oversight=oversight).save()
    assert Decision.objects.count() == 2


def test_a_decision_with_no_discussion_or_oversight_is_refused_in_our_words(
    cast: Any, child: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError) as refused:
        decision_create(
            actor=cast.supervisor,
            child=child,
            agency=cast.agency,
            decided_on=today,
            item=DecisionInput("Strategy discussion", "Escalating risk"),
        )
    assert (
        "A decision is recorded in one case discussion or one management oversight record."
        in str(refused.value)
    )
    assert not Decision.objects.exists()


def _disclosure(cast: Any) -> ConfidentialityDisclosure:
    return disclosure_record(
        actor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        category="unsafe_practice",
        reason="Visits recorded that did not happen",
        what_is_needed="Audit the visits",
    )


def test_a_disclosure_names_a_supervision_record_that_exists(cast: Any, discussion: Any) -> None:
    disclosure = _disclosure(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordDisclosure.objects.create(disclosure=disclosure, record_id=discussion.record_id + 999)
        connection.check_constraints()
    link = RecordDisclosure.objects.create(disclosure=disclosure, record=discussion.record)
    assert disclosure.source_record == link
    assert list(discussion.record.disclosures.all()) == [link]
