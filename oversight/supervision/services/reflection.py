"""The agency's default reflective tool (seed 004 Appendix II; issue 15 item 11) and the
audited export of a practitioner's own supervision history (issue 15 item 17)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    StaleEditError,
    audit_event_record,
    tracked_create,
    tracked_edit,
)
from oversight.people.models import Agency, Person
from oversight.people.selectors import access_profile

from ..models import ReflectionSettings
from ..prompts import TOOLS


@transaction.atomic
def reflection_settings_update(
    *,
    actor: Person,
    agency: Agency,
    default_tool: str,
    expected_version: int | None = None,
    origin: RequestOrigin | None = None,
) -> ReflectionSettings:
    """The lead chooses which of the three Appendix II tools each case discussion offers
    first; a discussion may still use another."""
    if agency.pk not in access_profile(actor).led_agency_ids:
        raise PermissionDenied("Only the agency's safeguarding lead chooses its reflective tool.")
    if default_tool not in TOOLS:
        raise ValidationError({"default_tool": "Choose one of the reflective tools."})
    settings = ReflectionSettings.objects.select_for_update().filter(agency=agency).first()
    if settings is None:
        settings = ReflectionSettings(agency=agency, default_tool=default_tool)
        tracked_create(settings, actor=actor)
    else:
        if expected_version is None:
            raise StaleEditError()
        settings.default_tool = default_tool
        tracked_edit(settings, actor=actor, expected_version=expected_version)
    audit_event_record(actor=actor, action=AuditAction.CHANGE, target=settings, origin=origin)
    return settings


@transaction.atomic
def evidence_export_record(
    *,
    actor: Person,
    start: dt.date,
    end: dt.date,
    file_format: str,
    sessions: int,
    origin: RequestOrigin | None = None,
) -> None:
    """Each export of a practitioner's own supervision evidence is audited (issue 17): who,
    when, the period, the format and how many sessions it held. Nothing else is kept."""
    if end < start:
        raise ValidationError({"end": "The end of the period must be on or after its start."})
    locked = Person.objects.select_for_update().get(pk=actor.pk)
    audit_event_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=locked,
        origin=origin,
        detail={
            "export": "revalidation_evidence",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "format": file_format,
            "sessions": sessions,
        },
    )
