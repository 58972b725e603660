from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.core.models import AuditEvent
from oversight.supervision import services
from oversight.supervision.models import Action, RecordStatus, SessionRecord

from .factories import ActionFactory, CaseDiscussionFactory, ChildFactory, SessionFactory

pytestmark = pytest.mark.django_db

WELLBEING = "Sleeping badly after the Child Q visit"


@pytest.fixture
def full_record(cast: Any, held_session: Any, child: Any) -> SessionRecord:
    record = services.session_record(
        actor=cast.supervisor,
        session=held_session,
        held_on=held_session.held_on,
        data={
            "agenda_notes": "Family T; workload",
            "emotional_impact": WELLBEING,
            "support_offered": "Employee assistance programme",
            "next_session_on": held_session.held_on + dt.timedelta(days=28),
            "functions_served": ["support", "management"],
        },
    )
    services.case_discussion_add(
        actor=cast.supervisor,
        record=record,
        child=child,
        data={"rag_rating": "red", "risks": "Domestic abuse by the father's partner"},
        decisions=[services.DecisionInput("Request a strategy discussion", "Escalating risk")],
    )
    services.action_add(
        actor=cast.supervisor,
        record=record,
        description="Share the chronology with the school",
        owner=cast.practitioner,
        due_on=timezone.localdate() + dt.timedelta(days=7),
        child=child,
    )
    record.refresh_from_db()
    return record


def _sign(cast: Any, record: SessionRecord) -> None:
    services.record_sign_supervisor(actor=cast.supervisor, record=record)
    services.record_sign_supervisee(
        actor=cast.practitioner, record=record, comment="I disagree on RAG"
    )


def _pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks read as spaces (pypdf is a dev requirement)."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


