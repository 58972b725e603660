from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oversight.contracts.models import SessionType
from oversight.contracts.tests.factories import SupervisionContractFactory, SupervisionPolicyFactory
from oversight.core.models import AuditEvent
from oversight.core.services import StaleEditError
from oversight.core.workdays import add_working_days
from oversight.people.models import Membership, NewStarter
from oversight.supervision import services
from oversight.supervision.models import (
    ActionStatus,
    Decision,
    RagRating,
    RecordStatus,
    SessionStatus,
)

from .factories import ActionFactory, SessionFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

DISCUSSION = {
    "rag_rating": RagRating.RED,
    "identified_needs": "Neglect: home conditions poor.",
    "risks": "From mother's partner.",
}


def _record(cast: Any, session: Any, **data: Any) -> Any:
    return services.session_record(
        actor=cast.supervisor,
        session=session,
        held_on=timezone.localdate(),
        data={"agenda_notes": "Caseload", **data},
    )


def _signed(cast: Any, record: Any) -> Any:
    record.next_session_on = record.session.held_on + dt.timedelta(days=28)
    record.save()
    services.record_sign_supervisor(actor=cast.supervisor, record=record)
    return services.record_sign_supervisee(
        actor=cast.practitioner, record=record, comment="Agreed."
    )


class TestSessions:
    def test_plan_a_one_to_one(self, cast: Any) -> None:
        start = timezone.now() + dt.timedelta(days=3)
        session = services.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.ONE_TO_ONE,
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=start,
        )
        assert session.status == SessionStatus.PLANNED
        assert AuditEvent.objects.filter(object_id=str(session.pk), action="create").exists()

    def test_one_to_one_needs_a_supervisee(self, cast: Any) -> None:
        with pytest.raises(ValidationError) as error:
            services.session_plan(
                actor=cast.supervisor,
                session_type=SessionType.ONE_TO_ONE,
                supervisor=cast.supervisor,
                agency=cast.agency,
                planned_start=timezone.now(),
            )
        assert "supervisee" in error.value.message_dict

    def test_group_has_attendees_and_no_supervisee(self, cast: Any) -> None:
        session = services.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.REFLECTIVE_GROUP,
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            attendees=[cast.practitioner, cast.stranger],
            agency=cast.agency,
            planned_start=timezone.now(),
            title="CSPR Child Q",
        )
        assert session.supervisee is None
        assert set(session.attendees.all()) == {cast.practitioner, cast.stranger}

    def test_policy_limits_session_types(self, cast: Any) -> None:
        SupervisionPolicyFactory(agency=cast.agency, session_types=["one_to_one"])
        with pytest.raises(ValidationError) as error:
            services.session_plan(
                actor=cast.supervisor,
                session_type=SessionType.PEER,
                supervisor=cast.supervisor,
                supervisee=cast.practitioner,
                agency=cast.agency,
                planned_start=timezone.now(),
            )
        assert "session_type" in error.value.message_dict

    def test_cancel_records_who_why_and_notice(self, cast: Any, session: Any) -> None:
        services.session_cancel(
            actor=cast.practitioner, session=session, reason="Court hearing", notice_given=True
        )
        session.refresh_from_db()
        assert session.status == SessionStatus.CANCELLED
        assert session.cancelled_by == cast.practitioner and session.notice_given

    def test_cancel_needs_a_reason_and_a_participant(self, cast: Any, session: Any) -> None:
        with pytest.raises(ValidationError):
            services.session_cancel(
                actor=cast.practitioner, session=session, reason="", notice_given=False
            )
        with pytest.raises(ValidationError):
            services.session_cancel(
                actor=cast.stranger, session=session, reason="x", notice_given=False
            )

    def test_reschedule_keeps_the_link_and_moves_the_agenda(self, cast: Any, session: Any) -> None:
        services.agenda_item_add(actor=cast.practitioner, session=session, text="Workload")
        new = services.session_reschedule(
            actor=cast.supervisor,
            session=session,
            planned_start=session.planned_start + dt.timedelta(days=2),
            reason="Supervisor on leave",
        )
        session.refresh_from_db()
        assert session.status == SessionStatus.RESCHEDULED
        assert new.rescheduled_from == session
        assert [i.text for i in new.agenda_items.all()] == ["Workload"]

    def test_did_not_attend_only_after_the_start(self, cast: Any, session: Any) -> None:
        with pytest.raises(ValidationError):
            services.session_mark_did_not_attend(actor=cast.supervisor, session=session)
        past: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=2),
        )
        services.session_mark_did_not_attend(actor=cast.supervisor, session=past)
        past.refresh_from_db()
        assert past.status == SessionStatus.DID_NOT_ATTEND

    def test_children_chosen_from_the_agency(self, cast: Any, session: Any, child: Any) -> None:
        from .factories import ChildFactory

        services.session_children_choose(actor=cast.practitioner, session=session, children=[child])
        assert [c.child for c in session.chosen_children.all()] == [child]
        with pytest.raises(ValidationError):
            services.session_children_choose(
                actor=cast.practitioner,
                session=session,
                children=[ChildFactory.create(agency=cast.other_agency)],
            )


