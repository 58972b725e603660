"""Issue 12 item 4: forms that fit the task. A clash is warned about when planning, a family
can be added before the record is first saved, the record is checked before signing and
signing lands on a confirmation page, and agenda items can be changed and removed while the
chosen children show whether they are overdue or drifting."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import DriftFlag, DriftRule, LegalStatus
from oversight.supervision import services
from oversight.supervision.models import (
    AgendaItem,
    CaseDiscussion,
    RecordStatus,
    Session,
    SessionChild,
    SessionRecord,
)

from .factories import ChildFactory, SessionFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(
        dt.datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


def _token(page: str, prefix: str = "") -> str:
    found = re.search(rf'name="{prefix}submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found.group(1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/London"))


def _plan(cast: Any, token: str, **extra: Any) -> dict[str, Any]:
    return {
        "session_type": "one_to_one",
        "supervisee": cast.practitioner.pk,
        "date": "2026-11-24",
        "start_time": "14:00",
        "duration_minutes": 60,
        "submission_token": token,
        **extra,
    }


class TestClashWarning:
    def _open(self, client: Any) -> str:
        url = reverse("supervision:session_plan")
        return _token(client.get(url, {"type": "one_to_one"}).content.decode())

    def test_a_clash_for_the_supervisee_is_warned_about_and_nothing_is_planned(
        self, cast: Any, client: Any
    ) -> None:
        SessionFactory(
            supervisor=cast.other_supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(dt.date(2026, 11, 24), 13, 30),
        )
        client.force_login(cast.supervisor)
        response = client.post(reverse("supervision:session_plan"), _plan(cast, self._open(client)))
        page = response.content.decode()
        assert response.status_code == 200
        assert "This clashes with another session" in page
        assert f"{cast.practitioner.display_name} is already in" in page
        assert "Plan it anyway" in page
        assert Session.objects.filter(supervisor=cast.supervisor).count() == 0

    def test_the_planner_confirms_past_the_warning(self, cast: Any, client: Any) -> None:
        SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.other_practitioner,
            agency=cast.agency,
            planned_start=_at(dt.date(2026, 11, 24), 14, 30),
        )
        client.force_login(cast.supervisor)
        url = reverse("supervision:session_plan")
        token = self._open(client)
        warned = client.post(url, _plan(cast, token)).content.decode()
        assert f"{cast.supervisor.display_name} is already in" in warned
        response = client.post(url, _plan(cast, token, clash_confirmed="on"))
        assert response.status_code == 302
        assert Session.objects.filter(supervisee=cast.practitioner).count() == 1

    def test_back_to_back_sessions_do_not_clash(self, cast: Any, client: Any) -> None:
        SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.other_practitioner,
            agency=cast.agency,
            planned_start=_at(dt.date(2026, 11, 24), 13, 0),
            duration_minutes=60,
        )
        client.force_login(cast.supervisor)
        response = client.post(reverse("supervision:session_plan"), _plan(cast, self._open(client)))
        assert response.status_code == 302

    def test_a_cancelled_session_is_no_clash(self, cast: Any, client: Any) -> None:
        SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(dt.date(2026, 11, 24), 14, 0),
            status="cancelled",
        )
        client.force_login(cast.supervisor)
        response = client.post(reverse("supervision:session_plan"), _plan(cast, self._open(client)))
        assert response.status_code == 302


def _held_yesterday(cast: Any) -> Any:
    return SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        planned_start=_at(DAY - dt.timedelta(days=1), 10),
    )


class TestFamiliesFromTheStart:
    def test_a_family_is_added_before_the_record_is_first_saved(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        session = _held_yesterday(cast)
        client.force_login(cast.supervisor)
        record_page = client.get(reverse("supervision:record", args=[session.pk])).content.decode()
        assert "Add a case discussion" in record_page
        url = reverse("supervision:discussion_add", args=[session.pk])
        token = _token(client.get(url).content.decode())
        response = client.post(
            url, {"child": child.pk, "rag_rating": "amber", "submission_token": token}
        )
        assert response.status_code == 302
        record = SessionRecord.objects.get(session=session)
        assert record.status == RecordStatus.DRAFT
        assert CaseDiscussion.objects.filter(record=record, child=child).count() == 1
        session.refresh_from_db()
        assert session.held_on == DAY - dt.timedelta(days=1)

    def test_save_and_add_a_family_keeps_what_was_typed(self, cast: Any, client: Any) -> None:
        session = _held_yesterday(cast)
        client.force_login(cast.supervisor)
        response = client.post(
            reverse("supervision:record_save", args=[session.pk]),
            {
                "held_on": (DAY - dt.timedelta(days=1)).isoformat(),
                "agenda_notes": "Typed before adding a family",
                "then": "discussion",
            },
        )
        assert response["Location"] == reverse("supervision:discussion_add", args=[session.pk])
        assert SessionRecord.objects.get(session=session).agenda_notes == (
            "Typed before adding a family"
        )


@pytest.fixture
def draft(cast: Any, held_session: Any, child: Any) -> SessionRecord:
    """A draft record: one child chosen and discussed, another chosen and not discussed."""
    other: Any = ChildFactory(
        agency=cast.agency, allocated_practitioner=cast.practitioner, display_name="Family W – B"
    )
    for chosen in (child, other):
        SessionChild.objects.create(session=held_session, child=chosen, added_by=cast.practitioner)
    record = services.session_record(
        actor=cast.supervisor,
        session=held_session,
        held_on=held_session.held_on,
        data={"agenda_notes": "Family T", "next_session_on": DAY + dt.timedelta(days=28)},
    )
    services.case_discussion_add(
        actor=cast.supervisor, record=record, child=child, data={"rag_rating": "red"}
    )
    record.refresh_from_db()
    return record


class TestCheckBeforeSigning:
    def test_the_check_page_lists_the_record_and_warns(
        self, cast: Any, client: Any, draft: Any, django_assert_max_num_queries: Any
    ) -> None:
        client.force_login(cast.supervisor)
        url = reverse("supervision:record_check", args=[draft.session_id])
        with django_assert_max_num_queries(40):
            page = client.get(url).content.decode()
        assert "Check the record before you sign" in page
        assert "1 child brought to the session but not discussed: Family W – B." in page
        assert "Areas of learning and professional development" in page
        assert "Empty section: Areas of learning and professional development." in page
        assert "Family T – A" in page  # the family discussed is listed

    def test_signing_from_the_check_page_lands_on_a_confirmation(
        self, cast: Any, client: Any, draft: Any, django_assert_max_num_queries: Any
    ) -> None:
        client.force_login(cast.supervisor)
        url = reverse("supervision:record_check", args=[draft.session_id])
        response = client.post(url, {"version": draft.version})
        signed_url = reverse("supervision:record_signed", args=[draft.session_id])
        assert response["Location"] == signed_url
        draft.refresh_from_db()
        assert draft.status == RecordStatus.AWAITING_SUPERVISEE
        with django_assert_max_num_queries(25):
            page = client.get(signed_url).content.decode()
        assert "govuk-panel--confirmation" in page
        assert "You have signed the record" in page
        assert f"{cast.practitioner.display_name} has been asked to read and sign" in page

    def test_a_record_changed_since_it_was_checked_is_not_signed(
        self, cast: Any, client: Any, draft: Any
    ) -> None:
        client.force_login(cast.supervisor)
        url = reverse("supervision:record_check", args=[draft.session_id])
        checked = draft.version
        services.action_add(
            actor=cast.supervisor,
            record=draft,
            description="Added in another tab",
            owner=cast.practitioner,
            due_on=DAY + dt.timedelta(days=7),
        )
        response = client.post(url, {"version": checked})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Someone else changed this record" in page
        assert "Added in another tab" in page  # the page shows the record as it is now
        draft.refresh_from_db()
        assert draft.status == RecordStatus.DRAFT
        # Having seen it, the supervisor signs what is shown.
        assert client.post(url, {"version": draft.version}).status_code == 302

    def test_what_the_service_refuses_is_shown_in_our_words(
        self, cast: Any, client: Any, record: Any
    ) -> None:
        client.force_login(cast.supervisor)
        url = reverse("supervision:record_check", args=[record.session_id])
        page = client.get(url).content.decode()
        assert (
            "Empty sections: Areas of learning and professional development, Date of next session."
            in page
        )
        response = client.post(url, {"version": record.version})
        assert response.status_code == 200
        assert "Enter the date of the next session." in response.content.decode()
        record.refresh_from_db()
        assert record.status == RecordStatus.DRAFT

    def test_the_signed_page_before_signing_goes_back_to_the_record(
        self, cast: Any, client: Any, draft: Any
    ) -> None:
        client.force_login(cast.supervisor)
        response = client.get(reverse("supervision:record_signed", args=[draft.session_id]))
        assert response["Location"] == reverse("supervision:record", args=[draft.session_id])

    def test_the_record_page_leads_to_the_check(self, cast: Any, client: Any, draft: Any) -> None:
        client.force_login(cast.supervisor)
        page = client.get(reverse("supervision:record", args=[draft.session_id])).content.decode()
        assert reverse("supervision:record_check", args=[draft.session_id]) in page
        assert "Check the record and sign" in page


class TestPreparation:
    def test_the_person_who_added_an_item_changes_and_removes_it(
        self, cast: Any, client: Any, session: Any
    ) -> None:
        item = services.agenda_item_add(actor=cast.practitioner, session=session, text="Workload")
        client.force_login(cast.practitioner)
        prepare = reverse("supervision:session_prepare", args=[session.pk])
        assert 'Change<span class="govuk-visually-hidden"> agenda item 1' in (
            client.get(prepare).content.decode()
        )
        edit = reverse("supervision:agenda_item_edit", args=[session.pk, item.pk])
        response = client.post(edit, {"text": "Workload and training", "version": item.version})
        assert response["Location"] == prepare
        item.refresh_from_db()
        assert item.text == "Workload and training"
        remove = reverse("supervision:agenda_item_remove", args=[session.pk, item.pk])
        assert client.post(remove, {"version": item.version}).status_code == 302
        item.refresh_from_db()
        assert item.archived_at is not None  # archived, never deleted
        assert "Workload and training" not in client.get(prepare).content.decode()

    def test_the_preparation_pages_stay_within_their_queries(
        self, cast: Any, client: Any, session: Any, child: Any, django_assert_max_num_queries: Any
    ) -> None:
        item = services.agenda_item_add(actor=cast.practitioner, session=session, text="Workload")
        SessionChild.objects.create(session=session, child=child, added_by=cast.practitioner)
        client.force_login(cast.practitioner)
        for url in (
            reverse("supervision:session_prepare", args=[session.pk]),
            reverse("supervision:agenda_item_edit", args=[session.pk, item.pk]),
            reverse("supervision:agenda_item_remove", args=[session.pk, item.pk]),
        ):
            with django_assert_max_num_queries(30):
                assert client.get(url).status_code == 200

    def test_a_stale_change_to_an_agenda_item_is_refused(
        self, cast: Any, client: Any, session: Any
    ) -> None:
        item = services.agenda_item_add(actor=cast.practitioner, session=session, text="Workload")
        opened = item.version
        services.agenda_item_update(
            actor=cast.practitioner, item=item, text="Changed elsewhere", expected_version=opened
        )
        client.force_login(cast.practitioner)
        edit = reverse("supervision:agenda_item_edit", args=[session.pk, item.pk])
        page = client.post(edit, {"text": "Typed here", "version": opened}).content.decode()
        assert "Someone else changed this record" in page
        item.refresh_from_db()
        assert item.text == "Changed elsewhere"

    def test_the_agenda_form_sent_twice_adds_one_item(
        self, cast: Any, client: Any, session: Any
    ) -> None:
        client.force_login(cast.practitioner)
        url = reverse("supervision:session_prepare", args=[session.pk])
        token = _token(client.get(url).content.decode(), "agenda-")
        data = {"form": "agenda", "agenda-text": "Workload", "agenda-submission_token": token}
        client.post(url, data)
        client.post(url, data)
        assert AgendaItem.objects.filter(session=session).count() == 1

    def test_chosen_children_show_overdue_and_drifting(
        self, cast: Any, client: Any, session: Any
    ) -> None:
        overdue: Any = ChildFactory(
            agency=cast.agency,
            allocated_practitioner=cast.practitioner,
            display_name="Family O – overdue",
            legal_status=LegalStatus.CHILD_IN_NEED,
            legal_status_since=DAY - dt.timedelta(days=200),
        )
        DriftFlag.objects.create(
            child=overdue, rule=DriftRule.choices[0][0], reason="No change", raised_on=DAY
        )
        SessionChild.objects.create(session=session, child=overdue, added_by=cast.practitioner)
        client.force_login(cast.practitioner)
        page = client.get(reverse("supervision:session_prepare", args=[session.pk])).content
        text = page.decode()
        assert "Chosen so far" in text
        assert "Overdue</strong>" in text
        assert "Drifting</strong>" in text


def test_no_test_here_reads_the_real_today() -> None:
    assert timezone.localdate() == DAY


class TestRecordPdf:
    """Issue 12 item 5: the signed PDF has no empty sections, says where each decision stands
    on the child's file, and shows carried-forward actions with their new dates."""

    def _signed(self, cast: Any, child: Any) -> Any:
        earlier_session: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(DAY - dt.timedelta(days=40), 10),
        )
        earlier = services.session_record(
            actor=cast.supervisor,
            session=earlier_session,
            held_on=DAY - dt.timedelta(days=40),
            data={"next_session_on": DAY - dt.timedelta(days=10)},
        )
        action = services.action_add(
            actor=cast.supervisor,
            record=earlier,
            description="Book the neglect toolkit training",
            owner=cast.practitioner,
            due_on=DAY - dt.timedelta(days=20),
        )
        session: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=_at(DAY - dt.timedelta(days=10), 10),
        )
        record = services.session_record(
            actor=cast.supervisor,
            session=session,
            held_on=DAY - dt.timedelta(days=10),
            data={"agenda_notes": "Family T", "next_session_on": DAY + dt.timedelta(days=20)},
            follow_ups=[
                services.FollowUpInput(
                    action.pk, "carried_forward", "Course full", DAY + dt.timedelta(days=14)
                )
            ],
        )
        discussion = services.case_discussion_add(
            actor=cast.supervisor,
            record=record,
            child=child,
            data={"rag_rating": "amber", "risks": "Neglect"},
            decisions=[
                services.DecisionInput("Ask for a review meeting", "No change"),
                services.DecisionInput("Refer to early help", "Parents agree"),
            ],
        )
        on_file = discussion.decisions.order_by("pk").reverse().first()
        assert on_file is not None
        services.decision_record_on_file(
            actor=cast.practitioner,
            decision=on_file,
            recorded_at=_at(DAY - dt.timedelta(days=9), 12),
            case_system_reference="LCS-CN-77",
        )
        record.refresh_from_db()
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        services.record_sign_supervisee(actor=cast.practitioner, record=record)
        return record

    def test_the_pdf_shows_decisions_on_file_and_carried_actions_and_no_empty_sections(
        self, cast: Any, child: Any
    ) -> None:
        from oversight.supervision.pdf import record_pdf_html
        from oversight.supervision.selectors import record_for

        record = self._signed(cast, child)
        html = record_pdf_html(
            record_for(session_id=record.session_id, with_wellbeing=True), wellbeing=True
        )
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert "Carried forward: now due 1 December 2026" in text
        assert "On the child's file: recorded 8 November 2026, reference LCS-CN-77" in text
        assert "Not yet on the child's file: overdue, it was due by" in text
        # Empty sections and rows are left out, not printed blank.
        assert "None recorded" not in text
        assert "Signs of vicarious trauma" not in text
        assert "Wellbeing" not in text
        assert "Areas of learning" not in text
        assert "Identified needs" not in text
        assert "Risks to the child and from whom or what Neglect" in text

    def test_the_downloaded_pdf_says_the_same(self, cast: Any, client: Any, child: Any) -> None:
        from .test_views import _pdf_text

        record = self._signed(cast, child)
        client.force_login(cast.practitioner)
        response = client.get(reverse("supervision:record_pdf", args=[record.session_id]))
        text = _pdf_text(response.content)
        assert "now due 1 December 2026" in text
        assert "overdue, it was due by" in text
