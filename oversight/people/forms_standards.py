"""Forms for supervisor requirements and exceptions, qualifications, and requests to change a
supervisory relationship (issue 15 items 5 and 9)."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.core.forms import DateInput, GovukForm, GovukModelForm, VersionedFormMixin

from .models import Person, Qualification, SupervisorRequirements


class SupervisorRequirementsForm(VersionedFormMixin, GovukModelForm):
    version_optional = True

    class Meta:
        model = SupervisorRequirements
        fields = [
            "training_course",
            "training_must_be_in_date",
            "experience_years",
            "qualification",
        ]


class SupervisorExceptionForm(GovukForm):
    reason = forms.CharField(
        label="Why may they supervise without meeting the requirements?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, the training is booked and another supervisor will oversee "
        "their supervision until then.",
    )
    review_by = forms.DateField(
        label="Review by (optional)",
        required=False,
        widget=DateInput(),
        help_text="After this date the exception no longer counts.",
    )


class QualificationForm(GovukModelForm):
    class Meta:
        model = Qualification
        fields = ["name", "awarded_on"]
        widgets = {"awarded_on": DateInput()}


class ChangeRequestForm(GovukForm):
    reason = forms.CharField(
        label="Why would you like a different arrangement?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your agency's safeguarding lead reads this and decides. The other person "
        "can see that you asked and the lead's decision.",
    )


class ChangeDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("agree", "Agree: end this supervision"),
            ("decline", "Decline: the supervision continues"),
        ],
        widget=forms.RadioSelect,
    )
    last_day = forms.DateField(
        label="Last day of this supervision (if you agree)",
        required=False,
        widget=DateInput(),
    )
    new_supervisor = forms.ModelChoiceField(
        label="New safeguarding supervisor (optional)",
        queryset=Person.objects.none(),
        required=False,
        help_text="They take over the next day, with a draft contract and the planned "
        "sessions. Leave blank to arrange the new supervisor later.",
    )
    reason = forms.CharField(
        label="Reason, or handover notes if you agree",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when you decline. Both people see it.",
    )

    def __init__(self, *args: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("new_supervisor", supervisors)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "agree" and not data.get("last_day"):
            self.add_error("last_day", "Enter the last day of this supervision.")
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the request is declined.")
        return data