class TestNextSessionProposal:
    def test_policy_interval_for_qualified_staff(self, cast: Any, today: dt.date) -> None:
        SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
        proposal = services.next_session_proposal(
            supervisee=cast.practitioner, agency=cast.agency, after=today
        )
        assert proposal == today + dt.timedelta(days=30)

    def test_newly_qualified_more_often(self, cast: Any, today: dt.date) -> None:
        SupervisionPolicyFactory(agency=cast.agency, interval_days=30, new_starter_interval_days=14)
        Membership.objects.filter(person=cast.practitioner).update(
            new_starter=NewStarter.NEWLY_QUALIFIED, new_starter_until=today + dt.timedelta(days=90)
        )
        proposal = services.next_session_proposal(
            supervisee=cast.practitioner, agency=cast.agency, after=today
        )
        assert proposal == today + dt.timedelta(days=14)

    def test_contract_frequency_wins_over_policy(self, cast: Any, today: dt.date) -> None:
        SupervisionPolicyFactory(agency=cast.agency, interval_days=30)
        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            frequency_days=21,
            signed=True,
        )
        proposal = services.next_session_proposal(
            supervisee=cast.practitioner, agency=cast.agency, after=today
        )
        assert proposal == today + dt.timedelta(days=21)

    def test_never_beyond_the_ceiling(self, cast: Any, today: dt.date) -> None:
        SupervisionPolicyFactory(agency=cast.agency, interval_days=60, ceiling_days=60)
        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            frequency_days=90,
            signed=True,
        )
        proposal = services.next_session_proposal(
            supervisee=cast.practitioner, agency=cast.agency, after=today
        )
        assert proposal == today + dt.timedelta(days=60)


