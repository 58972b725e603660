"""Record audit (seed 004 objective 2): stratified sample, grades, findings, roll-up; only
sampled records, never the wellbeing section, every view audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from oversight.assurance.models import AuditedRecord, RecordAudit, Stratum
from oversight.assurance.selectors import Period, audit_grades_table
from oversight.core.models import AuditAction, AuditEvent
from oversight.core.testing import today_is
from oversight.supervision.models import RagRating
from oversight.supervision.tests.factories import (
    CaseDiscussionFactory,
    ChildFactory,
    SessionRecordFactory,
)

# The day these tests are set on: pinned, since CI runs the suite at several clock dates.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    with today_is(TODAY) as day:
        yield day


GRADES = {
    "child_focused": "met",
    "needs_risks_analysed": "met",
    "rag_given": "met",
    "actions_owned_dated": "partly",
    "reflection_evidenced": "met",
    "signed_in_time": "not_met",
    "decisions_on_file": "met",
}


def _discussed(cast: Any, held: Any, child: Any, days: int, rag: str, **extra: Any) -> Any:
    record = SessionRecordFactory(session=held(cast.practitioner, days), **extra)
    CaseDiscussionFactory(
        record=record, child=child, rag_rating=rag, discussed_on=TODAY - dt.timedelta(days=days)
    )
    return record


def _sampleable(cast: Any, held: Any) -> dict[str, Any]:
    worsening, red, amber, green = (ChildFactory(agency=cast.agency) for _ in range(4))
    _discussed(cast, held, worsening, 200, RagRating.GREEN)
    return {
        Stratum.ESCALATING: _discussed(cast, held, worsening, 30, RagRating.RED),
        Stratum.HIGH: _discussed(cast, held, red, 40, RagRating.RED),
        Stratum.MEDIUM: _discussed(
            cast, held, amber, 50, RagRating.AMBER, emotional_impact="WELLBEING-PRIVATE"
        ),
        "green": _discussed(cast, held, green, 20, RagRating.GREEN),
    }


def test_sample_is_stratified_by_risk(cast: Any, client: Any, held: Any) -> None:
    records = _sampleable(cast, held)
    client.force_login(cast.auditor)
    response = client.post(
        reverse("assurance:audit_draw", args=[cast.agency.pk]),
        {
            "title": "Autumn audit",
            "period_start": (TODAY - dt.timedelta(days=90)).isoformat(),
            "period_end": TODAY.isoformat(),
            "per_stratum": "3",
        },
    )
    audit = RecordAudit.objects.get()
    assert response["Location"] == reverse("assurance:audit_detail", args=[audit.pk])
    sampled = {i.stratum: i.record_id for i in AuditedRecord.objects.filter(audit=audit)}
    assert sampled == {s: records[s].pk for s in Stratum}


def test_drawing_with_a_bad_period_is_explained(cast: Any, client: Any) -> None:
    client.force_login(cast.agency_lead)
    response = client.post(
        reverse("assurance:audit_draw", args=[cast.agency.pk]),
        {
            "title": "X",
            "period_start": "2026-06-01",
            "period_end": "2026-01-01",
            "per_stratum": "5",
        },
    )
    assert "The end of the period must be on or after its start" in response.content.decode()


def test_auditor_reads_a_sampled_record_without_wellbeing_and_the_read_is_logged(
    cast: Any, client: Any, held: Any
) -> None:
    records = _sampleable(cast, held)
    audit = RecordAudit.objects.create(
        agency=cast.agency,
        title="Audit",
        period_start=TODAY - dt.timedelta(days=90),
        period_end=TODAY,
        drawn_by=cast.auditor,
        drawn_on=TODAY,
    )
    item = AuditedRecord.objects.create(
        audit=audit, record=records[Stratum.MEDIUM], stratum=Stratum.MEDIUM
    )
    client.force_login(cast.auditor)
    response = client.get(reverse("assurance:audited_record", args=[item.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Needs a stable routine" in html
    assert "WELLBEING-PRIVATE" not in html
    assert AuditEvent.objects.filter(
        actor=cast.auditor,
        action=AuditAction.VIEW,
        object_type="assurance.auditedrecord",
        object_id=str(item.pk),
    ).exists()


def test_grade_complete_and_roll_up(cast: Any, client: Any, held: Any) -> None:
    records = [
        _discussed(cast, held, ChildFactory(agency=cast.agency), 10 + n, RagRating.RED)
        for n in range(5)
    ]
    audit = RecordAudit.objects.create(
        agency=cast.agency,
        title="Audit",
        period_start=TODAY - dt.timedelta(days=90),
        period_end=TODAY,
        drawn_by=cast.auditor,
        drawn_on=TODAY,
    )
    items = [
        AuditedRecord.objects.create(audit=audit, record=r, stratum=Stratum.HIGH) for r in records
    ]
    client.force_login(cast.agency_lead)
    complete = reverse("assurance:audit_complete", args=[audit.pk])
    early = client.post(complete, {"findings": "Mostly good", "version": audit.version})
    assert "Grade every sampled record before completing the audit." in early.content.decode()

    missing = client.post(
        reverse("assurance:audited_record", args=[items[0].pk]), {"notes": "Half done"}
    )
    assert "Grade “Child-focused”" in missing.content.decode()
    assert "Half done" in missing.content.decode()
    for item in items:
        response = client.post(
            reverse("assurance:audited_record", args=[item.pk]),
            {**GRADES, "notes": "Clear plan", "version": item.version},
        )
        assert response.status_code == 302
    done = client.post(
        complete,
        {
            "findings": "Records child-focused; signing late.",
            "actions_for_agency": "Sign on time.",
            "version": audit.version,
        },
    )
    assert done.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "complete"
    table = audit_grades_table([cast.agency], Period(TODAY - dt.timedelta(days=30), TODAY))
    row = table.rows[0]
    assert row[1] == 5
    assert row[2] == 100  # child-focused met in all
    assert row[7] == 0  # signed in time: not met

    # Once complete, grades are closed.
    again = client.post(
        reverse("assurance:audited_record", args=[items[0].pk]), {**GRADES, "version": 2}
    )
    assert again.status_code == 403
