"""Issue 15 items 1-4 (seed 004 "Definition" and "Line management"; seed 001 workload):
management oversight's own actions, authorisation of decisions, shortfalls reported to senior
managers, and the practitioner's caseload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.children.models import LegalStatus
from oversight.children.selectors import caseload_of
from oversight.core.models import AuditEvent
from oversight.core.testing import today_is
from oversight.notifications.models import Kind, Notification
from oversight.notifications.reminders import actions_due
from oversight.people.models import Role
from oversight.people.tests.factories import RoleAssignmentFactory
from oversight.supervision import selectors, services
from oversight.supervision.models import (
    Action,
    ActionStatus,
    AuthorisationStatus,
    AuthorisationStep,
    DecisionKind,
    OversightFocus,
    ShortfallKind,
)

from .factories import ChildFactory, SessionFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def _oversight(cast: Any, *, actor: Any = None, kind: str = DecisionKind.OTHER) -> Any:
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    return services.management_oversight_record(
        actor=actor or cast.line_manager,
        child=child,
        made_on=DAY,
        summary="Caseload review",
        decisions=[services.DecisionInput("Step up to child protection", "Bruising", kind=kind)],
    )


def _action(cast: Any, oversight: Any, **kwargs: Any) -> Action:
    data: dict[str, Any] = {
        "description": "Reduce the caseload to 18 children",
        "owner": cast.practitioner,
        "due_on": DAY + dt.timedelta(days=14),
        "focus": OversightFocus.CASELOAD,
    }
    return services.oversight_action_add(
        actor=cast.line_manager, oversight=oversight, **{**data, **kwargs}
    )


def _senior_manager(person: Any, agency: Any) -> Any:
    RoleAssignmentFactory(person=person, agency=agency, role=Role.SENIOR_MANAGER)
    return person


class TestOversightActions:
    def test_an_action_has_exactly_one_origin(self, cast: Any) -> None:
        oversight = _oversight(cast)
        record = SessionRecordFactory()
        for origins in ({}, {"origin_record": record, "origin_oversight": oversight}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Action.objects.create(
                    description="x", owner=cast.practitioner, due_on=DAY, **origins
                )

    def test_the_manager_adds_an_action_about_caseload(self, cast: Any) -> None:
        with today_is(DAY):
            action = _action(cast, _oversight(cast))
        assert action.origin_oversight is not None and action.origin_record is None
        assert action.focus == OversightFocus.CASELOAD
        assert AuditEvent.objects.filter(object_id=str(action.pk), action="create").exists()

    def test_only_the_person_who_made_the_oversight_adds_actions(self, cast: Any) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            with pytest.raises(ValidationError):
                services.oversight_action_add(
                    actor=cast.supervisor,
                    oversight=oversight,
                    description="x",
                    owner=cast.practitioner,
                    due_on=DAY,
                    focus=OversightFocus.REMEDIAL,
                )

    def test_the_owner_is_the_practitioner_or_the_manager(self, cast: Any) -> None:
        with today_is(DAY), pytest.raises(ValidationError) as error:
            _action(cast, _oversight(cast), owner=cast.stranger)
        assert "owner" in error.value.message_dict

    def test_followed_up_at_the_practitioners_next_supervision(self, cast: Any) -> None:
        with today_is(DAY):
            action = _action(cast, _oversight(cast))
        session: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
        )
        assert action in selectors.open_actions_before(session)
        with today_is(dt.date(2026, 3, 20)):
            services.session_record(
                actor=cast.supervisor,
                session=session,
                held_on=dt.date(2026, 3, 20),
                data={"agenda_notes": "Workload"},
                follow_ups=[services.FollowUpInput(action.pk, "done")],
            )
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE

    def test_not_in_another_persons_supervision(self, cast: Any) -> None:
        with today_is(DAY):
            action = _action(cast, _oversight(cast))
        session: Any = SessionFactory(
            supervisor=cast.agency_lead,
            supervisee=cast.supervisor,
            agency=cast.agency,
            planned_start=dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
        )
        assert action not in selectors.open_actions_before(session)

    def test_the_manager_checks_completion(self, cast: Any) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            first, second, third = (_action(cast, oversight) for _ in range(3))
            services.oversight_action_check(actor=cast.line_manager, action=first, outcome="done")
            services.oversight_action_check(
                actor=cast.line_manager,
                action=second,
                outcome="carried_forward",
                new_due_on=DAY + dt.timedelta(days=30),
            )
            with pytest.raises(ValidationError):
                services.oversight_action_check(
                    actor=cast.line_manager, action=third, outcome="dropped"
                )
            with pytest.raises(ValidationError):
                services.oversight_action_check(
                    actor=cast.practitioner, action=third, outcome="done"
                )
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == ActionStatus.DONE and first.completed_on == DAY
        assert second.status == ActionStatus.OPEN
        assert second.due_on == DAY + dt.timedelta(days=30)

    def test_the_page_shows_the_action_overdue(self, cast: Any, client: Any) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            _action(cast, oversight, due_on=DAY + dt.timedelta(days=2))
        client.force_login(cast.line_manager)
        with today_is(DAY + dt.timedelta(days=5)):
            page = client.get(reverse("supervision:oversight_detail", args=[oversight.pk]))
        text = page.content.decode()
        assert "Reduce the caseload to 18 children" in text
        assert "Overdue" in text and "Check this action" in text

    def test_the_practitioner_sees_it_but_cannot_check_it(self, cast: Any, client: Any) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            _action(cast, oversight)
            client.force_login(cast.practitioner)
            page = client.get(reverse("supervision:oversight_detail", args=[oversight.pk]))
        text = page.content.decode()
        assert "Reduce the caseload to 18 children" in text
        assert "Check this action" not in text and "Add an action" not in text

    def test_the_reminder_links_to_the_oversight(self, cast: Any) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            _action(cast, oversight, due_on=DAY + dt.timedelta(days=3))
            due = list(actions_due(DAY))
        assert [d.path for d in due] == [
            reverse("supervision:oversight_detail", args=[oversight.pk])
        ]


class TestAuthorisation:
    def _policy(self, cast: Any) -> None:
        services.decision_policy_set(
            actor=cast.agency_lead, agency=cast.agency, kinds=[DecisionKind.STEP_UP]
        )

    def test_a_kind_the_agency_names_waits_for_authorisation(self, cast: Any) -> None:
        self._policy(cast)
        with today_is(DAY):
            waiting = _oversight(cast, actor=cast.practitioner, kind=DecisionKind.STEP_UP)
            other = _oversight(cast, actor=cast.practitioner, kind=DecisionKind.CLOSURE)
        decision = waiting.decisions.get()
        assert decision.authorisation == AuthorisationStatus.AWAITING
        assert other.decisions.get().authorisation == AuthorisationStatus.NOT_NEEDED
        assert list(decision.authorisation_steps.values_list("step", flat=True)) == ["requested"]
        told = Notification.objects.get(kind=Kind.DECISION_TO_AUTHORISE)
        assert told.recipient == cast.line_manager

    def test_the_line_manager_authorises(self, cast: Any) -> None:
        self._policy(cast)
        with today_is(DAY):
            decision = _oversight(cast, actor=cast.practitioner, kind="step_up").decisions.get()
            services.decision_authorise(actor=cast.line_manager, decision=decision, authorise=True)
        decision.refresh_from_db()
        assert decision.authorisation == AuthorisationStatus.AUTHORISED
        assert decision.authorisation_by == cast.line_manager
        assert decision.authorisation_at is not None
        steps = list(decision.authorisation_steps.values_list("step", flat=True))
        assert steps == ["requested", "authorised"]
        assert AuditEvent.objects.filter(
            object_id=str(decision.pk), detail__authorisation="authorised"
        ).exists()
        told = Notification.objects.get(kind=Kind.DECISION_AUTHORISATION)
        assert told.recipient == cast.practitioner

    def test_returning_needs_a_reason(self, cast: Any) -> None:
        self._policy(cast)
        with today_is(DAY):
            decision = _oversight(cast, actor=cast.practitioner, kind="step_up").decisions.get()
            with pytest.raises(ValidationError):
                services.decision_authorise(
                    actor=cast.line_manager, decision=decision, authorise=False
                )
            services.decision_authorise(
                actor=cast.agency_lead,
                decision=decision,
                authorise=False,
                reason="Talk to the school first",
            )
        decision.refresh_from_db()
        assert decision.authorisation == AuthorisationStatus.RETURNED
        assert decision.returned_reason == "Talk to the school first"
        last = decision.authorisation_steps.last()
        assert last is not None and last.step == AuthorisationStep.Step.RETURNED

    @pytest.mark.parametrize("who", ["practitioner", "supervisor", "other_lead", "stranger"])
    def test_who_may_not_authorise(self, cast: Any, who: str) -> None:
        """Not the decision-maker, not their supervisor (who is not their line manager), not
        another agency's lead, not a colleague."""
        self._policy(cast)
        with today_is(DAY):
            decision = _oversight(cast, actor=cast.practitioner, kind="step_up").decisions.get()
            with pytest.raises(ValidationError):
                services.decision_authorise(
                    actor=cast.by_name(who), decision=decision, authorise=True
                )

    def test_a_lead_does_not_authorise_their_own_decision(self, cast: Any) -> None:
        self._policy(cast)
        with today_is(DAY):
            decision = _oversight(cast, actor=cast.agency_lead, kind="step_up").decisions.get()
            assert not selectors.may_authorise(cast.agency_lead, decision)

    def test_pages_show_awaiting_authorisation(self, cast: Any, client: Any) -> None:
        self._policy(cast)
        with today_is(DAY):
            oversight = _oversight(cast, actor=cast.practitioner, kind="step_up")
            client.force_login(cast.practitioner)
            detail = client.get(reverse("supervision:oversight_detail", args=[oversight.pk]))
            client.force_login(cast.line_manager)
            listed = client.get(reverse("supervision:oversight_list"))
            decision = oversight.decisions.get()
            response = client.post(
                reverse("supervision:decision_authorise", args=[decision.pk]),
                {"outcome": "authorise"},
            )
        assert "Awaiting authorisation" in detail.content.decode()
        assert "Decisions waiting for your authorisation" in listed.content.decode()
        assert response.status_code == 302
        decision.refresh_from_db()
        assert decision.authorisation == AuthorisationStatus.AUTHORISED

    def test_the_lead_sets_the_policy_on_a_page(self, cast: Any, client: Any) -> None:
        client.force_login(cast.agency_lead)
        url = reverse("supervision:decision_policy", args=[cast.agency.pk])
        client.post(url, {"kinds": [DecisionKind.CLOSURE, DecisionKind.LEGAL]})
        policy = selectors.decision_policy_for(cast.agency.pk)
        assert policy is not None
        assert policy.kinds_needing_authorisation == ["closure", "legal"]
        assert "Closing the case" in client.get(url).content.decode()


