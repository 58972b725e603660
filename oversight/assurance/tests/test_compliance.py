"""The compliance selector, rule by rule (issue 5 item 1 and its acceptance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.assurance.compliance import compliance_for, policy_from
from oversight.contracts.models import ContractStatus, SupervisionPolicy
from oversight.contracts.selectors import ContractStanding, policy_in_force
from oversight.contracts.tests.factories import SupervisionContractFactory, SupervisionPolicyFactory
from oversight.core.testing import today_is
from oversight.people.models import NewStarter
from oversight.people.tests import factories as pf
from oversight.supervision.models import ActionStatus, SessionStatus
from oversight.supervision.tests.factories import (
    ActionFactory,
    SessionFactory,
    SessionRecordFactory,
)

# The day these tests are set on: pinned, since CI runs the suite at several clock dates.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def held(cast: Any, person: Any, on: dt.date, supervisor: Any = None) -> Any:
    return SessionFactory(
        supervisor=supervisor or cast.supervisor,
        supervisee=person,
        agency=cast.agency,
        status=SessionStatus.HELD,
        held_on=on,
        planned_start=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
    )


def row_of(person: Any, on: dt.date = TODAY, **scope: Any) -> Any:
    rows = compliance_for(on=on, person_ids=[person.pk], **scope)
    assert len(rows) == 1
    return rows[0]


def test_last_held_next_due_and_days_overdue_follow_the_policy(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
    held(cast, cast.practitioner, days_ago(50))
    held(cast, cast.practitioner, days_ago(40))
    row = row_of(cast.practitioner)
    assert row.last_held_on == days_ago(40)
    assert row.interval_days == 30
    assert row.next_due_on == days_ago(10)
    assert row.days_overdue == 10
    assert not row.supervised_within_interval
    assert "Supervision overdue by 10 days" in row.issues


def test_planned_cancelled_and_future_sessions_do_not_count(cast: Any) -> None:
    held(cast, cast.practitioner, days_ago(20))
    SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        status=SessionStatus.CANCELLED,
    )
    row = row_of(cast.practitioner, on=days_ago(25))
    assert row.last_held_on is None


def test_never_supervised_is_due_an_interval_after_starting_the_post(cast: Any) -> None:
    person = pf.PersonFactory()
    pf.MembershipFactory(person=person, agency=cast.agency, starts_on=days_ago(45))
    row = row_of(person)
    assert row.last_held_on is None
    assert row.next_due_on == days_ago(15)
    assert row.days_overdue == 15
    assert not row.has_supervisor
    assert "No safeguarding supervisor" in row.issues


def test_a_policy_change_mid_period_judges_each_date_by_the_policy_then_in_force(
    cast: Any,
) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30, effective_from=days_ago(400))
    SupervisionPolicyFactory(agency=cast.agency, interval_days=60, effective_from=days_ago(20))
    held(cast, cast.practitioner, days_ago(100))

    before = row_of(cast.practitioner, on=days_ago(50))
    assert before.interval_days == 30
    assert before.next_due_on == days_ago(70)
    assert before.days_overdue == 20

    after = row_of(cast.practitioner)
    assert after.interval_days == 60
    assert after.next_due_on == days_ago(40)
    assert after.days_overdue == 40


def test_a_staff_group_policy_overrides_the_agency_policy(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
    SupervisionPolicyFactory(agency=cast.agency, staff_group=cast.staff_group, interval_days=45)
    assert row_of(cast.practitioner).interval_days == 45


def test_policy_choice_matches_policy_in_force(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30, effective_from=days_ago(400))
    SupervisionPolicyFactory(agency=cast.agency, interval_days=60, effective_from=days_ago(20))
    SupervisionPolicyFactory(
        agency=cast.agency,
        staff_group=cast.staff_group,
        interval_days=21,
        effective_from=days_ago(10),
    )
    loaded = list(SupervisionPolicy.objects.all())
    for on in (days_ago(500), days_ago(100), days_ago(15), TODAY):
        for group in (None, cast.staff_group.pk):
            mine = policy_from(loaded, agency_id=cast.agency.pk, staff_group_id=group, on=on)
            theirs = policy_in_force(agency_id=cast.agency.pk, staff_group_id=group, on=on)
            assert (mine.pk, mine.interval_days) == (theirs.pk, theirs.interval_days)


def test_newly_qualified_interval_until_the_period_ends_then_the_usual_one(cast: Any) -> None:
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30, new_starter_interval_days=14)
    person = pf.PersonFactory()
    pf.MembershipFactory(
        person=person,
        agency=cast.agency,
        new_starter=NewStarter.NEWLY_QUALIFIED,
        new_starter_until=days_ago(10),
    )
    held(cast, person, days_ago(40))

    while_newly_qualified = row_of(person, on=days_ago(15))
    assert while_newly_qualified.new_starter
    assert while_newly_qualified.interval_days == 14
    assert while_newly_qualified.days_overdue == 11

    qualified = row_of(person)
    assert not qualified.new_starter
    assert qualified.interval_days == 30
    assert qualified.days_overdue == 10


@pytest.mark.parametrize(
    ("contract", "expected"),
    [
        (None, ContractStanding.MISSING),
        ({}, ContractStanding.UNSIGNED),
        ({"signed": True}, ContractStanding.OK),
        (
            {"signed": True, "starts_on": days_ago(400), "review_due_on": days_ago(35)},
            ContractStanding.REVIEW_DUE,
        ),
    ],
    ids=["missing", "unsigned", "in place", "review due"],
)
def test_contract_missing_unsigned_or_due_for_review(
    cast: Any, contract: dict[str, Any] | None, expected: ContractStanding
) -> None:
    if contract is not None:
        SupervisionContractFactory(
            supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, **contract
        )
    row = row_of(cast.practitioner)
    assert row.contract == expected
    assert row.contract_in_place == (expected == ContractStanding.OK)
    if expected != ContractStanding.OK:
        assert ContractStanding(expected).label in row.issues


def test_records_unsigned_past_the_deadline(cast: Any) -> None:
    late = SessionRecordFactory(
        session=held(cast, cast.practitioner, days_ago(30)), sign_by=days_ago(20)
    )
    SessionRecordFactory(session=held(cast, cast.practitioner, days_ago(5)), sign_by=days_ago(-2))
    signed = SessionRecordFactory(
        session=held(cast, cast.practitioner, days_ago(60)),
        sign_by=days_ago(50),
        supervisee_signed_at=timezone.make_aware(dt.datetime.combine(days_ago(52), dt.time(10))),
    )
    assert late and signed
    assert row_of(cast.practitioner).records_unsigned_overdue == 1
    # The supervisor is a party to the same records.
    assert row_of(cast.supervisor).records_unsigned_overdue == 1
    # Before its deadline passed, the late record was not yet late.
    assert row_of(cast.practitioner, on=days_ago(21)).records_unsigned_overdue == 0


def test_records_unsigned_on_a_past_date(cast: Any) -> None:
    """Issue 17 item 3: on a past date, a record signed late counts as unsigned past its
    deadline from the day after the deadline until the day before it was signed; one signed
    in time never does; one still unsigned counts on every day after its deadline. Days are
    the service's (Europe/London): a signature at 23:30 on a day counts on that day."""

    def signed_on(day: dt.date, at: dt.time = dt.time(10)) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, at))

    # Held 100 days ago, due 90 days ago, signed 60 days ago late in the evening.
    SessionRecordFactory(
        session=held(cast, cast.practitioner, days_ago(100)),
        sign_by=days_ago(90),
        supervisee_signed_at=signed_on(days_ago(60), dt.time(23, 30)),
    )
    # Held 80 days ago, due 70 days ago, signed the day before its deadline.
    SessionRecordFactory(
        session=held(cast, cast.practitioner, days_ago(80)),
        sign_by=days_ago(70),
        supervisee_signed_at=signed_on(days_ago(71)),
    )
    # Held 40 days ago, due 30 days ago, never signed.
    SessionRecordFactory(session=held(cast, cast.practitioner, days_ago(40)), sign_by=days_ago(30))

    def unsigned(on: dt.date) -> int:
        return row_of(cast.practitioner, on=on).records_unsigned_overdue

    assert unsigned(days_ago(90)) == 0  # the deadline day itself
    assert unsigned(days_ago(89)) == 1  # the day after: late
    assert unsigned(days_ago(70)) == 1  # the second record is signed in time
    assert unsigned(days_ago(61)) == 1  # the day before the late signature
    assert unsigned(days_ago(60)) == 0  # signed that evening
    assert unsigned(days_ago(30)) == 0
    assert unsigned(days_ago(29)) == 1  # the unsigned one, from the day after its deadline
    assert unsigned(TODAY) == 1


