"""The reflective tools, the 4x4x4 balance, case progression and revalidation evidence (issue
15 items 11, 12, 16 and 17): seed 004 Appendix II's three tools with the agency's default,
seed 001's four stakeholders and the balance "over the entire supervision process", seed 004
assurance indicator 4, and a practitioner's own evidence for NMC revalidation and Social Work
England CPD."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from oversight.children.models import ChildStatus, LegalStatus
from oversight.contracts.models import SessionType
from oversight.core.models import AuditAction, AuditEvent
from oversight.core.testing import today_is
from oversight.people.models import SupervisionRelationship
from oversight.supervision import services
from oversight.supervision.models import CaseDiscussion, SessionAttendance, SessionRecord
from oversight.supervision.reflection import case_progression, default_tool_key

from .factories import ChildFactory, SessionFactory
from .test_views import _pdf_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 20)


def _held(cast: Any, day: dt.date, **kwargs: Any) -> Any:
    start = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    kwargs.setdefault("supervisee", cast.practitioner)
    return SessionFactory(
        supervisor=kwargs.pop("supervisor", cast.supervisor),
        agency=cast.agency,
        planned_start=start,
        status="held",
        held_on=day,
        **kwargs,
    )


def _record(cast: Any, session: Any, **data: Any) -> SessionRecord:
    if session.supervisee_id:
        data.setdefault("next_session_on", session.held_on + dt.timedelta(days=28))
    return services.session_record(
        actor=session.supervisor, session=session, held_on=session.held_on, data=data
    )


def _discuss(cast: Any, record: SessionRecord, child: Any, **data: Any) -> CaseDiscussion:
    return services.case_discussion_add(
        actor=record.session.supervisor,
        record=record,
        child=child,
        data={"rag_rating": "amber", **data},
    )


def _sign(cast: Any, record: SessionRecord, **review: str) -> SessionRecord:
    services.record_sign_supervisor(actor=record.session.supervisor, record=record)
    services.record_sign_supervisee(
        actor=cast.practitioner, record=record, comment="", review=review
    )
    record.refresh_from_db()
    return record


@pytest.fixture
def child(cast: Any) -> Any:
    return ChildFactory(
        agency=cast.agency,
        allocated_practitioner=cast.practitioner,
        display_name="Family T – A",
        case_reference="SECRET-REF-1",
    )


class TestTheCycle:
    """Item 11: all three Appendix II tools, the agency's default, stages covered."""

    def test_a_discussion_starts_with_the_agencys_tool_and_may_use_another(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        with today_is(DAY):
            record = _record(cast, _held(cast, DAY - dt.timedelta(days=1)))
            services.reflection_settings_update(
                actor=cast.agency_lead, agency=cast.agency, default_tool="gibbs"
            )
            client.force_login(cast.supervisor)
            url = reverse("supervision:discussion_add", args=[record.session_id])
            page = client.get(url).content.decode()
            assert "The supervisory cycle: Gibbs&#x27; reflective cycle" in page
            for stage in ("Description", "Feelings", "Evaluation", "Conclusion", "Action plan"):
                assert f">{stage}</" in page or f"{stage}\n" in page or stage in page
            assert "?tool=kolb" in page and "?tool=adapted" in page
            kolb = client.get(url + "?tool=kolb").content.decode()
            assert "Kolb&#x27;s experiential learning model" in kolb
            assert "Reflective observation" in kolb
            assert 'name="feelings"' not in kolb

            response = client.post(
                url,
                {
                    "child": child.pk,
                    "rag_rating": "red",
                    "reflective_tool": "gibbs",
                    "experience": "Home visit; father refused entry.",
                    "feelings": "Anxious and unwelcome.",
                    "stakeholders": ["people_who_use_services", "partner_organisations"],
                    "submission_token": "t1",
                },
            )
            assert response.status_code == 302
            discussion = CaseDiscussion.objects.get(record=record)
            assert discussion.reflective_tool == "gibbs"
            record_page = client.get(
                reverse("supervision:record", args=[record.session_id])
            ).content.decode()
        assert "Gibbs&#x27; reflective cycle" in record_page
        assert "2 of 6 stages: Description, Feelings" in record_page
        assert "Children and families who use services" in record_page
        assert "Partner organisations" in record_page

    def test_changing_tool_keeps_what_was_written_for_other_stages(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        with today_is(DAY):
            record = _record(cast, _held(cast, DAY - dt.timedelta(days=1)))
            discussion = _discuss(
                cast,
                record,
                child,
                reflective_tool="gibbs",
                experience="What happened",
                feelings="How it felt",
            )
            client.force_login(cast.supervisor)
            url = reverse("supervision:discussion_edit", args=[record.session_id, discussion.pk])
            client.post(
                url + "?tool=kolb",
                {
                    "rag_rating": "amber",
                    "reflective_tool": "kolb",
                    "experience": "What happened",
                    "reflection": "Noticed the pattern",
                    "version": discussion.version,
                },
            )
        discussion.refresh_from_db()
        assert discussion.reflective_tool == "kolb"
        assert discussion.feelings == "How it felt"  # kept, though Kolb does not ask it
        assert discussion.stages_summary() == (
            "2 of 4 stages: Concrete experience, Reflective observation"
        )

    def test_only_the_lead_chooses_the_agency_tool(self, cast: Any) -> None:
        assert default_tool_key(agency_id=cast.agency.pk) == "adapted"
        for person in (cast.supervisor, cast.other_lead, cast.auditor):
            with pytest.raises(PermissionDenied):
                services.reflection_settings_update(
                    actor=person, agency=cast.agency, default_tool="kolb"
                )
        services.reflection_settings_update(
            actor=cast.agency_lead, agency=cast.agency, default_tool="kolb"
        )
        assert default_tool_key(agency_id=cast.agency.pk) == "kolb"
        assert default_tool_key(agency_id=cast.other_agency.pk) == "adapted"

    def test_the_lead_changes_the_tool_on_the_settings_page(self, cast: Any, client: Any) -> None:
        client.force_login(cast.agency_lead)
        url = reverse("supervision:reflection_settings", args=[cast.agency.pk])
        assert "Kolb&#x27;s experiential learning model" in client.get(url).content.decode()
        response = client.post(url, {"default_tool": "kolb", "version": ""})
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert "Case discussions start with Kolb&#x27;s experiential learning model" in page

    def test_the_agency_analysis_shows_stages_covered_with_small_counts_withheld(
        self, cast: Any, client: Any, child: Any, django_assert_max_num_queries: Any
    ) -> None:
        with today_is(DAY):
            record = _record(cast, _held(cast, DAY - dt.timedelta(days=1)))
            for n in range(6):
                other = ChildFactory(agency=cast.agency)
                _discuss(
                    cast,
                    record,
                    other,
                    experience="x",
                    reflection="y" if n < 5 else "",
                    analysis="z" if n < 3 else "",
                    action_planning="w" if n < 3 else "",
                    stakeholders=["staff"],
                )
            client.force_login(cast.agency_lead)
            url = reverse("supervision:agency_reflection", args=[cast.agency.pk])
            with django_assert_max_num_queries(25):
                page = client.get(url).content.decode()
        assert "Kolb&#x27;s cycle with example questions: 6 discussions, Fewer than 5" in page
        assert ">Experience</th>" in page
        assert "Fewer than 5" in page
        # Reflection covered by five of the six: shown; analysis by three: withheld.
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' in page


class TestBalance:
    """Item 12: the balance over one supervisee's records, for the pair and the lead."""

    def test_the_pair_sees_functions_elements_and_stakeholders_over_time(
        self, cast: Any, client: Any, child: Any, django_assert_max_num_queries: Any
    ) -> None:
        with today_is(DAY):
            first = _record(
                cast,
                _held(cast, DAY - dt.timedelta(days=40)),
                functions_served=["management", "support"],
                key_elements=["quality_assurance"],
            )
            _discuss(cast, first, child, stakeholders=["people_who_use_services"])
            _record(
                cast,
                _held(cast, DAY - dt.timedelta(days=10)),
                functions_served=["support"],
                key_elements=["quality_assurance"],
            )
            # Another pair's record does not count.
            _record(
                cast,
                _held(cast, DAY - dt.timedelta(days=5), supervisee=cast.stranger),
                functions_served=["development"],
            )
            relationship = SupervisionRelationship.objects.get(
                supervisor=cast.supervisor, supervisee=cast.practitioner
            )
            url = reverse("supervision:relationship_balance", args=[relationship.pk])
            client.force_login(cast.practitioner)
            with django_assert_max_num_queries(20):
                page = client.get(url).content.decode()
        assert "2 records and 1 case discussions" in page
        assert "2 of 2" in page  # support in both records
        assert "Not covered in any record yet" in page
        assert "<li>Development</li>" in page
        assert "<li>Mediation</li>" in page
        assert "<li>Personal support and reflection</li>" in page
        assert "<li>Staff</li>" in page

    def test_others_are_refused(self, cast: Any, client: Any) -> None:
        relationship = SupervisionRelationship.objects.get(
            supervisor=cast.supervisor, supervisee=cast.practitioner
        )
        url = reverse("supervision:relationship_balance", args=[relationship.pk])
        for person in (cast.line_manager, cast.other_supervisor, cast.auditor, cast.stranger):
            client.force_login(person)
            assert client.get(url).status_code == 403


class TestCaseProgression:
    """Item 16: movement between RAG ratings and legal statuses, per quarter."""

    def test_moves_are_counted_in_the_quarter_they_happen(self, cast: Any) -> None:
        children: list[Any] = [ChildFactory(agency=cast.agency) for _ in range(5)]
        first = _record(cast, _held(cast, dt.date(2026, 1, 10)))
        second = _record(cast, _held(cast, dt.date(2026, 4, 14)))
        for c in children:
            _discuss(cast, first, c, rag_rating="red")
            _discuss(cast, second, c, rag_rating="amber")
            ChildStatus.objects.create(
                child=c, status=LegalStatus.CHILD_IN_NEED, starts_on=dt.date(2025, 6, 1)
            )
            ChildStatus.objects.create(
                child=c, status=LegalStatus.CHILD_PROTECTION, starts_on=dt.date(2026, 4, 20)
            )
        periods = [(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), DAY)]
        found = case_progression(agency_id=cast.agency.pk, periods=periods)
        summary = {row.label: row.counts for row in found.rag_summary}
        assert summary["Rated better than at the discussion before"] == [0, 5]
        assert summary["Rated worse"] == [0, 0]
        assert [(r.label, r.counts) for r in found.rag_moves] == [
            ("Red (getting worse) to Amber (staying the same)", [0, 5])
        ]
        assert [(r.label, r.counts) for r in found.status_moves] == [
            ("Child in need (s17) to Child protection (s47) / plan", [0, 5])
        ]

    def test_fewer_than_five_moves_are_withheld(self, cast: Any) -> None:
        c = ChildFactory(agency=cast.agency)
        _discuss(cast, _record(cast, _held(cast, dt.date(2026, 4, 2))), c, rag_rating="green")
        _discuss(cast, _record(cast, _held(cast, dt.date(2026, 4, 30))), c, rag_rating="red")
        found = case_progression(agency_id=cast.agency.pk, periods=[(dt.date(2026, 4, 1), DAY)])
        assert {r.label: r.counts for r in found.rag_summary}["Rated worse"] == ["Fewer than 5"]


class TestEvidence:
    """Item 17: a practitioner's own evidence, PDF and Word, audited, nothing of children."""

    def _history(self, cast: Any, child: Any) -> SessionRecord:
        record = _record(
            cast,
            _held(cast, dt.date(2026, 3, 3)),
            learning_development="Read the CSPR on neglect; try the graded care profile.",
            functions_served=["development"],
            emotional_impact="WELLBEING-NOTE",
        )
        _discuss(
            cast,
            record,
            child,
            identified_needs="CHILD-DETAIL",
            review_themes=["professional_curiosity"],
        )
        _sign(cast, record, review_helpful="yes")
        # A record not yet signed is left out, and counted.
        _record(cast, _held(cast, dt.date(2026, 4, 7)))
        return record

    def test_the_word_document_holds_their_history_and_no_childs_details(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        from docx import Document

        with today_is(DAY):
            self._history(cast, child)
            client.force_login(cast.practitioner)
            response = client.post(
                reverse("supervision:evidence"),
                {"start": "2026-01-01", "end": "2026-05-20", "file_format": "docx"},
            )
        assert response.status_code == 200
        assert (
            "supervision-evidence-amara-okafor-2026-01-01-to-2026-05-20.docx"
            in response["Content-Disposition"]
        )
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        )
        assert "Read the CSPR on neglect" in text
        assert "Professional curiosity" in text
        assert "Development" in text
        assert "Ben Hughes" in text
        assert "1 more sessions in the period are not included" in text
        assert "NMC written reflective account" in text
        assert "Social Work England CPD record" in text
        assert "Did this session help your work with children and families? Yes" in text
        for secret in ("Family T", "SECRET-REF-1", "CHILD-DETAIL", "WELLBEING-NOTE"):
            assert secret not in text
        event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
        assert event.actor == cast.practitioner
        assert event.detail["format"] == "docx"
        assert event.detail["sessions"] == 1

    def test_the_pdf_says_the_same(self, cast: Any, client: Any, child: Any) -> None:
        with today_is(DAY):
            self._history(cast, child)
            client.force_login(cast.practitioner)
            response = client.post(
                reverse("supervision:evidence"),
                {"start": "2026-01-01", "end": "2026-05-20", "file_format": "pdf"},
            )
        assert response["Content-Type"] == "application/pdf"
        text = _pdf_text(response.content)
        assert "Read the CSPR on neglect" in text
        assert "Family T" not in text and "CHILD-DETAIL" not in text

    def test_a_supervisor_exports_only_their_own_history(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        """Their supervisee's sessions are not theirs to export (deny side)."""
        with today_is(DAY):
            self._history(cast, child)
            group = _held(
                cast,
                dt.date(2026, 2, 2),
                supervisor=cast.agency_lead,
                supervisee=None,
                session_type=SessionType.REFLECTIVE_GROUP,
                learning_review="CSPR Child Q",
            )
            SessionAttendance.objects.create(session=group, person=cast.supervisor, attended=True)
            _sign_group = _record(cast, group, learning_development="Group learning")
            services.record_sign_supervisor(actor=cast.agency_lead, record=_sign_group)
            client.force_login(cast.supervisor)
            response = client.post(
                reverse("supervision:evidence"),
                {"start": "2026-01-01", "end": "2026-05-20", "file_format": "pdf"},
            )
        text = _pdf_text(response.content)
        assert "Read the CSPR on neglect" not in text

    def test_the_lead_and_the_auditor_cannot_export(self, cast: Any, client: Any) -> None:
        for person in (cast.agency_lead, cast.auditor, cast.line_manager):
            client.force_login(person)
            response = client.post(
                reverse("supervision:evidence"),
                {"start": "2026-01-01", "end": "2026-05-20", "file_format": "pdf"},
            )
            assert response.status_code == 403
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()

    def test_a_period_that_ends_before_it_starts_is_refused(self, cast: Any, client: Any) -> None:
        client.force_login(cast.practitioner)
        page = client.post(
            reverse("supervision:evidence"),
            {"start": "2026-05-01", "end": "2026-01-01", "file_format": "pdf"},
        ).content.decode()
        assert "The last day must be the same as or after the first day." in page


class TestSigned:
    def test_the_tool_its_stages_and_stakeholders_are_signed_and_verified(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        from django.core.management import call_command

        with today_is(DAY):
            record = _record(cast, _held(cast, DAY - dt.timedelta(days=2)))
            _discuss(
                cast,
                record,
                child,
                reflective_tool="gibbs",
                feelings="Signed feelings",
                stakeholders=["staff"],
            )
            record = _sign(cast, record)
            content = record.signed_content.content["discussions"][0]
            assert content["reflective_tool"] == "gibbs"
            assert content["feelings"] == "Signed feelings"
            assert content["stakeholders"] == ["Staff"]
            call_command("verify_integrity")  # raises if anything differs
            client.force_login(cast.practitioner)
            page = client.get(
                reverse("supervision:record", args=[record.session_id])
            ).content.decode()
        assert "Signed feelings" in page
        assert "1 of 6 stages: Feelings" in page

    def test_a_snapshot_from_before_reads_as_the_adapted_cycle(
        self, cast: Any, client: Any, child: Any
    ) -> None:
        from django.core.management import call_command

        from oversight.supervision.models import SignedContent
        from oversight.supervision.signed import content_hash

        with today_is(DAY):
            record = _record(cast, _held(cast, DAY - dt.timedelta(days=2)))
            _discuss(cast, record, child, experience="Before the tools")
            record = _sign(cast, record)
            sealed = record.signed_content
            content = sealed.content
            for key in ("reflective_tool", "feelings", "evaluation", "conclusion", "stakeholders"):
                del content["discussions"][0][key]
            SignedContent.objects.filter(pk=sealed.pk).update(
                content=content, content_hash=content_hash(content)
            )
            call_command("verify_integrity")
            client.force_login(cast.practitioner)
            page = client.get(
                reverse("supervision:record", args=[record.session_id])
            ).content.decode()
        assert "Kolb&#x27;s cycle with example questions" in page
        assert "1 of 4 stages: Experience" in page


def test_the_evidence_and_settings_pages_stay_within_their_queries(
    cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.practitioner)
    # The page's own read is one query (has the person been supervised); the rest is the
    # base page's header, notifications and session.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("supervision:evidence")).status_code == 200
    client.force_login(cast.agency_lead)
    with django_assert_max_num_queries(20):
        url = reverse("supervision:reflection_settings", args=[cast.agency.pk])
        assert client.get(url).status_code == 200


def test_the_lead_reaches_each_pairs_balance_and_the_auditor_sees_no_names(
    cast: Any, client: Any
) -> None:
    url = reverse("supervision:agency_reflection", args=[cast.agency.pk])
    client.force_login(cast.agency_lead)
    page = client.get(url).content.decode()
    relationship = SupervisionRelationship.objects.get(
        supervisor=cast.supervisor, supervisee=cast.practitioner
    )
    assert reverse("supervision:relationship_balance", args=[relationship.pk]) in page
    assert "Amara Okafor, supervised by Ben Hughes" in page
    client.force_login(cast.auditor)
    page = client.get(url).content.decode()
    assert "Amara Okafor" not in page
    assert "Change the reflective tool" not in page
