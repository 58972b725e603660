"""What the API reads and writes. Serializers only check shapes and plausible values; the
services decide (and refuse in their own words)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.children.models import LegalStatus, ReviewMeetingKind
from oversight.core.forms import FIRST_PLAUSIBLE_DATE, LAST_PLAUSIBLE_DATE
from oversight.people.imports import MAX_ROWS
from oversight.supervision.models import SessionStatus, SessionType

from ..models import WebhookEvent
from ..selectors import DECISION_STATUSES

PLAUSIBLE = "Use a date from 1 January 1900 to 31 December 2100."


class PlausibleDateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not FIRST_PLAUSIBLE_DATE <= day <= LAST_PLAUSIBLE_DATE:
            raise serializers.ValidationError(PLAUSIBLE)
        return day


class PlausibleDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str) and value[:4].isdigit() and not 1900 <= int(value[:4]) <= 2100:
            raise serializers.ValidationError(PLAUSIBLE)
        moment = super().to_internal_value(value)
        if not FIRST_PLAUSIBLE_DATE <= moment.date() <= LAST_PLAUSIBLE_DATE:
            raise serializers.ValidationError(PLAUSIBLE)
        return moment


class Text(serializers.CharField):
    """Text with no NUL character (PostgreSQL cannot store one)."""


class ChangedSinceQuery(serializers.Serializer):
    changed_since = PlausibleDateTimeField(
        required=False, help_text="Only records changed at or after this time (ISO 8601)."
    )


class DecisionQuery(ChangedSinceQuery):
    status = serializers.ChoiceField(
        choices=DECISION_STATUSES,
        required=False,
        help_text="due: not on file, still in time; overdue: not on file, late; on_file.",
    )


class WorkerSerializer(serializers.Serializer):
    email = serializers.EmailField()
    staff_number = serializers.CharField(allow_blank=True)


class ChildSerializer(serializers.Serializer):
    case_reference = serializers.CharField()
    display_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    legal_status_since = serializers.DateField(allow_null=True)
    allocated_worker = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    modified_at = serializers.DateTimeField()

    @extend_schema_field(WorkerSerializer(allow_null=True))
    def get_allocated_worker(self, child: Any) -> dict[str, str] | None:
        person = child.allocated_practitioner
        if person is None:
            return None
        posts = getattr(person, "current_posts", [])
        number = next((p.employee_number for p in posts if p.agency_id == child.agency_id), "")
        return {"email": person.email, "staff_number": number}


class ChildWriteSerializer(serializers.Serializer):
    display_name = Text(max_length=100, help_text="Initials or a short name.")
    date_of_birth = PlausibleDateField(required=False, allow_null=True)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    legal_status_since = PlausibleDateField(
        required=False, allow_null=True, help_text="When the legal status began; today if left out."
    )
    allocated_worker_email = serializers.EmailField(required=False, allow_blank=True)
    allocated_worker_staff_number = Text(required=False, allow_blank=True, max_length=50)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("allocated_worker_email") and attrs.get("allocated_worker_staff_number"):
            raise serializers.ValidationError(
                "Name the allocated worker by email or by staff number, not both."
            )
        return attrs


class ReviewMeetingSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    case_reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=ReviewMeetingKind.choices)
    meets_on = serializers.DateField()
    notes = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class ReviewMeetingWriteSerializer(serializers.Serializer):
    case_reference = Text(max_length=50)
    kind = serializers.ChoiceField(choices=ReviewMeetingKind.choices)
    meets_on = PlausibleDateField()
    notes = Text(max_length=300, required=False, allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField(source="child.case_reference")
    decided_on = serializers.DateField()
    file_due_on = serializers.DateField()
    immediate_concern = serializers.BooleanField()
    status = serializers.SerializerMethodField()
    decision = serializers.CharField()
    rationale = serializers.CharField()
    recorded_on_file_at = serializers.DateTimeField(allow_null=True)
    case_system_reference = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    modified_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=DECISION_STATUSES))
    def get_status(self, decision: Any) -> str:
        if decision.recorded_on_file_at is not None:
            return "on_file"
        return "overdue" if decision.is_overdue_on(timezone.localdate()) else "due"


class DecisionConfirmSerializer(serializers.Serializer):
    case_system_reference = Text(max_length=100, help_text="The entry in the case system.")
    recorded_at = PlausibleDateTimeField(help_text="When it was put on the child's file.")


class StaffRecordSerializer(serializers.Serializer):
    """One person, with the staff CSV's columns (people's import checks each value)."""

    employee_number = Text(max_length=50, help_text="The staff number.")
    email = Text(max_length=254)
    given_name = Text(max_length=100, required=False, allow_blank=True)
    family_name = Text(max_length=100, required=False, allow_blank=True)
    username = Text(max_length=150, required=False, allow_blank=True)
    team = Text(max_length=200, required=False, allow_blank=True)
    staff_group = Text(max_length=200, required=False, allow_blank=True)
    job_title = Text(max_length=200, required=False, allow_blank=True)
    contact = Text(max_length=20, required=False, allow_blank=True)
    start_date = Text(max_length=20, required=False, allow_blank=True)
    new_starter = Text(max_length=30, required=False, allow_blank=True)
    new_starter_until = Text(max_length=20, required=False, allow_blank=True)
    supervisor_email = Text(max_length=254, required=False, allow_blank=True)
    supervised_since = Text(max_length=20, required=False, allow_blank=True)
    line_manager_email = Text(max_length=254, required=False, allow_blank=True)
    line_managed_since = Text(max_length=20, required=False, allow_blank=True)
    roles = Text(max_length=200, required=False, allow_blank=True)


class StaffBatchSerializer(serializers.Serializer):
    records = StaffRecordSerializer(many=True, min_length=1, max_length=MAX_ROWS)


class StaffResultSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    posts = serializers.IntegerField()
    roles = serializers.IntegerField()
    supervision = serializers.IntegerField()
    line_management = serializers.IntegerField()


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(source="session_type", choices=SessionType.choices)
    title = serializers.CharField()
    starts_at = serializers.DateTimeField(source="planned_start")
    duration_minutes = serializers.IntegerField()
    location = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    held_on = serializers.DateField(allow_null=True)
    supervisor_email = serializers.EmailField(source="supervisor.email")
    supervisee_email = serializers.EmailField(source="supervisee.email", allow_null=True)
    modified_at = serializers.DateTimeField()


class WebhookSubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    created_at = serializers.DateTimeField()
