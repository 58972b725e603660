"""Signed means fixed (issue 10 item 4): what both people signed is stored with its hash, the
signed page and PDF show it whatever changes afterwards, and ``verify_integrity`` names a
signed row changed behind the application's back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from oversight.children.models import Child
from oversight.core.testing import integrity_verified
from oversight.people.models import Person
from oversight.supervision import services
from oversight.supervision.models import SessionRecord

from .test_views import _pdf_text, _sign

pytestmark = pytest.mark.django_db

WELLBEING = "Sleeping badly after the Child Q visit"


@pytest.fixture
def signed_record(cast: Any, held_session: Any, child: Any) -> SessionRecord:
    record = services.session_record(
        actor=cast.supervisor,
        session=held_session,
        held_on=held_session.held_on,
        data={
            "agenda_notes": "Family T; workload",
            "emotional_impact": WELLBEING,
            "next_session_on": held_session.held_on + dt.timedelta(days=28),
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
    _sign(cast, record)
    return record


def _verify() -> str:
    code, out = integrity_verified()
    return ("FAILED\n" if code else "") + out


def _main(html: str) -> str:
    """The page's content, without the header that names whoever is signed in."""
    return html[html.index("<main") : html.index("</main>")]


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_renaming_a_child_after_signing_leaves_the_pdf_and_signed_page_unchanged(
    cast: Any, client: Any, signed_record: SessionRecord, child: Child
) -> None:
    Child.objects.filter(pk=child.pk).update(display_name="Family Renamed – Z")
    Person.objects.filter(pk=cast.practitioner.pk).update(family_name="Renamedson")
    client.force_login(cast.practitioner)
    page = client.get(reverse("supervision:record", args=[signed_record.session_id]))
    html = _main(page.content.decode())
    assert "Family T – A" in html and "Renamed" not in html
    assert "Amara Okafor" in html
    pdf = client.get(reverse("supervision:record_pdf", args=[signed_record.session_id]))
    text = _pdf_text(pdf.content)
    assert "Family T – A" in text and "Renamed" not in text
    assert "signed by Amara Okafor" in text
    assert "all intact" in _verify() and "BROKEN" not in _verify()


def test_a_direct_sql_update_on_a_signed_record_changes_neither_page_nor_pdf_and_is_named(
    cast: Any, client: Any, signed_record: SessionRecord
) -> None:
    assert "BROKEN" not in _verify()
    _sql(
        "UPDATE supervision_sessionrecord SET agenda_notes = %s WHERE id = %s",
        ["Nothing of note", signed_record.pk],
    )
    client.force_login(cast.supervisor)
    html = client.get(reverse("supervision:record", args=[signed_record.session_id])).content
    assert b"Family T; workload" in html and b"Nothing of note" not in html
    pdf = client.get(reverse("supervision:record_pdf", args=[signed_record.session_id]))
    assert "Family T; workload" in _pdf_text(pdf.content)
    report = _verify()
    assert report.startswith("FAILED")
    assert f"supervision.sessionrecord {signed_record.pk}: agenda_notes differs" in report


def test_a_direct_sql_update_on_a_signed_discussion_is_named_by_verify_integrity(
    signed_record: SessionRecord,
) -> None:
    discussion = signed_record.case_discussions.get()
    _sql(
        "UPDATE supervision_casediscussion SET risks = %s WHERE id = %s",
        ["No risks", discussion.pk],
    )
    report = _verify()
    assert report.startswith("FAILED")
    assert f"supervision.casediscussion {discussion.pk}: risks differs" in report


def test_an_edited_signed_snapshot_is_named_by_verify_integrity(
    signed_record: SessionRecord,
) -> None:
    sealed = signed_record.signed_content
    content = dict(sealed.content, agenda_notes="Rewritten")
    type(sealed).objects.filter(pk=sealed.pk).update(content=content)
    report = _verify()
    assert f"supervision.signedcontent {sealed.pk}: the stored snapshot" in report