def test_actions_overdue(cast: Any) -> None:
    record = SessionRecordFactory(session=held(cast, cast.practitioner, days_ago(30)))
    ActionFactory(origin_record=record, owner=cast.practitioner, due_on=days_ago(3))
    ActionFactory(
        origin_record=record,
        owner=cast.practitioner,
        due_on=days_ago(3),
        status=ActionStatus.DONE,
        completed_on=days_ago(4),
    )
    ActionFactory(origin_record=record, owner=cast.practitioner, due_on=days_ago(-3))
    row = row_of(cast.practitioner)
    assert row.actions_overdue == 1
    assert "1 action overdue" in row.issues


def test_supervisors_training_and_their_own_supervision(cast: Any) -> None:
    supervisor = row_of(cast.supervisor)
    assert supervisor.is_supervisor
    assert supervisor.training == "valid"
    assert supervisor.supervised_themselves is True

    other = row_of(cast.other_supervisor)
    assert other.is_supervisor
    assert other.training == "none"
    assert other.supervised_themselves is False
    assert "Supervisor not supervised" in other.issues

    pf.TrainingRecordFactory(
        person=cast.other_supervisor, completed_on=days_ago(800), expires_on=days_ago(70)
    )
    assert row_of(cast.other_supervisor).training == "lapsed"
    assert row_of(cast.other_supervisor, on=days_ago(100)).training == "valid"
    assert not row_of(cast.practitioner).is_supervisor


