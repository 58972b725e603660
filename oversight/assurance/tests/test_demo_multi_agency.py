"""The demo shows issue 13 items 5 and 6 in use: the auditor's completed multi-agency audit,
and the health visitor persona at the council's reflective practice groups."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.assurance.models import AuditedAgencyPart, AuditedChild, RecordAudit
from oversight.supervision.models import SessionAttendance

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_the_demo_has_a_multi_agency_audit_and_cross_agency_groups() -> None:
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
    audit = RecordAudit.objects.get(multi_agency=True)
    assert audit.status == "complete" and audit.agency is None
    children = AuditedChild.objects.filter(audit=audit)
    assert children.count() >= 3
    assert not children.filter(graded_at__isnull=True).exists()
    assert not AuditedAgencyPart.objects.filter(audited_child__audit=audit, grade="").exists()
    assert audit.items.exclude(oversight=None).exists() or audit.items.exists()

    guests = SessionAttendance.objects.filter(
        session__session_type="reflective_group",
        session__supervisor__username="lead.csc",
        person__username="practitioner.health",
    )
    assert guests.filter(attended=True).exists()
