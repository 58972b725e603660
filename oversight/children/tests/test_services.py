"""The register's history, cadence from the database (policy changes), drift rules and flags,
escalation levels and due dates, urgent requests and concerns about supervision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oversight.children import selectors, services
from oversight.children.models import (
    Child,
    ChildStatus,
    ConcernStage,
    DriftFlag,
    DriftRule,
    EscalationLevel,
    EscalationStatus,
    EscalationSubject,
    LegalStatus,
    UrgentRequestStatus,
)
from oversight.children.tests.factories import (
    ChildFactory,
    DriftSettingsFactory,
    ReviewMeetingFactory,
    discussion,
)
from oversight.contracts.models import SupervisionPolicy

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_child_create_opens_status_and_allocation(cast):
    child = services.child_create(
        actor=cast.practitioner,
        agency=cast.agency,
        case_reference="CS-1",
        display_name="Family K – child B",
        legal_status=LegalStatus.CHILD_IN_NEED,
        status_since=days_ago(10),
        allocated_practitioner=cast.practitioner,
        agencies_involved=[cast.other_agency],
    )
    assert list(child.status_history.values_list("status", flat=True)) == ["child_in_need"]
    assert child.allocations.get().practitioner == cast.practitioner
    with pytest.raises(ValidationError) as error:
        services.child_create(
            actor=cast.practitioner,
            agency=cast.agency,
            case_reference="CS-1",
            display_name="Another",
            legal_status=LegalStatus.EARLY_HELP,
            status_since=TODAY,
            allocated_practitioner=None,
        )
    assert "case_reference" in error.value.message_dict


def test_agencies_involved_over_time(cast):
    child = services.child_create(
        actor=cast.practitioner,
        agency=cast.agency,
        case_reference="CS-2",
        display_name="Family P",
        legal_status=LegalStatus.CHILD_IN_NEED,
        status_since=days_ago(100),
        allocated_practitioner=cast.practitioner,
        agencies_involved=[cast.other_agency],
    )
    services.child_update(
        child=child,
        actor=cast.practitioner,
        expected_version=child.version,
        case_reference="CS-2",
        display_name="Family P",
        date_of_birth=None,
        agencies_involved=[],
    )
    involvement = child.involvements.get(agency=cast.other_agency)
    assert involvement.starts_on == days_ago(100)
    assert involvement.ends_on is not None
    assert not child.agencies_involved.exists()


def test_status_change_closes_current_and_keeps_child_in_step(cast):
    child = ChildFactory(agency=cast.agency, legal_status_since=days_ago(100))
    services.child_status_change(
        child=child,
        actor=cast.supervisor,
        status=LegalStatus.CHILD_PROTECTION,
        starts_on=days_ago(5),
    )
    child.refresh_from_db()
    assert child.legal_status == LegalStatus.CHILD_PROTECTION
    assert child.legal_status_since == days_ago(5)
    old, new = ChildStatus.objects.filter(child=child).order_by("starts_on")
    assert old.ends_on == days_ago(6)
    assert new.ends_on is None
    with pytest.raises(ValidationError):
        services.child_status_change(
            child=child,
            actor=cast.supervisor,
            status=LegalStatus.LOOKED_AFTER,
            starts_on=days_ago(9),
        )


def test_status_change_restarts_cadence(cast):
    child = ChildFactory(
        agency=cast.agency, legal_status=LegalStatus.EARLY_HELP, legal_status_since=days_ago(300)
    )
    assert selectors.child_cadence(child, today=TODAY).due_on is None
    services.child_status_change(
        child=child, actor=cast.supervisor, status=LegalStatus.CHILD_IN_NEED, starts_on=days_ago(2)
    )
    child.refresh_from_db()
    assert selectors.child_cadence(child, today=TODAY).due_on == days_ago(2) + dt.timedelta(92)


def test_allocation_history(cast):
    child = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.stranger, legal_status_since=days_ago(50)
    )
    services.child_allocate(
        child=child, actor=cast.supervisor, practitioner=cast.practitioner, starts_on=days_ago(3)
    )
    child.refresh_from_db()
    assert child.allocated_practitioner == cast.practitioner
    history = list(child.allocations.order_by("starts_on"))
    assert [a.practitioner for a in history] == [cast.stranger, cast.practitioner]
    assert history[0].ends_on == days_ago(4)


def test_policy_change_moves_the_due_date(cast):
    child = ChildFactory(agency=cast.agency, legal_status_since=days_ago(200))
    discussion(child, days_ago(50))
    assert selectors.child_cadence(child, today=TODAY).due_on == days_ago(50) + dt.timedelta(92)
    SupervisionPolicy.objects.create(
        agency=cast.agency, effective_from=days_ago(1), child_discussion_ceiling_days=42
    )
    cadence = selectors.child_cadence(child, today=TODAY)
    assert cadence.due_on == days_ago(8)
    assert cadence.is_overdue(TODAY)
    # Judged on a day before the change, the old policy applies.
    assert selectors.child_cadence(child, today=days_ago(2)).due_on == days_ago(50) + dt.timedelta(
        92
    )


def test_due_lists_for_each_viewer(cast):
    overdue = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status_since=days_ago(200),
    )
    soon = ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status_since=days_ago(85),
    )
    ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, legal_status_since=days_ago(5)
    )
    ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        legal_status=LegalStatus.EARLY_HELP,
        legal_status_since=days_ago(400),
    )
    for lists in (
        selectors.children_due_for_practitioner(person_id=cast.practitioner.pk, today=TODAY),
        selectors.children_due_for_supervisor(supervisee_ids={cast.practitioner.pk}, today=TODAY),
        selectors.children_due_for_agency(agency_ids={cast.agency.pk}, today=TODAY),
        selectors.children_due_for(cast.supervisor, today=TODAY),
    ):
        assert [r.child for r in lists.overdue] == [overdue]
        assert [r.child for r in lists.due_soon] == [soon]
    assert not selectors.children_due_for(cast.other_lead, today=TODAY).overdue


@pytest.mark.parametrize("count", [5, 50])
def test_due_lists_use_a_fixed_number_of_queries(cast, count, django_assert_max_num_queries):
    for i in range(count):
        child = ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status_since=days_ago(100 + i),
        )
        if i % 2:
            discussion(child, days_ago(95), rag="red")
            ReviewMeetingFactory(child=child, meets_on=TODAY + dt.timedelta(days=i))
    with django_assert_max_num_queries(6):
        lists = selectors.children_due_for_supervisor(
            supervisee_ids={cast.practitioner.pk}, today=TODAY
        )
        # What the home panel shows: the first few of each list, with who holds the child.
        rows = [
            (r.child.display_name, r.child.allocated_practitioner.display_name)
            for r in lists.overdue[: selectors.DUE_SHOWN] + lists.due_soon[: selectors.DUE_SHOWN]
        ]
    # Counted in the database; only the rows shown are loaded (issue 17 item 3).
    assert lists.overdue_count + lists.due_soon_count == count
    assert len(rows) == min(lists.overdue_count, selectors.DUE_SHOWN) + min(
        lists.due_soon_count, selectors.DUE_SHOWN
    )


# --- Drift ---------------------------------------------------------------------------------


def rated(child: Child, *ratings: str, every: int = 30) -> None:
    for i, rag in enumerate(ratings):
        discussion(child, days_ago(every * (len(ratings) - i)), rag=rag)


def open_rules(child: Child) -> set[str]:
    return set(
        child.drift_flags.filter(acknowledged_at__isnull=True).values_list("rule", flat=True)
    )


def recent_child(cast) -> Child:
    return ChildFactory.create(agency=cast.agency, legal_status_since=days_ago(400))


def test_drift_consecutive_amber_or_red(cast):
    child = recent_child(cast)
    rated(child, "green", "amber", "red")
    services.drift_evaluate(child=child, today=TODAY)
    assert DriftRule.CONSECUTIVE not in open_rules(child)
    rated(child, "amber", every=1)
    services.drift_evaluate(child=child, today=TODAY)
    assert DriftRule.CONSECUTIVE in open_rules(child)


def test_drift_consecutive_count_is_an_agency_setting(cast):
    DriftSettingsFactory(agency=cast.agency, consecutive_count=2, repeated_enabled=False)
    child = recent_child(cast)
    rated(child, "green", "amber", "amber")
    services.drift_evaluate(child=child, today=TODAY)
    assert open_rules(child) == {DriftRule.CONSECUTIVE}


def test_drift_worsening_green_to_red(cast):
    child = recent_child(cast)
    rated(child, "amber", "green", "red")
    services.drift_evaluate(child=child, today=TODAY)
    assert DriftRule.WORSENING in open_rules(child)
    flag = child.drift_flags.get(rule=DriftRule.WORSENING)
    assert "Green (improving)" in flag.reason


def test_drift_overdue_while_child_in_need(cast):
    child = recent_child(cast)
    discussion(child, days_ago(120), rag="green")
    services.drift_evaluate(child=child, today=TODAY)
    assert open_rules(child) == {DriftRule.OVERDUE}
    early_help = ChildFactory(
        agency=cast.agency, legal_status=LegalStatus.EARLY_HELP, legal_status_since=days_ago(400)
    )
    services.drift_evaluate(child=early_help, today=TODAY)
    assert open_rules(early_help) == set()


def test_drift_long_running_repeated_concern(cast):
    DriftSettingsFactory(agency=cast.agency, consecutive_enabled=False)
    child = recent_child(cast)
    rated(child, "amber", "amber", "amber", "amber", "amber", "amber", every=40)
    services.drift_evaluate(child=child, today=TODAY)
    assert open_rules(child) == {DriftRule.REPEATED}
    short = recent_child(cast)
    rated(short, "amber", "amber", "amber", "amber", "amber", "amber", every=20)
    services.drift_evaluate(child=short, today=TODAY)
    assert open_rules(short) == set()


def test_disabled_rules_raise_nothing(cast):
    DriftSettingsFactory(
        agency=cast.agency,
        consecutive_enabled=False,
        worsening_enabled=False,
        overdue_enabled=False,
        repeated_enabled=False,
    )
    child = recent_child(cast)
    rated(child, "green", "red")
    services.drift_evaluate(child=child, today=TODAY + dt.timedelta(days=400))
    assert open_rules(child) == set()


def test_flag_stays_until_acknowledged_and_is_not_duplicated(cast):
    child = recent_child(cast)
    rated(child, "green", "red")
    assert len(services.drift_evaluate(child=child, today=TODAY)) == 1
    rated(child, "green", every=1)
    assert services.drift_evaluate(child=child, today=TODAY) == []
    flag = child.drift_flags.get()
    assert flag.is_open
    assert services.drift_evaluate(child=child, today=TODAY) == []
    assert child.drift_flags.count() == 1
    with pytest.raises(ValidationError):
        services.drift_flag_acknowledge(flag=flag, actor=cast.supervisor, decision="  ")
    services.drift_flag_acknowledge(
        flag=flag, actor=cast.supervisor, decision="Plan reviewed; core group brought forward."
    )
    flag.refresh_from_db()
    assert not flag.is_open and flag.acknowledged_by == cast.supervisor


def test_drift_evaluate_agency_in_bulk(cast):
    drifting = recent_child(cast)
    rated(drifting, "amber", "red", "red")
    steady = ChildFactory(agency=cast.agency, legal_status_since=days_ago(10))
    assert services.drift_evaluate_agency(agency_id=cast.agency.pk, today=TODAY) == 1
    assert services.drift_evaluate_agency(agency_id=cast.agency.pk, today=TODAY) == 0
    assert open_rules(drifting) == {DriftRule.CONSECUTIVE}
    assert open_rules(steady) == set()


def test_task_evaluates_drift(cast):
    from oversight.children.tasks import evaluate_drift_for_agency

    child = recent_child(cast)
    rated(child, "red", "red", "red")
    result = evaluate_drift_for_agency.enqueue(cast.agency.pk, TODAY.isoformat())
    assert result.return_value == 1
    assert DriftFlag.objects.filter(child=child).count() == 1


# --- Escalation ----------------------------------------------------------------------------


def test_escalation_levels_and_due_dates(cast):
    child = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    escalation = services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject=EscalationSubject.CHILD,
        child=child,
        reason="Plan not progressing",
        what_was_tried="Raised at core group",
        today=dt.date(2026, 12, 24),
    )
    step = escalation.steps.get()
    assert step.level == EscalationLevel.SUPERVISOR
    assert step.response_due_on == dt.date(2026, 12, 30)
    services.escalation_acknowledge(escalation=escalation, actor=cast.supervisor, response="Seen")
    step = services.escalation_escalate(
        escalation=escalation,
        actor=cast.practitioner,
        reason="No change",
        today=dt.date(2027, 1, 4),
    )
    assert step.level == EscalationLevel.LINE_MANAGER
    assert step.response_due_on == dt.date(2027, 1, 11)
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.LINE_MANAGER
    services.escalation_resolve(
        escalation=escalation, actor=cast.line_manager, outcome="Agreed plan"
    )
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RESOLVED
    with pytest.raises(ValidationError):
        services.escalation_escalate(escalation=escalation, actor=cast.practitioner, reason="x")


def test_escalation_about_another_agency_must_name_another_agency(cast):
    with pytest.raises(ValidationError) as error:
        services.escalation_raise(
            actor=cast.practitioner,
            agency=cast.agency,
            subject=EscalationSubject.AGENCY_RESPONSE,
            about_agency=cast.agency,
            reason="r",
            what_was_tried="w",
        )
    assert "about_agency" in error.value.message_dict


def test_escalation_cannot_go_beyond_partnership(cast):
    escalation = services.escalation_raise(
        actor=cast.practitioner,
        agency=cast.agency,
        subject=EscalationSubject.AGENCY_RESPONSE,
        about_agency=cast.other_agency,
        reason="r",
        what_was_tried="w",
        level=EscalationLevel.PARTNERSHIP,
    )
    with pytest.raises(ValidationError):
        services.escalation_escalate(escalation=escalation, actor=cast.practitioner, reason="x")


def test_urgent_request_waits_until_answered(cast):
    request = services.urgent_request_make(
        actor=cast.practitioner, supervisor=cast.supervisor, agency=cast.agency, concern="Bruise"
    )
    assert list(selectors.urgent_requests_waiting_for(supervisor_id=cast.supervisor.pk)) == [
        request
    ]
    services.urgent_request_respond(request=request, actor=cast.supervisor, response="Met at 3pm")
    request.refresh_from_db()
    assert request.status == UrgentRequestStatus.RESPONDED
    assert not selectors.urgent_requests_waiting_for(supervisor_id=cast.supervisor.pk).exists()


def test_quality_concern_stages(cast):
    concern = services.quality_concern_raise(
        actor=cast.practitioner,
        supervisor=cast.supervisor,
        agency=cast.agency,
        kind="frequency",
        description="No supervision for four months",
    )
    concern = services.quality_concern_one_to_one(
        concern=concern,
        actor=cast.supervisor,
        met_on=TODAY,
        outcome="Dates agreed",
        resolved=False,
        expected_version=concern.version,
    )
    concern.refresh_from_db()
    assert concern.stage == ConcernStage.THREE_WAY
    services.quality_concern_three_way(
        concern=concern,
        actor=cast.line_manager,
        met_on=TODAY,
        attendees=[cast.supervisor, cast.line_manager, cast.practitioner],
        agreed_outcomes="Monthly sessions booked for six months",
        expected_version=concern.version,
    )
    concern.refresh_from_db()
    assert concern.stage == ConcernStage.RESOLVED
    assert concern.three_way_attendees.count() == 3
    assert concern.resolved_at is not None and concern.resolved_at <= timezone.now()