class TestShortfalls:
    def _raise(self, cast: Any, actor: Any = None) -> Any:
        return services.shortfall_raise(
            actor=actor or cast.supervisor,
            agency=cast.agency,
            kind=ShortfallKind.WORKLOAD,
            description="Two vacancies: caseloads above 25",
        )

    def test_the_agencys_senior_managers_are_told(self, cast: Any) -> None:
        senior = _senior_manager(cast.stranger, cast.agency)
        _senior_manager(cast.other_practitioner, cast.other_agency)
        shortfall = self._raise(cast)
        told = Notification.objects.filter(kind=Kind.SHORTFALL_RAISED)
        assert [n.recipient for n in told] == [senior]
        assert reverse("supervision:shortfall_detail", args=[shortfall.pk]) in told[0].link

    def test_a_senior_manager_without_a_post_there_is_not_told(self, cast: Any) -> None:
        _senior_manager(cast.other_practitioner, cast.agency)
        self._raise(cast)
        assert not Notification.objects.filter(kind=Kind.SHORTFALL_RAISED).exists()

    def test_a_practitioner_cannot_report(self, cast: Any) -> None:
        with pytest.raises(ValidationError):
            self._raise(cast, actor=cast.practitioner)

    def test_not_in_another_agency(self, cast: Any) -> None:
        with pytest.raises(ValidationError):
            services.shortfall_raise(
                actor=cast.supervisor,
                agency=cast.other_agency,
                kind=ShortfallKind.RESOURCES,
                description="x",
            )

    def test_answered_by_a_senior_manager(self, cast: Any) -> None:
        senior = _senior_manager(cast.stranger, cast.agency)
        shortfall = self._raise(cast)
        with pytest.raises(ValidationError):
            services.shortfall_answer(actor=cast.agency_lead, shortfall=shortfall, answer="No")
        services.shortfall_answer(actor=senior, shortfall=shortfall, answer="Agency staff agreed")
        shortfall.refresh_from_db()
        assert shortfall.answered_by == senior and shortfall.days_to_answer == 0
        told = Notification.objects.get(kind=Kind.SHORTFALL_ANSWERED)
        assert told.recipient == cast.supervisor

    def test_a_senior_manager_does_not_answer_their_own(self, cast: Any) -> None:
        senior = _senior_manager(cast.line_manager, cast.agency)
        shortfall = self._raise(cast, actor=senior)
        with pytest.raises(ValidationError):
            services.shortfall_answer(actor=senior, shortfall=shortfall, answer="Fine")

    def test_who_sees_shortfalls(self, cast: Any) -> None:
        senior = _senior_manager(cast.stranger, cast.agency)
        other_senior = _senior_manager(cast.other_supervisor, cast.other_agency)
        shortfall = self._raise(cast)
        for person in (cast.supervisor, senior, cast.agency_lead):
            assert shortfall in selectors.shortfalls_visible_to(person)
        for person in (cast.practitioner, cast.line_manager, other_senior, cast.other_lead):
            assert shortfall not in selectors.shortfalls_visible_to(person)

    def test_pages(self, cast: Any, client: Any, django_assert_max_num_queries: Any) -> None:
        senior = _senior_manager(cast.stranger, cast.agency)
        for _ in range(3):
            self._raise(cast)
        client.force_login(senior)
        with django_assert_max_num_queries(25):
            page = client.get(reverse("supervision:shortfall_list"))
        assert page.content.decode().count("Waiting for an answer") == 3
        client.force_login(cast.supervisor)
        response = client.post(
            reverse("supervision:shortfall_add"),
            {
                "agency": cast.agency.pk,
                "kind": ShortfallKind.KNOWLEDGE,
                "description": "Nobody trained in the graded care profile",
                "submission_token": "t-1",
            },
        )
        assert response.status_code == 302
        client.force_login(senior)
        detail = client.get(response["Location"])
        assert "Gap in knowledge or skills" in detail.content.decode()
        assert "Send your answer" in detail.content.decode()