def test_query_count_does_not_grow_with_people(cast: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            compliance_for(on=TODAY, agency_ids=[cast.agency.pk])
        return len(queries)

    before = count()
    for _ in range(8):
        person = pf.PersonFactory()
        pf.MembershipFactory(person=person, agency=cast.agency, team=cast.team)
        pf.SupervisionRelationshipFactory(
            supervisor=cast.supervisor, supervisee=person, agency=cast.agency
        )
        record = SessionRecordFactory(session=held(cast, person, days_ago(40)), sign_by=days_ago(2))
        ActionFactory(origin_record=record, owner=person, due_on=days_ago(1))
        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=person,
            agency=cast.agency,
            status=ContractStatus.DRAFT,
        )
    # The policies, the posts with each person's figures, their contracts and unsigned
    # records (issue 17 item 1).
    assert count() == before == 3


def test_contract_standings_agree_with_the_contracts_selector(cast: Any) -> None:
    from oversight.contracts.selectors import contract_standings

    people: list[Any] = [pf.PersonFactory() for _ in range(5)]
    for person in people:
        pf.MembershipFactory(person=person, agency=cast.agency)
    SupervisionContractFactory(supervisor=cast.supervisor, supervisee=people[0], agency=cast.agency)
    SupervisionContractFactory(
        supervisor=cast.supervisor, supervisee=people[1], agency=cast.agency, signed=True
    )
    SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=people[2],
        agency=cast.agency,
        signed=True,
        starts_on=days_ago(400),
        review_due_on=days_ago(40),
    )
    SupervisionContractFactory(
        supervisor=cast.supervisor,
        supervisee=people[3],
        agency=cast.agency,
        signed=True,
        status=ContractStatus.ENDED,
        starts_on=days_ago(400),
        ended_on=days_ago(100),
    )
    for on in (days_ago(200), days_ago(45), TODAY):
        expected = contract_standings(supervisee_ids=[p.pk for p in people], on=on)
        for person in people:
            assert row_of(person, on=on).contract == expected[person.pk].standing


def test_one_of_anything_is_said_in_the_singular_where_people_read_it(
    cast: Any, client: Any
) -> None:
    """The compliance page and the supervisor's home panel said '1 records unsigned past the
    deadline; 1 actions overdue'."""
    SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
    record = SessionRecordFactory(
        session=held(cast, cast.practitioner, days_ago(31)), sign_by=days_ago(3)
    )
    ActionFactory(origin_record=record, owner=cast.practitioner, due_on=days_ago(3))
    client.force_login(cast.line_manager)
    html = client.get(reverse("assurance:compliance")).content.decode()
    assert "<li>Supervision overdue by 1 day</li>" in html
    assert "1 record unsigned past the deadline" in html
    assert "1 action overdue" in html
    assert "1 records" not in html and "1 actions" not in html
    # The supervisor's list of supervisees (linked from home) shows the same issues.
    client.force_login(cast.supervisor)
    html = client.get(reverse("assurance:my_people")).content.decode()
    assert "1 record unsigned past the deadline" in html
    assert "1 action overdue" in html
    assert "1 records" not in html and "1 actions" not in html


def test_an_agency_and_other_people_read_in_one_pass_give_the_rows_of_each_read(
    cast: Any,
) -> None:
    """A lead's home reads their agency and their own people together (issue 17 item 1);
    each row is the one its own read gives, and the agency's rows keep their order."""
    SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        status=SessionStatus.HELD,
        held_on=days_ago(40),
    )
    people = {cast.other_practitioner.pk, cast.practitioner.pk}
    both = compliance_for(on=TODAY, agency_ids={cast.agency.pk}, also_person_ids=people)
    of_agency = compliance_for(on=TODAY, agency_ids={cast.agency.pk})
    of_people = compliance_for(on=TODAY, person_ids=people)
    assert [r for r in both if r.agency_id == cast.agency.pk] == of_agency
    assert [r for r in both if r.person_id in people] == of_people
    assert {r.person_id for r in both} == {r.person_id for r in of_agency} | people
