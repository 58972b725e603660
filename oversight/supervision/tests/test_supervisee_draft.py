"""Issue 15 item 7, who writes the record (seed 001 "Recording": "recording may be completed by
the supervisor depending on the agency"): where the agency's policy allows it the supervisee
drafts the record and hands it over; the supervisor completes it and signs. Elsewhere the
supervisee cannot write it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.contracts.tests.factories import SupervisionPolicyFactory
from oversight.core.testing import today_is
from oversight.notifications.models import Kind, Notification
from oversight.supervision import services
from oversight.supervision.models import RecordStatus, SessionRecord, SuperviseeDraft
from oversight.supervision.rules import Permission
from oversight.supervision.services.drafts import record_draft_save, record_draft_take_in

TODAY = dt.date(2026, 11, 18)
DRAFT = {
    "agenda_notes": "Caseload, and the T family's core group next week.",
    "cases_notes": "Family T: school attendance is down; we agreed to ask for a CIN review.",
    "actions_notes": "I will call the school by Friday.",
    "learning_development": "Book the neglect toolkit course.",
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


@pytest.fixture
def allowed(cast: Any) -> Any:
    return SupervisionPolicyFactory(
        agency=cast.agency,
        effective_from=TODAY - dt.timedelta(days=365),
        supervisee_may_draft_record=True,
    )


def test_the_supervisee_drafts_and_hands_over_and_the_supervisor_is_told(
    cast: Any, held_session: Any, allowed: Any
) -> None:
    draft = record_draft_save(actor=cast.practitioner, session=held_session, data=DRAFT)
    assert not draft.is_handed_over
    draft = record_draft_save(
        actor=cast.practitioner,
        session=held_session,
        data={**DRAFT, "agenda_notes": "Caseload first."},
        hand_over=True,
        expected_version=draft.version,
    )
    assert draft.is_handed_over
    assert draft.agenda_notes == "Caseload first."
    told = Notification.objects.get(kind=Kind.RECORD_DRAFT)
    assert told.recipient == cast.supervisor
    # Handed over, it is the supervisor's: the supervisee can no longer change it.
    with pytest.raises(ValidationError, match="handed this draft"):
        record_draft_save(
            actor=cast.practitioner,
            session=held_session,
            data=DRAFT,
            expected_version=draft.version,
        )


def test_the_supervisor_takes_the_draft_in_completes_and_signs(
    cast: Any, held_session: Any, allowed: Any
) -> None:
    record_draft_save(actor=cast.practitioner, session=held_session, data=DRAFT, hand_over=True)
    record = record_draft_take_in(actor=cast.supervisor, session=held_session)
    assert "Caseload, and the T family's core group" in record.agenda_notes
    assert "Children and families discussed:\nFamily T" in record.agenda_notes
    assert "Actions agreed:\nI will call the school" in record.agenda_notes
    assert record.learning_development == DRAFT["learning_development"]
    assert SuperviseeDraft.objects.get().is_taken_in
    with pytest.raises(ValidationError, match="already in the record"):
        record_draft_take_in(actor=cast.supervisor, session=held_session)
    record.next_session_on = TODAY + dt.timedelta(days=30)
    record.save()
    signed = services.record_sign_supervisor(actor=cast.supervisor, record=record)
    assert signed.status == RecordStatus.AWAITING_SUPERVISEE


def test_the_draft_goes_after_what_the_supervisor_already_wrote(
    cast: Any, held_session: Any, allowed: Any
) -> None:
    record_draft_save(actor=cast.practitioner, session=held_session, data=DRAFT, hand_over=True)
    services.session_record(
        actor=cast.supervisor,
        session=held_session,
        held_on=held_session.held_on,
        data={"agenda_notes": "Supervisor's own notes."},
    )
    record = record_draft_take_in(actor=cast.supervisor, session=held_session)
    assert record.agenda_notes.startswith("Supervisor's own notes.\n\nCaseload")


def test_where_the_agency_has_the_supervisor_write_it_the_supervisee_cannot(
    cast: Any, held_session: Any, client: Any
) -> None:
    with pytest.raises(ValidationError, match="supervisor writes the record"):
        record_draft_save(actor=cast.practitioner, session=held_session, data=DRAFT)
    assert not cast.practitioner.has_perm(Permission.DRAFT_RECORD, held_session)
    client.force_login(cast.practitioner)
    url = reverse("supervision:supervisee_draft_edit", args=[held_session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {**DRAFT, "hand_over": "1"}).status_code == 403
    assert not SuperviseeDraft.objects.exists()
    page = client.get(reverse("supervision:session_detail", args=[held_session.pk]))
    assert "Draft the record for your supervisor" not in page.content.decode()


def test_a_staff_group_policy_decides_for_that_group(
    cast: Any, held_session: Any, allowed: Any
) -> None:
    # The agency allows it, but the supervisee's staff group has its own policy that does not.
    SupervisionPolicyFactory(
        agency=cast.agency,
        staff_group=cast.staff_group,
        effective_from=TODAY - dt.timedelta(days=30),
        supervisee_may_draft_record=False,
    )
    assert not cast.practitioner.has_perm(Permission.DRAFT_RECORD, held_session)


@pytest.mark.parametrize("who", ["supervisor", "line_manager", "agency_lead", "stranger"])
def test_only_the_supervisee_drafts(cast: Any, held_session: Any, allowed: Any, who: str) -> None:
    with pytest.raises(ValidationError, match="Only the supervisee"):
        record_draft_save(actor=cast.by_name(who), session=held_session, data=DRAFT)


def test_once_the_supervisor_has_signed_the_supervisee_cannot_draft(
    cast: Any, record: Any, allowed: Any
) -> None:
    record.status = RecordStatus.AWAITING_SUPERVISEE
    record.save()
    with pytest.raises(ValidationError, match="already signed"):
        record_draft_save(actor=cast.practitioner, session=record.session, data=DRAFT)


def test_the_pages_from_draft_to_record(
    cast: Any, held_session: Any, allowed: Any, client: Any
) -> None:
    client.force_login(cast.practitioner)
    page = client.get(reverse("supervision:session_detail", args=[held_session.pk]))
    assert "Draft the record for your supervisor" in page.content.decode()
    edit = reverse("supervision:supervisee_draft_edit", args=[held_session.pk])
    response = client.post(edit, {**DRAFT, "save": "1"})
    assert response.status_code == 302
    version = SuperviseeDraft.objects.get().version
    response = client.post(edit, {**DRAFT, "version": version, "hand_over": "1"})
    assert response.status_code == 302
    assert client.get(edit).status_code == 403  # handed over

    client.force_login(cast.supervisor)
    record_page = client.get(reverse("supervision:record", args=[held_session.pk]))
    assert "Read the supervisee's draft" in record_page.content.decode()
    read = client.get(reverse("supervision:supervisee_draft", args=[held_session.pk]))
    assert "Copy the draft into the record" in read.content.decode()
    response = client.post(reverse("supervision:supervisee_draft_take_in", args=[held_session.pk]))
    assert response.status_code == 302
    assert SessionRecord.objects.get(session=held_session).agenda_notes.startswith("Caseload")