class TestRecordPage:
    def test_the_pair_see_the_wellbeing_section(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        url = reverse("supervision:record", args=[full_record.session_id])
        for person in (cast.supervisor, cast.practitioner):
            client.force_login(person)
            assert WELLBEING in client.get(url).content.decode()

    @pytest.mark.parametrize("role", ["line_manager", "agency_lead"])
    def test_wellbeing_is_invisible_to_managers_and_leads(
        self, cast: Any, client: Any, full_record: Any, role: str
    ) -> None:
        _sign(cast, full_record)
        client.force_login(cast.by_name(role))
        response = client.get(reverse("supervision:record", args=[full_record.session_id]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Domestic abuse by the father" in page
        assert WELLBEING not in page and "Employee assistance" not in page
        assert "Wellbeing" not in page
        pdf = client.get(reverse("supervision:record_pdf", args=[full_record.session_id]))
        assert pdf.status_code == 403

    def test_auditor_and_administrator_never_see_records(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        for person in (cast.auditor, cast.administrator):
            client.force_login(person)
            response = client.get(reverse("supervision:record", args=[full_record.session_id]))
            assert response.status_code == 403
            assert WELLBEING not in response.content.decode()

    def test_a_decisions_rationale_and_variation_read_as_two_lines(
        self, cast: Any, client: Any, held_session: Any, child: Any
    ) -> None:
        """A rationale ending in a full stop was followed by '. Variation from procedure',
        so the record read 'three months.. Variation from procedure'."""
        record = services.session_record(
            actor=cast.supervisor, session=held_session, held_on=held_session.held_on, data={}
        )
        services.case_discussion_add(
            actor=cast.supervisor,
            record=record,
            child=child,
            data={"rag_rating": "red"},
            decisions=[
                services.DecisionInput(
                    "Move to a legal planning meeting",
                    "No sustained change over three months.",
                    variation_from_procedure="Review brought forward.",
                )
            ],
        )
        client.force_login(cast.supervisor)
        page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert (
            "Rationale: No sustained change over three months.<br>"
            "Variation from procedure: Review brought forward." in page
        )
        assert "months.." not in page

    def test_every_read_is_audited(self, cast: Any, client: Any, full_record: Any) -> None:
        client.force_login(cast.line_manager)
        client.get(reverse("supervision:record", args=[full_record.session_id]))
        event = AuditEvent.objects.filter(
            action="view", object_type="supervision.sessionrecord", object_id=str(full_record.pk)
        ).get()
        assert event.actor == cast.line_manager

    def test_stale_save_is_refused_and_keeps_what_was_typed(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        url = reverse("supervision:record_save", args=[full_record.session_id])
        client.force_login(cast.supervisor)
        form = {
            "held_on": full_record.session.held_on.isoformat(),
            "next_session_on": full_record.next_session_on.isoformat(),
            "version": full_record.version,
        }
        first = client.post(url, {**form, "agenda_notes": "Saved by the first tab"})
        assert first.status_code == 302
        second = client.post(url, {**form, "agenda_notes": "Typed in the second tab"})
        page = second.content.decode()
        assert second.status_code == 200
        assert "Someone else changed this record" in page
        assert "Typed in the second tab" in page
        full_record.refresh_from_db()
        assert full_record.agenda_notes == "Saved by the first tab"

    def test_signed_record_cannot_be_changed_through_the_pages(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        _sign(cast, full_record)
        session_id = full_record.session_id
        discussion = full_record.case_discussions.get()
        client.force_login(cast.supervisor)
        attempts = [
            ("supervision:record_save", [session_id], {"agenda_notes": "changed"}),
            ("supervision:discussion_add", [session_id], {"rag_rating": "green"}),
            ("supervision:discussion_edit", [session_id, discussion.pk], {"rag_rating": "green"}),
            ("supervision:action_add", [session_id], {"action-description": "x"}),
            ("supervision:sign_supervisor", [session_id], {}),
            ("supervision:attendance", [session_id], {}),
        ]
        for name, args, data in attempts:
            assert client.post(reverse(name, args=args), data).status_code == 403, name
        client.force_login(cast.practitioner)
        response = client.post(reverse("supervision:sign_supervisee", args=[session_id]), {})
        assert response.status_code == 403
        full_record.refresh_from_db()
        assert full_record.agenda_notes == "Family T; workload"
        assert full_record.case_discussions.get().rag_rating == "red"
        page = client.get(reverse("supervision:record", args=[session_id])).content.decode()
        assert "signed and locked" in page
        assert "Save the record" not in page

    def test_query_count_does_not_grow(
        self, cast: Any, client: Any, record: Any, django_assert_max_num_queries: Any
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from oversight.supervision.services.oversight import decision_create

        from .factories import SessionRecordFactory

        earlier = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            held=True,
            planned_start=timezone.now() - dt.timedelta(days=40),
        )
        old = SessionRecordFactory(session=earlier)

        def add(count: int) -> None:
            for _ in range(count):
                discussion: Any = CaseDiscussionFactory(record=record)
                decision_create(
                    actor=cast.supervisor,
                    child=discussion.child,
                    agency=cast.agency,
                    decided_on=discussion.discussed_on,
                    item=services.DecisionInput("Decision", "Why"),
                    case_discussion=discussion,
                )
                ActionFactory(origin_record=record, child=discussion.child)
                ActionFactory(origin_record=old)

        url = reverse("supervision:record", args=[record.session_id])
        counts: dict[str, list[int]] = {}
        for batch in (1, 9):
            add(batch)
            for person in (cast.supervisor, cast.line_manager):
                client.force_login(person)
                with django_assert_max_num_queries(45), CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                counts.setdefault(person.username, []).append(len(ctx.captured_queries))
        for username, (one, ten) in counts.items():
            assert one == ten, f"{username}: {one} queries with 1 discussion, {ten} with 10"


class TestChangingACaseDiscussion:
    def test_the_supervisor_changes_a_case_discussion_and_sees_it_on_the_record(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        discussion = full_record.case_discussions.get()
        url = reverse("supervision:discussion_edit", args=[full_record.session_id, discussion.pk])
        client.force_login(cast.supervisor)
        page = client.get(url).content.decode()
        assert "Change a case discussion" in page
        assert "Domestic abuse by the father&#x27;s partner" in page
        assert AuditEvent.objects.filter(action="view", object_id=str(discussion.pk)).exists()

        response = client.post(
            url,
            {
                "rag_rating": "amber",
                "risks": "Father's partner has left the home",
                "version": discussion.version,
            },
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#discussion-{discussion.pk}")
        discussion.refresh_from_db()
        assert (discussion.rag_rating, discussion.risks) == (
            "amber",
            "Father's partner has left the home",
        )
        record_page = client.get(response["Location"]).content.decode()
        assert "Case discussion saved." in record_page
        assert "Father&#x27;s partner has left the home" in record_page

    def test_a_stale_change_to_a_case_discussion_keeps_what_was_typed_and_saves_nothing(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        discussion = full_record.case_discussions.get()
        url = reverse("supervision:discussion_edit", args=[full_record.session_id, discussion.pk])
        client.force_login(cast.supervisor)
        form = {"rag_rating": "amber", "version": discussion.version}
        assert client.post(url, {**form, "risks": "Saved by the first tab"}).status_code == 302
        second = client.post(url, {**form, "risks": "Typed in the second tab"})
        page = second.content.decode()
        assert second.status_code == 200
        assert "Someone else changed this record" in page
        assert "Typed in the second tab" in page
        discussion.refresh_from_db()
        assert discussion.risks == "Saved by the first tab"

    def test_the_supervisee_cannot_change_a_case_discussion(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        discussion = full_record.case_discussions.get()
        url = reverse("supervision:discussion_edit", args=[full_record.session_id, discussion.pk])
        client.force_login(cast.practitioner)
        response = client.post(url, {"rag_rating": "green", "version": discussion.version})
        assert response.status_code == 403
        discussion.refresh_from_db()
        assert discussion.rag_rating == "red"


class TestTwoTabsOnOneRecord:
    """Issue 10 item 8: an edit names its version; a stale one shows the other save."""

    def test_an_edit_without_its_version_is_refused_and_saves_nothing(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        discussion = full_record.case_discussions.get()
        url = reverse("supervision:discussion_edit", args=[full_record.session_id, discussion.pk])
        client.force_login(cast.supervisor)
        response = client.post(url, {"rag_rating": "green", "risks": "Crafted"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "sent without saying which version of the record it changes" in page
        discussion.refresh_from_db()
        assert (discussion.rag_rating, discussion.risks) == (
            "red",
            "Domestic abuse by the father's partner",
        )

    def test_a_stale_edit_shows_the_other_persons_changes_beside_your_text(
        self, cast: Any, full_record: Any
    ) -> None:
        from django.test import Client

        from oversight.core.testing import version_on_page

        record_url = reverse("supervision:record", args=[full_record.session_id])
        url = reverse("supervision:record_save", args=[full_record.session_id])
        first, second = Client(), Client()
        first.force_login(cast.supervisor)
        second.force_login(cast.supervisor)
        form = {
            "held_on": full_record.session.held_on.isoformat(),
            "next_session_on": full_record.next_session_on.isoformat(),
        }
        opened_first = version_on_page(first.get(record_url).content.decode())
        opened_second = version_on_page(second.get(record_url).content.decode())
        saved = first.post(
            url, {**form, "agenda_notes": "Saved in the first tab", "version": opened_first}
        )
        assert saved.status_code == 302
        refused = second.post(
            url, {**form, "agenda_notes": "Typed in the second tab", "version": opened_second}
        )
        page = refused.content.decode()
        assert refused.status_code == 200
        assert f"Changed by {cast.supervisor.display_name} at " in page
        panel = page.split('id="stale-changes"', 1)[1].split("</table>", 1)[0]
        assert panel.index("Saved in the first tab") < panel.index("Typed in the second tab")
        again = second.post(
            url,
            {
                **form,
                "agenda_notes": "Typed in the second tab",
                "version": version_on_page(page),
            },
        )
        assert again.status_code == 302
        full_record.refresh_from_db()
        assert full_record.agenda_notes == "Typed in the second tab"


class TestAddingAnAddendum:
    def test_the_supervisee_adds_an_addendum_to_a_signed_record_and_sees_it(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        _sign(cast, full_record)
        url = reverse("supervision:addendum_add", args=[full_record.session_id])
        client.force_login(cast.practitioner)
        assert "Why does the record need correcting?" in client.get(url).content.decode()
        response = client.post(url, {"reason": "Wrong date", "text": "Visit on the 3rd"})
        assert response.status_code == 302
        assert response["Location"].endswith("#addenda")
        addendum = full_record.addenda.get()
        assert (addendum.author, addendum.reason, addendum.text) == (
            cast.practitioner,
            "Wrong date",
            "Visit on the 3rd",
        )
        page = client.get(response["Location"]).content.decode()
        assert "Addendum added to the record." in page
        assert "Visit on the 3rd" in page

    def test_an_addendum_without_its_reason_is_refused_with_a_clear_message(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        _sign(cast, full_record)
        url = reverse("supervision:addendum_add", args=[full_record.session_id])
        client.force_login(cast.supervisor)
        response = client.post(url, {"reason": " ", "text": "Visit on the 3rd"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Enter why the record needs correcting." in page
        assert "This field is required" not in page
        assert "Visit on the 3rd" in page
        assert not full_record.addenda.exists()

    def test_nobody_adds_an_addendum_to_a_record_not_yet_signed_by_both(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        url = reverse("supervision:addendum_add", args=[full_record.session_id])
        client.force_login(cast.supervisor)
        response = client.post(url, {"reason": "Wrong date", "text": "Visit on the 3rd"})
        assert response.status_code == 403
        assert not full_record.addenda.exists()


class TestFollowUpThroughThePage:
    def test_earlier_actions_listed_and_followed_up(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        _sign(cast, full_record)
        action = Action.objects.get(origin_record=full_record)
        nxt: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=1),
        )
        client.force_login(cast.practitioner)
        prepare = client.get(reverse("supervision:session_prepare", args=[nxt.pk]))
        assert "Share the chronology with the school" in prepare.content.decode()
        client.force_login(cast.supervisor)
        page = client.get(reverse("supervision:record", args=[nxt.pk])).content.decode()
        assert "Share the chronology with the school" in page
        response = client.post(
            reverse("supervision:record_save", args=[nxt.pk]),
            {
                "held_on": timezone.localdate().isoformat(),
                f"followup_{action.pk}": "dropped",
                f"followup_{action.pk}_note": "",
            },
        )
        assert "Enter why the action is dropped." in response.content.decode()
        response = client.post(
            reverse("supervision:record_save", args=[nxt.pk]),
            {
                "held_on": timezone.localdate().isoformat(),
                f"followup_{action.pk}": "done",
            },
        )
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == "done"


class TestDownloads:
    def test_signed_pdf_shows_both_signatures_and_addenda(
        self, cast: Any, client: Any, full_record: Any
    ) -> None:
        _sign(cast, full_record)
        services.addendum_add(
            actor=cast.supervisor, record=full_record, reason="Wrong date", text="Visit on the 3rd"
        )
        client.force_login(cast.practitioner)
        response = client.get(reverse("supervision:record_pdf", args=[full_record.session_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        day = full_record.session.held_on or full_record.session.planned_start.date()
        assert response["Content-Disposition"] == (  # whose and when, never an internal id
            f'attachment; filename="supervision-record-amara-okafor-{day:%Y-%m-%d}.pdf"'
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content.startswith(b"%PDF")
        text = _pdf_text(content)
        assert f"signed by {cast.supervisor.display_name}" in text
        assert f"signed by {cast.practitioner.display_name}" in text
        assert "Visit on the 3rd" in text
        assert "I disagree on RAG" in text
        assert AuditEvent.objects.filter(action="export", object_id=str(full_record.pk)).exists()

    def test_unsigned_record_has_no_pdf(self, cast: Any, client: Any, full_record: Any) -> None:
        client.force_login(cast.supervisor)
        response = client.get(reverse("supervision:record_pdf", args=[full_record.session_id]))
        assert response.status_code == 404

    def test_session_ics(self, cast: Any, client: Any, session: Any) -> None:
        client.force_login(cast.practitioner)
        response = client.get(reverse("supervision:session_ics", args=[session.pk]))
        body = response.content.decode()
        assert response["Content-Type"] == "text/calendar"
        assert "BEGIN:VEVENT" in body and f"UID:session-{session.pk}@" in body
        assert session.planned_start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S") in body
        assert "Room 2" in body
        assert "DURATION" in body or "DTEND" in body

    def test_calendar_feed_needs_the_right_token(
        self, cast: Any, client: Any, session: Any
    ) -> None:
        client.force_login(cast.practitioner)
        client.post(reverse("supervision:calendar"), {"action": "rotate"})
        cast.practitioner.refresh_from_db()
        token = cast.practitioner.calendar_token
        client.logout()
        feed = client.get(reverse("supervision:calendar_feed", args=[token]))
        assert feed.status_code == 200 and f"session-{session.pk}@" in feed.content.decode()
        assert client.get(reverse("supervision:calendar_feed", args=["x" * 43])).status_code == 404
        client.force_login(cast.practitioner)
        client.post(reverse("supervision:calendar"), {"action": "revoke"})
        client.logout()
        assert client.get(reverse("supervision:calendar_feed", args=[token])).status_code == 404


class TestOtherPages:
    def test_plan_a_session(self, cast: Any, client: Any) -> None:
        client.force_login(cast.supervisor)
        day = timezone.localdate() + dt.timedelta(days=5)
        response = client.post(
            reverse("supervision:session_plan"),
            {
                "session_type": "one_to_one",
                "supervisee": cast.practitioner.pk,
                "date": day.isoformat(),
                "start_time": "14:00",
                "duration_minutes": 90,
                "location": "Room 4",
            },
        )
        assert response.status_code == 302
        session = cast.practitioner.sessions_received.get()
        assert session.agency == cast.agency and session.duration_minutes == 90

    def test_move_then_cancel_through_the_pages(self, cast: Any, client: Any, session: Any) -> None:
        client.force_login(cast.practitioner)
        day = timezone.localdate() + dt.timedelta(days=10)
        response = client.post(
            reverse("supervision:session_reschedule", args=[session.pk]),
            {
                "date": day.isoformat(),
                "start_time": "11:30",
                "reason": "Court",
                "notice_given": "on",
            },
        )
        moved = session.rescheduled_to
        assert response["Location"] == reverse("supervision:session_detail", args=[moved.pk])
        assert timezone.localtime(moved.planned_start).time() == dt.time(11, 30)
        response = client.post(
            reverse("supervision:session_cancel", args=[moved.pk]), {"reason": ""}
        )
        assert "There is a problem" in response.content.decode()
        client.post(reverse("supervision:session_cancel", args=[moved.pk]), {"reason": "Sick"})
        moved.refresh_from_db()
        assert moved.status == "cancelled" and not moved.notice_given

    def test_plan_prefilled_from_the_record_and_contract(self, cast: Any, client: Any) -> None:
        from oversight.contracts.tests.factories import SupervisionContractFactory

        SupervisionContractFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            session_duration_minutes=75,
            signed=True,
        )
        client.force_login(cast.supervisor)
        day = timezone.localdate() + dt.timedelta(days=30)
        url = reverse("supervision:session_plan")
        form = client.get(url, {"supervisee": cast.practitioner.pk, "date": day.isoformat()})
        initial = form.context["form"].initial
        assert initial["supervisee"] == cast.practitioner.pk
        assert initial["date"] == day and initial["duration_minutes"] == 75
        ignored = client.get(url, {"supervisee": cast.other_practitioner.pk}).context["form"]
        assert "supervisee" not in ignored.initial

    def test_plan_a_session_shows_errors_and_keeps_input(self, cast: Any, client: Any) -> None:
        client.force_login(cast.supervisor)
        response = client.post(
            reverse("supervision:session_plan"),
            {"session_type": "one_to_one", "location": "Room 9", "duration_minutes": 60},
        )
        page = response.content.decode()
        assert "There is a problem" in page and 'value="Room 9"' in page

    def test_management_oversight_and_decision_on_file(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        client.force_login(cast.line_manager)
        response = client.post(
            reverse("supervision:oversight_add"),
            {
                "child": child.pk,
                "made_on": timezone.localdate().isoformat(),
                "decision": "Convene an early core group",
                "rationale": "Two missed appointments",
            },
        )
        assert response.status_code == 302
        decision = child.decisions.get()
        client.force_login(cast.practitioner)
        url = reverse("supervision:decision_on_file", args=[decision.pk])
        response = client.post(
            url,
            {"recorded_on": timezone.localdate().isoformat(), "case_system_reference": "LCS-9"},
        )
        assert response.status_code == 302
        decision.refresh_from_db()
        assert decision.recorded_on_file_by == cast.practitioner
        assert "LCS-9" in client.get(url).content.decode()

    def test_home_panels(self, cast: Any, client: Any, full_record: Any, session: Any) -> None:
        SessionRecord.objects.filter(pk=full_record.pk).update(
            sign_by=timezone.localdate() - dt.timedelta(days=1)
        )
        client.force_login(cast.supervisor)
        page = client.get(reverse("home")).content.decode()
        assert "Your next supervision session" in page
        # Issue 12: counted on the home page, listed once on the records-to-sign page.
        assert "1 record not signed by its deadline" in page
        to_sign = client.get(reverse("supervision:records_to_sign")).content.decode()
        assert "Waiting for your signature" in to_sign and "Overdue" in to_sign
        client.force_login(cast.practitioner)
        page = client.get(reverse("home")).content.decode()
        assert "1 record not signed by its deadline" in page
        actions = client.get(reverse("supervision:action_list")).content.decode()
        assert "Share the chronology" in actions

    def test_group_record_for_attendees(self, cast: Any, client: Any) -> None:
        session = services.session_plan(
            actor=cast.supervisor,
            session_type="reflective_group",
            supervisor=cast.supervisor,
            attendees=[cast.practitioner, cast.stranger],
            agency=cast.agency,
            planned_start=timezone.now() - dt.timedelta(hours=2),
            title="CSPR: Child Q",
        )
        record = services.session_record(
            actor=cast.supervisor,
            session=session,
            held_on=timezone.localdate(),
            data={"learning_development": "Disguised compliance: test what parents tell us"},
        )
        services.case_discussion_add(
            actor=cast.supervisor,
            record=record,
            child=ChildFactory.create(agency=cast.agency, allocated_practitioner=cast.stranger),
            data={"rag_rating": "amber"},
        )
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        assert SessionRecord.objects.get(pk=record.pk).status == RecordStatus.SIGNED
        client.force_login(cast.stranger)
        page = client.get(reverse("supervision:record", args=[session.pk])).content.decode()
        assert "Disguised compliance" in page
        client.force_login(cast.line_manager)
        assert client.get(reverse("supervision:record", args=[session.pk])).status_code == 403


class TestSignedCopyContent:
    """What the PDF is made from (the PDF's own text is read with pypdf in
    ``test_signed_pdf_shows_both_signatures_and_addenda``)."""

    def test_both_signatures_comment_and_addenda(self, cast: Any, full_record: Any) -> None:
        from oversight.supervision.pdf import record_pdf_html
        from oversight.supervision.selectors import record_for

        _sign(cast, full_record)
        services.addendum_add(
            actor=cast.practitioner,
            record=full_record,
            reason="Wrong date",
            text="Visit on the 3rd",
        )
        record = record_for(session_id=full_record.session_id, with_wellbeing=True)
        html = record_pdf_html(record, wellbeing=True)
        assert f"signed by {cast.supervisor.display_name}" in html
        assert f"signed by {cast.practitioner.display_name}" in html
        assert "I disagree on RAG" in html and "Visit on the 3rd" in html
        assert WELLBEING in html
        assert "Request a strategy discussion" in html

    def test_no_wellbeing_for_others(self, cast: Any, full_record: Any) -> None:
        from oversight.supervision.pdf import record_pdf_html
        from oversight.supervision.selectors import record_for

        _sign(cast, full_record)
        record = record_for(session_id=full_record.session_id, with_wellbeing=False)
        assert record.emotional_impact is None
        html = record_pdf_html(record, wellbeing=False)
        assert WELLBEING not in html and "Wellbeing" not in html


# --- What the rules answered for the viewer (decision 0002: templates compare no ids) -------


def test_only_the_supervisor_is_offered_to_plan_the_next_session(
    cast: Any, client: Any, full_record: Any
) -> None:
    _sign(cast, full_record)
    url = reverse("supervision:record", args=[full_record.session_id])
    client.force_login(cast.supervisor)
    page = client.get(url).content.decode()
    assert "Plan the next session for" in page
    plan = reverse("supervision:session_plan") + f"?supervisee={cast.practitioner.pk}"
    assert plan in page
    for person in (cast.practitioner, cast.line_manager, cast.agency_lead):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "Plan the next session for" not in response.content.decode()


def test_an_unsigned_record_offers_no_next_session_to_plan(
    cast: Any, client: Any, full_record: Any
) -> None:
    client.force_login(cast.supervisor)
    page = client.get(reverse("supervision:record", args=[full_record.session_id]))
    assert "Plan the next session for" not in page.content.decode()


def test_session_lists_name_the_other_party(cast: Any, client: Any, full_record: Any) -> None:
    client.force_login(cast.supervisor)
    page = client.get(reverse("supervision:session_list")).content.decode()
    table = page.split("Past sessions</caption>")[1].split("</table>")[0]
    assert cast.practitioner.display_name in table
    client.force_login(cast.practitioner)
    page = client.get(reverse("supervision:session_list")).content.decode()
    table = page.split("Past sessions</caption>")[1].split("</table>")[0]
    assert cast.supervisor.display_name in table
    assert cast.practitioner.display_name not in table