class TestCaseload:
    def test_counts_open_children_allocated(self, cast: Any) -> None:
        ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
        ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status=LegalStatus.CHILD_PROTECTION,
        )
        ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            legal_status=LegalStatus.CLOSED,
        )
        ChildFactory(agency=cast.agency, allocated_practitioner=cast.stranger)
        caseload = caseload_of(cast.practitioner.pk)
        assert caseload.total == 2
        assert dict((label, n) for label, n in caseload.by_status) == {
            "Child in need (s17)": 1,
            "Child protection (s47) / plan": 1,
        }

    def test_shown_on_the_record_and_the_oversight(self, cast: Any, client: Any) -> None:
        for _ in range(3):
            ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
        record: Any = SessionRecordFactory(
            session=SessionFactory(
                supervisor=cast.supervisor,
                supervisee=cast.practitioner,
                agency=cast.agency,
                held=True,
            )
        )
        client.force_login(cast.supervisor)
        page = client.get(reverse("supervision:record", args=[record.session_id]))
        assert "3 children allocated" in page.content.decode()
        with today_is(DAY):
            oversight = _oversight(cast)
            client.force_login(cast.line_manager)
            page = client.get(reverse("supervision:oversight_detail", args=[oversight.pk]))
        assert "4 children allocated" in page.content.decode()

    def test_shown_when_preparing(self, cast: Any, client: Any) -> None:
        ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
        session: Any = SessionFactory(
            supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency
        )
        client.force_login(cast.practitioner)
        page = client.get(reverse("supervision:session_prepare", args=[session.pk]))
        assert "1 child allocated" in page.content.decode()