class TestRecording:
    def test_first_save_marks_held_and_sets_deadline(self, cast: Any, today: dt.date) -> None:
        session: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=1),
        )
        record = _record(cast, session)
        session.refresh_from_db()
        assert session.status == SessionStatus.HELD and session.held_on == today
        assert record.sign_by == add_working_days(today, 5, "ENG")
        assert record.status == RecordStatus.DRAFT

    def test_only_the_supervisor_records(self, cast: Any, session: Any) -> None:
        with pytest.raises(ValidationError):
            services.session_record(
                actor=cast.practitioner, session=session, held_on=timezone.localdate(), data={}
            )

    def test_not_before_it_happens(self, cast: Any, session: Any) -> None:
        with pytest.raises(ValidationError):
            _record(cast, session)

    def test_stale_save_is_refused(self, cast: Any, held_session: Any) -> None:
        session = held_session
        record = _record(cast, session)
        opened_at = record.version
        services.session_record(
            actor=cast.supervisor,
            session=session,
            held_on=timezone.localdate(),
            data={"agenda_notes": "first"},
            expected_version=opened_at,
        )
        with pytest.raises(StaleEditError):
            services.session_record(
                actor=cast.supervisor,
                session=session,
                held_on=timezone.localdate(),
                data={"agenda_notes": "second"},
                expected_version=opened_at,
            )
        record.refresh_from_db()
        assert record.agenda_notes == "first"

    def test_case_discussion_needs_a_rag_rating(self, cast: Any, record: Any, child: Any) -> None:
        with pytest.raises(ValidationError) as error:
            services.case_discussion_add(
                actor=cast.supervisor, record=record, child=child, data={"rag_rating": ""}
            )
        assert "rag_rating" in error.value.message_dict

    def test_decision_due_on_file_in_two_working_days(
        self, cast: Any, record: Any, child: Any
    ) -> None:
        discussion = services.case_discussion_add(
            actor=cast.supervisor,
            record=record,
            child=child,
            data=DISCUSSION,
            decisions=[
                services.DecisionInput("Convene a strategy discussion", "Escalating neglect"),
                services.DecisionInput("Refer to MASH today", "Disclosure", immediate_concern=True),
            ],
        )
        routine, immediate = discussion.decisions.order_by("id")
        assert routine.file_due_on == add_working_days(discussion.discussed_on, 2, "ENG")
        assert immediate.file_due_on == discussion.discussed_on

    def test_decision_recorded_on_file(self, cast: Any, record: Any, child: Any) -> None:
        discussion = services.case_discussion_add(
            actor=cast.supervisor,
            record=record,
            child=child,
            data=DISCUSSION,
            decisions=[services.DecisionInput("Step up to CIN", "No change over 3 months")],
        )
        decision = discussion.decisions.get()
        services.decision_record_on_file(
            actor=cast.practitioner,
            decision=decision,
            recorded_at=timezone.now(),
            case_system_reference="LCS-123",
        )
        decision.refresh_from_db()
        assert decision.recorded_on_file_by == cast.practitioner
        with pytest.raises(ValidationError):
            services.decision_record_on_file(
                actor=cast.practitioner,
                decision=decision,
                recorded_at=timezone.now(),
                case_system_reference="again",
            )

    def test_actions_and_follow_up_trail(self, cast: Any, record: Any, child: Any) -> None:
        action = services.action_add(
            actor=cast.supervisor,
            record=record,
            description="Chase the health visitor",
            owner=cast.practitioner,
            due_on=timezone.localdate(),
            child=child,
        )
        nxt = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=1),
        )
        later = _record(cast, nxt)
        services.action_follow_up(
            actor=cast.supervisor,
            action=action,
            record=later,
            outcome="carried_forward",
            new_due_on=timezone.localdate() + dt.timedelta(days=7),
        )
        action.refresh_from_db()
        assert action.status == ActionStatus.OPEN
        with pytest.raises(ValidationError):
            services.action_follow_up(
                actor=cast.supervisor, action=action, record=later, outcome="dropped", note=""
            )
        services.action_follow_up(
            actor=cast.supervisor,
            action=action,
            record=later,
            outcome="dropped",
            note="Case closed",
        )
        action.refresh_from_db()
        assert action.status == ActionStatus.DROPPED and action.dropped_reason == "Case closed"
        assert action.follow_ups.count() == 1

    def test_action_owner_must_have_been_there(self, cast: Any, record: Any) -> None:
        with pytest.raises(ValidationError) as error:
            services.action_add(
                actor=cast.supervisor,
                record=record,
                description="x",
                owner=cast.stranger,
                due_on=timezone.localdate(),
            )
        assert "owner" in error.value.message_dict


