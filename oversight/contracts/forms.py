"""Forms for policy versions and contracts. Labels follow seed 004 Appendix IV's wording."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from oversight.core.forms import (
    DateInput,
    GovukForm,
    GovukModelForm,
    SubmissionTokenMixin,
    VersionedFormMixin,
)
from oversight.people.models import Agency, ContactLevel

from .models import ContractEndReason, SessionType, SupervisionContract, SupervisionPolicy
from .terms import EDITABLE_FIELDS


class PolicyVersionForm(SubmissionTokenMixin, GovukModelForm):
    """A new version of the agency's policy for all staff or one staff group."""

    staff_group = forms.ChoiceField(
        label="Who does this apply to?",
        help_text="A staff group's own policy overrides the agency's for that group.",
    )
    session_types = forms.MultipleChoiceField(
        label="Session types the agency uses",
        choices=SessionType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one session type"},
    )
    counted_session_types = forms.MultipleChoiceField(
        label="Session types that count towards a person's supervision",
        help_text="A held group or reflective practice group counts only for those who "
        "attended. Supervision may be one-to-one or in a group, as the agency decides.",
        choices=SessionType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one type of session that counts towards supervision"
        },
    )

    class Meta:
        model = SupervisionPolicy
        fields = [
            "staff_group",
            "effective_from",
            "interval_days",
            "new_starter_interval_days",
            "ceiling_days",
            "session_types",
            "counted_session_types",
            "record_deadline_working_days",
            "contract_review_months",
            "child_discussion_ceiling_days",
            "change_reason",
        ]
        labels = {
            "effective_from": "Takes effect from",
            "interval_days": "Expected days between sessions",
            "new_starter_interval_days": "Days between sessions for newly-qualified and "
            "new-to-post staff",
            "ceiling_days": "Most days ever allowed between sessions",
            "record_deadline_working_days": "Working days to complete and sign a record",
            "contract_review_months": "Months before a contract is reviewed",
            "child_discussion_ceiling_days": "Most days between discussions of a child in need",
            "change_reason": "What changed and why",
        }
        help_texts = {
            "effective_from": "Today or later. Earlier dates keep the policy then in force.",
            "interval_days": "30 is monthly.",
            "new_starter_interval_days": "14 is fortnightly.",
            "ceiling_days": "At most 92 (three months).",
            "record_deadline_working_days": "Default 5 working days.",
            "contract_review_months": "Default 12 (annually).",
            "change_reason": "People see this in the policy's history.",
        }
        error_messages = {
            "effective_from": {
                "required": "Enter the date this version takes effect",
                "invalid": "Enter the date as day, month and year",
            },
            "interval_days": {"required": "Enter the expected number of days between sessions"},
            "new_starter_interval_days": {
                "required": "Enter the number of days between sessions for new starters"
            },
            "ceiling_days": {"required": "Enter the most days ever allowed between sessions"},
            "record_deadline_working_days": {
                "required": "Enter the working days allowed to complete and sign a record"
            },
            "contract_review_months": {
                "required": "Enter the months before a contract is reviewed"
            },
            "child_discussion_ceiling_days": {
                "required": "Enter the most days between discussions of a child in need"
            },
            "change_reason": {"required": "Enter what changed and why"},
        }
        widgets = {
            "effective_from": DateInput(),
            "change_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        groups = list(agency.staff_groups.filter(archived_at__isnull=True).order_by("name"))
        self.groups = {str(g.pk): g for g in groups}
        group_field = self.fields["staff_group"]
        assert isinstance(group_field, forms.ChoiceField)
        group_field.choices = [("", "All staff in the agency")] + [
            (str(g.pk), g.name) for g in groups
        ]
        self.fields["staff_group"].required = False
        self.fields["change_reason"].required = True
        for name in ("interval_days", "new_starter_interval_days", "ceiling_days"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3"})
        for name in (
            "record_deadline_working_days",
            "contract_review_months",
            "child_discussion_ceiling_days",
        ):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3"})

    def clean_staff_group(self) -> Any:
        value = self.cleaned_data.get("staff_group") or ""
        return self.groups.get(value)

    def _post_clean(self) -> None:
        self.instance.agency = self.agency
        super()._post_clean()  # type: ignore[misc]

    def validate_unique(self) -> None:
        """One version per day is checked by the service, which names the date field."""


class ContractForm(VersionedFormMixin, GovukModelForm):
    """The terms of a contract, in the order of seed 004 Appendix IV."""

    contact_level = forms.ChoiceField(
        label="Which kind of contract is this?",
        choices=[
            (ContactLevel.DIRECT, "Example 1: direct contact with children and families"),
            (ContactLevel.INDIRECT, "Example 2: indirect contact with children and families"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose example 1 or example 2"},
    )

    class Meta:
        model = SupervisionContract
        fields = list(EDITABLE_FIELDS)
        labels = {
            "frequency_days": "Frequency of supervision (days between sessions)",
            "session_duration_minutes": "Duration of each session (minutes)",
            "starts_on": "Start date",
            "review_due_on": "Date of review",
            "supervisor_responsibilities": "Roles and responsibilities: supervisor",
            "supervisee_responsibilities": "Roles and responsibilities: supervisee",
            "notice_of_changes": "How notice of changes and cancellations is given",
            "recording_arrangements": "How sessions are recorded",
            "agenda_setting": "How the session agenda is decided",
            "workload_performance_escalation": (
                "How workload and performance issues are raised and escalated"
            ),
            "difference_of_opinion_escalation": (
                "How differences of opinion are raised and escalated"
            ),
            "agenda_items_future": "Agenda items for future sessions",
            "learning_development": "Learning and development opportunities or concerns",
            "role_opportunities_concerns": "Role opportunities or concerns",
        }
        help_texts = {
            "frequency_days": "From the agency's policy; for example 30 for monthly.",
            "notice_of_changes": (
                "For example, the notice period for a change of time, date or venue, and "
                "the cancellation notice."
            ),
            "agenda_items_future": "Mainly for example 2 (indirect contact).",
            "learning_development": "Mainly for example 2 (indirect contact).",
            "role_opportunities_concerns": "Mainly for example 2 (indirect contact).",
        }
        error_messages = {
            "frequency_days": {"required": "Enter how many days apart sessions are"},
            "session_duration_minutes": {
                "required": "Enter how long each session lasts, in minutes"
            },
            "starts_on": {
                "required": "Enter the start date",
                "invalid": "Enter the start date as day, month and year",
            },
            "review_due_on": {
                "required": "Enter the review date",
                "invalid": "Enter the review date as day, month and year",
            },
        }
        widgets = {
            "starts_on": DateInput(),
            "review_due_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 5})
                for name in EDITABLE_FIELDS
                if name.endswith(("responsibilities",))
            },
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in EDITABLE_FIELDS
                if name
                not in {
                    "contact_level",
                    "frequency_days",
                    "session_duration_minutes",
                    "starts_on",
                    "review_due_on",
                    "supervisor_responsibilities",
                    "supervisee_responsibilities",
                }
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("frequency_days", "session_duration_minutes"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3"})

    def _post_clean(self) -> None:
        # Validation of the whole contract happens in the service, on a saved draft.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ConfirmSignatureForm(GovukForm):
    confirm = forms.BooleanField(
        label="I have read this contract and agree to it",
        error_messages={"required": "Confirm that you have read and agree to the contract."},
    )


class ContractEndForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the contract ending?",
        choices=ContractEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the contract is ending"},
    )
    ended_on = forms.DateField(
        label="Last day of the contract",
        widget=DateInput(),
        error_messages={
            "required": "Enter the last day of the contract",
            "invalid": "Enter the last day as day, month and year",
        },
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a handover, what was handed over and to whom.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class ContractCreateForm(SubmissionTokenMixin, ContractForm):
    """Drafting a contract: the form carries a one-time token (issue 10 item 6)."""
