"""Drift and disagreement across agencies (issue 13 item 3), with dates at the edges: the
three-month gap, the window before a shared review meeting, and the period in which two
agencies' ratings are compared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from oversight.children import services
from oversight.children.cadence import review_window_opens_on
from oversight.children.models import DriftFlag, DriftRule
from oversight.children.partnership import (
    PastMeeting,
    partnership_findings,
    still_to_raise,
)
from oversight.children.tests.factories import ChildFactory, ReviewMeetingFactory
from oversight.children.tests.multi import discuss, involve
from oversight.core.testing import today_is
from oversight.people.tests import factories as f

TODAY = dt.date(2026, 11, 17)  # a Tuesday
SW, HV, POLICE = 1, 2, 3
AGENCIES = {SW: "Children's services", HV: "Health"}


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def rules(**kwargs: Any) -> set[str]:
    args: dict[str, Any] = {
        "agencies": AGENCIES,
        "involved_since": ago(300),
        "discussions": [],
        "meeting": None,
        "today": TODAY,
    }
    args.update(kwargs)
    return {finding.rule for finding in partnership_findings(**args)}


# --- No involved agency discussed the child within three months -----------------------------


def test_no_agency_discussed_within_three_months_is_flagged_from_the_93rd_day():
    assert rules(discussions=[(ago(92), SW, "amber")]) == set()
    assert rules(discussions=[(ago(93), SW, "amber")]) == {DriftRule.PARTNERSHIP_OVERDUE}
    # Any involved agency's discussion counts; a discussion elsewhere does not.
    assert rules(discussions=[(ago(93), SW, "amber"), (ago(92), HV, "amber")]) == set()
    assert rules(discussions=[(ago(93), SW, "amber"), (ago(10), POLICE, "amber")]) == {
        DriftRule.PARTNERSHIP_OVERDUE
    }


def test_the_three_months_count_from_when_the_second_agency_became_involved():
    assert rules(involved_since=ago(92), discussions=[(ago(200), SW, "amber")]) == set()
    assert rules(involved_since=ago(93)) == {DriftRule.PARTNERSHIP_OVERDUE}
    assert rules(involved_since=ago(93), in_cadence=False) == set()


def test_a_child_known_to_one_agency_is_left_to_that_agencys_rules():
    assert rules(agencies={SW: "Children's services"}, involved_since=ago(400)) == set()


# --- Before a shared review meeting ---------------------------------------------------------

MEETS_ON = ago(7)  # Tuesday 10 November 2026
WINDOW_OPENS = review_window_opens_on(meets_on=MEETS_ON, window_working_days=10, nation="ENG")
MEETING = PastMeeting(meets_on=MEETS_ON, kind="Core group", window_opens_on=WINDOW_OPENS)


def test_a_discussion_on_the_first_day_of_the_window_prepares_for_the_meeting():
    assert dt.date(2026, 10, 27) == WINDOW_OPENS
    recent = [(ago(1), HV, "amber")]  # after the meeting: too late for it
    assert rules(meeting=MEETING, discussions=[(WINDOW_OPENS, SW, "amber"), *recent]) == set()
    assert rules(meeting=MEETING, discussions=[(MEETS_ON, HV, "amber"), *recent]) == set()


def test_a_discussion_the_day_before_the_window_does_not():
    day_before = WINDOW_OPENS - dt.timedelta(days=1)
    assert rules(
        meeting=MEETING, discussions=[(day_before, SW, "amber"), (ago(1), HV, "amber")]
    ) == {DriftRule.PARTNERSHIP_REVIEW}


def test_a_meeting_is_judged_only_once_it_has_been_held_and_within_three_months():
    today_meeting = PastMeeting(meets_on=TODAY, kind="Core group", window_opens_on=ago(14))
    recent = [(ago(1), SW, "amber")]
    assert rules(meeting=today_meeting, discussions=recent) == set()
    old = PastMeeting(meets_on=ago(93), kind="Core group", window_opens_on=ago(107))
    assert rules(meeting=old, discussions=recent) == set()
    edge = PastMeeting(meets_on=ago(92), kind="Core group", window_opens_on=ago(106))
    assert rules(meeting=edge, discussions=recent) == {DriftRule.PARTNERSHIP_REVIEW}


# --- Divergent ratings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sw,hv,divergent",
    [
        ("red", "green", True),
        ("amber", "green", True),
        ("red", "amber", False),
        ("green", "green", False),
    ],
)
def test_divergent_ratings(sw, hv, divergent):
    found = rules(discussions=[(ago(5), SW, sw), (ago(3), HV, hv)])
    assert (DriftRule.DIVERGENT in found) is divergent


def test_ratings_are_compared_within_the_same_three_months_and_only_the_latest_counts():
    assert DriftRule.DIVERGENT in rules(discussions=[(ago(92), HV, "green"), (ago(1), SW, "red")])
    assert DriftRule.DIVERGENT not in rules(
        discussions=[(ago(93), HV, "green"), (ago(1), SW, "red")]
    )
    # Health was green, then red: both agencies now agree.
    assert DriftRule.DIVERGENT not in rules(
        discussions=[(ago(30), HV, "green"), (ago(20), HV, "red"), (ago(1), SW, "red")]
    )


def test_an_acknowledged_flag_is_not_raised_again_for_the_same_ratings():
    findings = partnership_findings(
        agencies=AGENCIES,
        involved_since=ago(300),
        discussions=[(ago(5), SW, "red"), (ago(3), HV, "green")],
        meeting=None,
        today=TODAY,
    )
    assert still_to_raise(findings, [(DriftRule.DIVERGENT, ago(2), False)]) == []
    assert still_to_raise(findings, [(DriftRule.DIVERGENT, ago(4), False)]) == findings
    assert still_to_raise(findings, [(DriftRule.DIVERGENT, ago(40), True)]) == []


# --- The service, on the database -------------------------------------------------------------


@pytest.fixture
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


@pytest.mark.django_db
def test_partnership_flags_are_raised_once_and_per_agency_rules_are_unchanged(cast, _today):
    shared = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, legal_status_since=ago(300)
    )
    involve(shared, cast.other_agency, worker=cast.other_practitioner, starts_on=ago(200))
    alone = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, legal_status_since=ago(300)
    )
    for child in (shared, alone):
        discuss(
            child,
            agency=cast.agency,
            supervisee=cast.practitioner,
            supervisor=cast.supervisor,
            on=ago(5),
            rag="red",
        )
    discuss(
        shared,
        agency=cast.other_agency,
        supervisee=cast.other_practitioner,
        supervisor=cast.other_supervisor,
        on=ago(4),
        rag="green",
    )
    ReviewMeetingFactory(child=shared, kind="core_group", meets_on=ago(1))  # prepared for

    per_agency = services.drift_evaluate_agency(agency_id=cast.agency.pk, today=TODAY)
    assert per_agency == 0
    from oversight.children.tasks import evaluate_drift_for_agency

    result = evaluate_drift_for_agency.enqueue(cast.agency.pk, TODAY.isoformat())
    assert result.return_value == 1
    flag = DriftFlag.objects.get(child=shared)
    assert flag.rule == DriftRule.DIVERGENT
    assert "Testshire Community Health green" in flag.reason
    assert not DriftFlag.objects.filter(child=alone).exists()
    assert services.partnership_drift_evaluate(today=TODAY) == []  # open already

    services.drift_flag_acknowledge(flag=flag, actor=cast.supervisor, decision="Core group to meet")
    assert services.partnership_drift_evaluate(today=TODAY) == []  # same ratings
    third = f.AgencyFactory(name="Testshire Police")
    assert services.partnership_drift_evaluate(child_ids=[shared.pk], today=TODAY) == []
    assert third  # an agency not involved changes nothing
