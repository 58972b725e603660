"""What the seeds ask of the record and the case discussion (issue 15 items 8, 10, 13, 14 and
15): referral for specialist assessment (seed 004), serious case review themes (004
Introduction, 002) and the review a group learns from, the seeds' prompts as optional
expanders (001, 002, 000), when a session actually started and ended (001 "on time"), and the
supervisee's review of supervision itself at sign-off (004 "The Supervision Process")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from oversight.contracts.models import SessionType
from oversight.core.models import AuditEvent
from oversight.core.testing import integrity_verified
from oversight.supervision import services
from oversight.supervision.models import SessionRecord, SessionStatus
from oversight.supervision.signed import content_hash

from .factories import SessionFactory, SessionRecordFactory
from .test_views import _pdf_text

pytestmark = pytest.mark.django_db

THEMES = ["professional_curiosity", "disguised_compliance"]


def _verify() -> str:
    code, out = integrity_verified()
    return ("FAILED\n" if code else "") + out


def _record(cast: Any, session: Any, **data: Any) -> SessionRecord:
    if session.supervisee_id:
        data.setdefault("next_session_on", session.held_on + dt.timedelta(days=28))
    return services.session_record(
        actor=cast.supervisor, session=session, held_on=session.held_on, data=data
    )


def _discuss(cast: Any, record: SessionRecord, child: Any, **data: Any) -> Any:
    return services.case_discussion_add(
        actor=cast.supervisor, record=record, child=child, data={"rag_rating": "amber", **data}
    )


def _sign(cast: Any, record: SessionRecord, **review: str) -> SessionRecord:
    services.record_sign_supervisor(actor=cast.supervisor, record=record)
    services.record_sign_supervisee(actor=cast.practitioner, record=record, review=review)
    record.refresh_from_db()
    return record


class TestCaseDiscussionForm:
    def test_the_form_offers_the_seeds_prompts_as_optional_expanders(
        self, cast: Any, client: Any, held_session: Any, child: Any
    ) -> None:
        """Item 13: seed 001's child at the heart, seed 002's reflective considerations and
        seed 000's own emotional response, in GOV.UK details, adding no required field."""
        _record(cast, held_session)
        client.force_login(cast.supervisor)
        url = reverse("supervision:discussion_add", args=[held_session.pk])
        page = client.get(url).content.decode()
        assert "Prompts: the child at the heart of the discussion" in page
        assert "Prompts: reflective considerations" in page
        assert "Prompts: your own emotional response" in page
        assert "numb to frequent episodes" in page
        assert "own identity and beliefs" in page
        assert "What might that feeling say about the child" in page
        assert page.count('class="govuk-details"') >= 7  # three prompt groups, four stages
        # Nothing new is required: the child and the rating are still enough.
        response = client.post(url, {"child": child.pk, "rag_rating": "green"})
        assert response.status_code == 302
        discussion = held_session.record.case_discussions.get()
        assert discussion.specialist_referral is False and discussion.review_themes == []

    def test_a_referral_and_review_themes_are_saved_and_shown_on_the_record(
        self, cast: Any, client: Any, held_session: Any, child: Any
    ) -> None:
        """Items 14 and 15, from the form through to the record page."""
        _record(cast, held_session)
        client.force_login(cast.supervisor)
        response = client.post(
            reverse("supervision:discussion_add", args=[held_session.pk]),
            {
                "child": child.pk,
                "rag_rating": "red",
                "specialist_referral": "on",
                "specialist_referral_detail": "Paediatric neurodevelopmental assessment",
                "review_themes": ["disguised_compliance", "professional_curiosity"],
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert "Referral for specialist assessment" in page
        assert "Yes: Paediatric neurodevelopmental assessment" in page
        assert "Professional curiosity" in page and "Disguised compliance" in page
        discussion = held_session.record.case_discussions.get()
        # Stored in the order of the list, whatever order they were ticked in.
        assert discussion.review_themes == THEMES

    def test_which_assessment_without_the_referral_is_refused_and_keeps_what_was_typed(
        self, cast: Any, client: Any, held_session: Any, child: Any
    ) -> None:
        _record(cast, held_session)
        client.force_login(cast.supervisor)
        response = client.post(
            reverse("supervision:discussion_add", args=[held_session.pk]),
            {
                "child": child.pk,
                "rag_rating": "red",
                "specialist_referral_detail": "Speech and language",
                "risks": "Typed risks stay",
            },
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Select that the child is being referred for specialist assessment" in page
        assert "Typed risks stay" in page and "Speech and language" in page
        assert not held_session.record.case_discussions.exists()

    def test_a_theme_not_on_the_list_is_refused(
        self, cast: Any, held_session: Any, child: Any
    ) -> None:
        record = _record(cast, held_session)
        with pytest.raises(ValidationError) as error:
            _discuss(cast, record, child, review_themes=["made_up"])
        assert "Choose themes from the list." in str(error.value)

    def test_someone_other_than_the_supervisor_cannot_record_a_referral(
        self, cast: Any, client: Any, held_session: Any, child: Any
    ) -> None:
        _record(cast, held_session)
        for person in (cast.practitioner, cast.line_manager):
            client.force_login(person)
            response = client.post(
                reverse("supervision:discussion_add", args=[held_session.pk]),
                {"child": child.pk, "rag_rating": "red", "specialist_referral": "on"},
            )
            assert response.status_code == 403
        assert not held_session.record.case_discussions.exists()


class TestGroupLearningReview:
    def test_a_group_names_the_review_it_learns_from_on_its_pages_and_signed_record(
        self, cast: Any, client: Any
    ) -> None:
        """Item 15: a group session names the review or CSPR it learns from."""
        group: Any = SessionFactory(
            session_type=SessionType.GROUP,
            supervisor=cast.supervisor,
            supervisee=None,
            agency=cast.agency,
            held=True,
            learning_review="Child Safeguarding Practice Review: Child L (2025)",
        )
        record = _record(cast, group)
        client.force_login(cast.supervisor)
        detail = client.get(reverse("supervision:session_detail", args=[group.pk]))
        assert "Review the group learns from" in detail.content.decode()
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        record.refresh_from_db()
        assert record.signed_content.content["learning_review"].startswith("Child Safeguarding")
        page = client.get(reverse("supervision:record", args=[group.pk])).content.decode()
        assert "Child L (2025)" in page
        pdf = client.get(reverse("supervision:record_pdf", args=[group.pk]))
        assert "Child L (2025)" in _pdf_text(pdf.content)

    def test_a_one_to_one_keeps_no_review_name(self, cast: Any) -> None:
        from django.utils import timezone

        session = services.session_plan(
            actor=cast.supervisor,
            session_type=SessionType.ONE_TO_ONE,
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            planned_start=timezone.now() + dt.timedelta(days=3),
            learning_review="Not for a 1:1",
        )
        assert session.learning_review == ""


class TestSessionTimes:
    def test_times_are_optional_and_an_end_before_the_start_is_refused(
        self, cast: Any, client: Any, held_session: Any
    ) -> None:
        """Item 8: the record keeps when the session actually started and ended."""
        client.force_login(cast.supervisor)
        url = reverse("supervision:record_save", args=[held_session.pk])
        form = {"held_on": held_session.held_on.isoformat(), "agenda_notes": "Kept"}
        refused = client.post(url, {**form, "started_at": "11:00", "ended_at": "10:30"})
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "The time the session ended must be after it started." in page
        assert "Kept" in page
        assert client.post(url, form).status_code == 302  # no times at all is fine
        assert held_session.record.started_at is None

    def test_the_pair_see_whether_sessions_over_their_relationship_started_on_time(
        self, cast: Any, client: Any, held_session: Any
    ) -> None:
        # Both sessions were planned for 10:00; one began at 10:00, one at 10:20.
        _sign(cast, _record(cast, held_session, started_at=dt.time(10), ended_at=dt.time(11)))
        earlier: Any = SessionFactory(
            supervisor=cast.supervisor,
            supervisee=cast.practitioner,
            agency=cast.agency,
            held=True,
            planned_start=held_session.planned_start - dt.timedelta(days=28),
            held_on=held_session.held_on - dt.timedelta(days=28),
        )
        late = _record(cast, earlier, started_at=dt.time(10, 20), ended_at=dt.time(11))
        client.force_login(cast.practitioner)
        page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert "Started 10:00, ended 11:00 (60 minutes)" in page
        assert "Started on time" in page
        assert "1 of 2 sessions with a recorded start began on time; 1 began late." in page
        client.force_login(cast.supervisor)
        page = client.get(reverse("supervision:record", args=[earlier.pk])).content.decode()
        assert "Starting on time over this supervision" in page
        _sign(cast, late)
        page = client.get(reverse("supervision:record", args=[earlier.pk])).content.decode()
        assert "Started late" in page
        pdf = client.get(reverse("supervision:record_pdf", args=[earlier.pk]))
        assert "10:20 to 11:00 (planned 10:00)" in _pdf_text(pdf.content)

    def test_a_start_on_another_day_than_planned_is_not_on_time(self, cast: Any) -> None:
        session: Any = SessionFactory(
            supervisor=cast.supervisor, supervisee=cast.practitioner, agency=cast.agency, held=True
        )
        session.held_on = session.held_on + dt.timedelta(days=1)
        record: Any = SessionRecordFactory(session=session, started_at=dt.time(9))
        assert record.started_on_time is False
        record.started_at = None
        assert record.started_on_time is None


class TestReviewOfSupervision:
    def test_the_supervisee_reviews_the_supervision_when_signing_and_it_stays_with_the_record(
        self, cast: Any, client: Any, held_session: Any
    ) -> None:
        """Item 10: optional questions at sign-off, kept with the record (named), not the
        anonymous evaluation."""
        record = _record(cast, held_session, agenda_notes="Workload")
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        client.force_login(cast.practitioner)
        form = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert "Was the time protected and free from interruptions? (optional)" in form
        assert "The anonymous evaluation of supervision is separate." in form
        response = client.post(
            reverse("supervision:sign_supervisee", args=[held_session.pk]),
            {
                "review_protected_time": "partly",
                "review_helpful": "yes",
                "review_improve": "Fewer phone interruptions",
            },
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.status == "signed" and record.review_protected_time == "partly"
        page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert "The supervisee's review of this supervision" in page
        assert "Partly" in page and "Fewer phone interruptions" in page
        pdf = client.get(reverse("supervision:record_pdf", args=[held_session.pk]))
        assert "Fewer phone interruptions" in _pdf_text(pdf.content)
        event = AuditEvent.objects.get(
            action="sign", object_id=str(record.pk), detail__as="supervisee"
        )
        assert event.detail["reviewed_supervision"] is True

    def test_signing_without_answering_is_fine_and_shows_no_review(
        self, cast: Any, client: Any, held_session: Any
    ) -> None:
        record = _sign(cast, _record(cast, held_session))
        assert record.status == "signed"
        client.force_login(cast.practitioner)
        page = client.get(reverse("supervision:record", args=[held_session.pk])).content.decode()
        assert "review of this supervision" not in page

    def test_an_answer_not_offered_is_refused(self, cast: Any, held_session: Any) -> None:
        record = _record(cast, held_session)
        services.record_sign_supervisor(actor=cast.supervisor, record=record)
        with pytest.raises(ValidationError):
            services.record_sign_supervisee(
                actor=cast.practitioner, record=record, review={"review_helpful": "maybe"}
            )
        record.refresh_from_db()
        assert record.status != "signed"


class TestSignedContent:
    def test_the_new_fields_are_signed_and_a_change_behind_the_app_is_named(
        self, cast: Any, held_session: Any, child: Any
    ) -> None:
        record = _record(cast, held_session, started_at=dt.time(10), ended_at=dt.time(11))
        discussion = _discuss(
            cast, record, child, specialist_referral=True, review_themes=["lack_of_challenge"]
        )
        record = _sign(cast, record, review_helpful="no")
        content = record.signed_content.content
        assert content["started_at"] == "10:00" and content["review_helpful"] == "No"
        signed = content["discussions"][0]
        assert signed["specialist_referral"] is True
        assert signed["review_themes"] == ["Lack of challenge"]
        assert "all intact" in _verify()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE supervision_casediscussion SET specialist_referral = false WHERE id = %s",
                [discussion.pk],
            )
        assert f"supervision.casediscussion {discussion.pk}: specialist_referral differs" in (
            _verify()
        )

    def test_a_record_signed_before_these_fields_existed_stays_intact(
        self, cast: Any, held_session: Any
    ) -> None:
        record = _sign(cast, _record(cast, held_session))
        sealed = record.signed_content
        old = {
            k: v
            for k, v in sealed.content.items()
            if k
            not in {
                "started_at",
                "ended_at",
                "learning_review",
                "review_protected_time",
                "review_helpful",
                "review_improve",
            }
        }
        type(sealed).objects.filter(pk=sealed.pk).update(
            content=old, content_hash=content_hash(old)
        )
        assert "all intact" in _verify()
        SessionRecord.objects.filter(pk=record.pk).update(started_at=dt.time(10))
        assert f"supervision.sessionrecord {record.pk}: started_at differs" in _verify()


def test_a_session_status_other_than_held_is_not_counted_in_the_pair_timeliness(
    cast: Any, held_session: Any
) -> None:
    from oversight.supervision.selectors import pair_timeliness

    _record(cast, held_session, started_at=dt.time(9, 55))
    SessionFactory(
        supervisor=cast.supervisor,
        supervisee=cast.practitioner,
        agency=cast.agency,
        status=SessionStatus.CANCELLED,
    )
    figures = pair_timeliness(held_session)
    assert figures is not None
    assert (figures.held, figures.timed, figures.on_time) == (1, 1, 1)