class TestDemo:
    """Issue 15 acceptance: the demo shows items 1-4 in use for its personas."""

    def test_each_item_in_use(self, client: Any) -> None:
        from io import StringIO
        from zoneinfo import ZoneInfo

        import time_machine
        from django.core.management import call_command

        from oversight.people.models import Person

        now = dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
        with time_machine.travel(now, tick=False):
            call_command(
                "seed_demo", "--today", now.date().isoformat(), stdout=StringIO(), stderr=StringIO()
            )
            senior = Person.objects.get(username="senior.csc")
            client.force_login(senior)
            home = client.get(reverse("home")).content.decode()
            assert "Shortfalls waiting for your answer" in home
            assert "Gap in knowledge or skills" in home
            client.force_login(Person.objects.get(username="lead.csc"))
            listed = client.get(reverse("supervision:oversight_list")).content.decode()
            assert "Decisions waiting for your authorisation" in listed
            assert "Step up to a strategy discussion" in listed
            manager = Person.objects.get(username="manager.csc")
            action = Action.objects.filter(
                origin_oversight__made_by=manager, focus=OversightFocus.CASELOAD
            ).first()
            assert action is not None
            client.force_login(manager)
            detail = client.get(
                reverse("supervision:oversight_detail", args=[action.origin_oversight_id])
            ).content.decode()
            assert "Overdue" in detail and "children allocated" in detail
            agency = action.origin_oversight.agency
            client.force_login(Person.objects.get(username="lead.csc"))
            dashboard = client.get(
                reverse("assurance:agency_question", args=[agency.pk, "shortfalls"])
            ).content.decode()
            assert "Workload and resource shortfalls reported to senior managers" in dashboard