class TestSignOff:
    def test_each_party_signs_for_themselves(self, cast: Any, record: Any) -> None:
        record.next_session_on = timezone.localdate() + dt.timedelta(days=20)
        record.save()
        with pytest.raises(ValidationError):
            services.record_sign_supervisee(actor=cast.practitioner, record=record)
        with pytest.raises(ValidationError):
            services.record_sign_supervisor(actor=cast.practitioner, record=record)
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        with pytest.raises(ValidationError):
            services.record_sign_supervisee(actor=cast.supervisor, record=record)
        services.record_sign_supervisee(
            actor=cast.practitioner, record=record, comment="I disagree"
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.SIGNED
        assert record.supervisee_comment == "I disagree"
        assert record.supervisor_signed_by == cast.supervisor
        assert record.supervisee_signed_by == cast.practitioner

    def test_supervisor_needs_next_session_date(self, cast: Any, record: Any) -> None:
        with pytest.raises(ValidationError) as error:
            services.record_sign_supervisor(actor=cast.supervisor, record=record)
        assert "next_session_on" in error.value.message_dict

    def test_change_after_supervisor_signed_withdraws_signature(
        self, cast: Any, record: Any, child: Any
    ) -> None:
        record.next_session_on = timezone.localdate() + dt.timedelta(days=20)
        record.save()
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        services.case_discussion_add(
            actor=cast.supervisor, record=record, child=child, data=DISCUSSION
        )
        record.refresh_from_db()
        assert record.status == RecordStatus.DRAFT and record.supervisor_signed_at is None

    def test_signed_record_refuses_every_change(self, cast: Any, record: Any, child: Any) -> None:
        discussion = services.case_discussion_add(
            actor=cast.supervisor, record=record, child=child, data=DISCUSSION
        )
        _signed(cast, record)
        attempts = [
            lambda: services.session_record(
                actor=cast.supervisor,
                session=record.session,
                held_on=record.session.held_on,
                data={"agenda_notes": "changed"},
            ),
            lambda: services.case_discussion_add(
                actor=cast.supervisor, record=record, child=child, data=DISCUSSION
            ),
            lambda: services.case_discussion_update(
                actor=cast.supervisor,
                discussion=discussion,
                data=DISCUSSION,
                expected_version=discussion.version,
            ),
            lambda: services.action_add(
                actor=cast.supervisor,
                record=record,
                description="x",
                owner=cast.practitioner,
                due_on=timezone.localdate(),
            ),
            lambda: services.action_follow_up(
                actor=cast.supervisor,
                action=ActionFactory(  # type: ignore[arg-type]
                    origin_record=SessionRecordFactory(
                        session=SessionFactory(
                            supervisor=cast.supervisor,
                            supervisee=cast.practitioner,
                            agency=cast.agency,
                            held=True,
                            planned_start=timezone.now() - dt.timedelta(days=40),
                        )
                    )
                ),
                record=record,
                outcome="done",
            ),
            lambda: services.record_sign_supervisor(actor=cast.supervisor, record=record),
            lambda: services.record_sign_supervisee(actor=cast.practitioner, record=record),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError):
                attempt()
        record.refresh_from_db()
        assert record.agenda_notes != "changed"
        assert record.case_discussions.count() == 1

    def test_addendum_only_on_signed_records_by_the_two(self, cast: Any, record: Any) -> None:
        with pytest.raises(ValidationError):
            services.addendum_add(actor=cast.supervisor, record=record, reason="r", text="t")
        _signed(cast, record)
        with pytest.raises(ValidationError):
            services.addendum_add(actor=cast.line_manager, record=record, reason="r", text="t")
        addendum = services.addendum_add(
            actor=cast.practitioner, record=record, reason="Wrong date", text="Visit was on 3rd"
        )
        assert list(record.addenda.all()) == [addendum]

    def test_group_record_is_signed_by_the_facilitator(self, cast: Any) -> None:
        session = services.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.GROUP,
            supervisor=cast.supervisor,
            attendees=[cast.practitioner, cast.stranger],
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=2),
        )
        services.session_attendance_record(
            actor=cast.supervisor, session=session, attended_ids=[cast.practitioner.pk]
        )
        record = _record(cast, session, learning_development="CSPR learning: curiosity")
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        record.refresh_from_db()
        assert record.status == RecordStatus.SIGNED
        attended = dict(session.attendances.values_list("person__username", "attended"))
        assert attended == {"practitioner": True, "stranger": False}


class TestManagementOversight:
    def test_records_decisions_apart_from_supervision(self, cast: Any, child: Any) -> None:
        oversight = services.management_oversight_record(
            actor=cast.line_manager,
            child=child,
            made_on=timezone.localdate(),
            summary="Case file audit",
            decisions=[
                services.DecisionInput(
                    "Hold an early review", "Drift", variation_from_procedure="Outside timescales"
                )
            ],
        )
        decision = Decision.objects.get(management_oversight=oversight)
        assert decision.case_discussion is None
        assert decision.variation_from_procedure == "Outside timescales"

    def test_needs_a_decision(self, cast: Any, child: Any) -> None:
        with pytest.raises(ValidationError):
            services.management_oversight_record(
                actor=cast.line_manager,
                child=child,
                made_on=timezone.localdate(),
                summary="",
                decisions=[],
            )