def test_an_edited_addendum_is_named_by_verify_integrity(
    cast: Any, signed_record: SessionRecord
) -> None:
    addendum = services.addendum_add(
        actor=cast.supervisor, record=signed_record, reason="Wrong date", text="Visit on the 3rd"
    )
    assert "BROKEN" not in _verify()
    _sql(
        "UPDATE supervision_addendum SET text = %s WHERE id = %s", ["Visit on the 9th", addendum.pk]
    )
    assert f"supervision.addendum {addendum.pk}: no longer matches its hash" in _verify()


def test_the_signing_event_in_the_audit_log_carries_the_hash_of_what_was_signed(
    signed_record: SessionRecord,
) -> None:
    from oversight.core.models import AuditEvent

    event = AuditEvent.objects.filter(
        action="sign", object_id=str(signed_record.pk), detail__as="supervisee"
    ).get()
    assert event.detail["content_hash"] == signed_record.signed_content.content_hash


def test_the_signed_wellbeing_section_is_still_shown_only_to_the_pair(
    cast: Any, client: Any, signed_record: SessionRecord
) -> None:
    url = reverse("supervision:record", args=[signed_record.session_id])
    client.force_login(cast.practitioner)
    assert WELLBEING in client.get(url).content.decode()
    client.force_login(cast.line_manager)
    page = client.get(url)
    assert page.status_code == 200 and "Family T; workload" in page.content.decode()
    assert WELLBEING not in page.content.decode()


def test_a_decision_recorded_on_file_after_signing_shows_and_keeps_the_record_intact(
    cast: Any, client: Any, signed_record: SessionRecord
) -> None:
    decision = signed_record.case_discussions.get().decisions.get()
    services.decision_record_on_file(
        actor=cast.practitioner,
        decision=decision,
        recorded_at=timezone.now(),
        case_system_reference="CS-991",
    )
    client.force_login(cast.practitioner)
    html = client.get(reverse("supervision:record", args=[signed_record.session_id])).content
    assert b"On the child&#x27;s file" in html or b"On the child's file" in html
    assert b"CS-991" in html
    assert "BROKEN" not in _verify()


def test_sealing_in_batches_stores_each_unsealed_signed_record_once(
    signed_record: SessionRecord,
) -> None:
    """The demo and the migration seal records written without a snapshot, a batch at a time
    from where the last batch ended (issue 17 item 4); each is sealed once and verifies."""
    from oversight.supervision.models import SignedContent
    from oversight.supervision.services.records import records_seal_unsealed

    SignedContent.objects.filter(record=signed_record).delete()
    assert records_seal_unsealed(batch=1) == 1
    assert records_seal_unsealed(batch=1) == 0
    assert SignedContent.objects.filter(record=signed_record).count() == 1
    assert "all intact" in _verify()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Parallel sealing forks workers that connect anew."
)
def test_sealing_in_parallel_processes_seals_every_record_once(
    signed_record: SessionRecord,
) -> None:
    """The large demo seals its records with a process per core (issue 17 item 4): every
    unsealed record is sealed by exactly one worker, and the result verifies."""
    from oversight.supervision.models import SignedContent
    from oversight.supervision.services.records import records_seal_unsealed

    SignedContent.objects.filter(record=signed_record).delete()
    assert records_seal_unsealed(workers=2) == 1
    assert records_seal_unsealed(workers=2) == 0
    assert SignedContent.objects.filter(record=signed_record).count() == 1
    assert "all intact" in _verify()


def test_sealing_in_parallel_is_refused_inside_a_transaction(
    signed_record: SessionRecord,
) -> None:
    from oversight.supervision.models import SignedContent
    from oversight.supervision.services.records import records_seal_unsealed

    SignedContent.objects.filter(record=signed_record).delete()
    with pytest.raises(RuntimeError, match="outside a transaction"):
        records_seal_unsealed(workers=2)