class TestQueries:
    """New pages read a fixed number of queries however many actions or steps they show."""

    def test_oversight_page_with_many_actions(
        self, cast: Any, client: Any, django_assert_max_num_queries: Any
    ) -> None:
        with today_is(DAY):
            oversight = _oversight(cast)
            for _ in range(8):
                _action(cast, oversight)
            client.force_login(cast.line_manager)
            with django_assert_max_num_queries(40):
                page = client.get(reverse("supervision:oversight_detail", args=[oversight.pk]))
        assert page.content.decode().count("Check this action") == 8

    def test_authorise_page(
        self, cast: Any, client: Any, django_assert_max_num_queries: Any
    ) -> None:
        services.decision_policy_set(
            actor=cast.agency_lead, agency=cast.agency, kinds=[DecisionKind.STEP_UP]
        )
        with today_is(DAY):
            decision = _oversight(cast, actor=cast.practitioner, kind="step_up").decisions.get()
            client.force_login(cast.line_manager)
            with django_assert_max_num_queries(30):
                page = client.get(reverse("supervision:decision_authorise", args=[decision.pk]))
        assert "Authorisation asked for" in page.content.decode()


def test_a_supervisors_step_up_in_a_case_discussion_waits_too(cast: Any, client: Any) -> None:
    """Issue 15 item 2: the case discussion's decision carries its kind as well."""
    services.decision_policy_set(
        actor=cast.agency_lead, agency=cast.agency, kinds=[DecisionKind.STEP_UP]
    )
    child: Any = ChildFactory(agency=cast.agency, allocated_practitioner=cast.practitioner)
    record: Any = SessionRecordFactory(
        session=SessionFactory(
            supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
        )
    )
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("supervision:discussion_add", args=[record.session_id]),
        {
            "child": child.pk,
            "rag_rating": "red",
            "identified_needs": "Neglect",
            "decision": "Step up to child protection",
            "rationale": "No change in three months",
            "decision_kind": DecisionKind.STEP_UP,
        },
    )
    assert response.status_code == 302
    decision = child.decisions.get()
    assert decision.authorisation == AuthorisationStatus.AWAITING
    page = client.get(reverse("supervision:record", args=[record.session_id])).content.decode()
    assert "Awaiting authorisation" in page


def test_a_senior_manager_always_has_the_way_to_shortfalls(cast: Any, client: Any) -> None:
    senior = _senior_manager(cast.stranger, cast.agency)
    client.force_login(senior)
    home = client.get(reverse("home")).content.decode()
    assert "None are waiting" in home
    assert reverse("supervision:shortfall_list") in home
    client.force_login(cast.practitioner)
    assert reverse("supervision:shortfall_list") not in client.get(reverse("home")).content.decode()
