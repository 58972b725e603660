"""Forms for children in view. Choices are narrowed by the view to what the person may pick."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.core.forms import (
    BIRTH_DATE,
    DateInput,
    GovukForm,
    PlausibleDateField,
    SubmissionTokenMixin,
    VersionedFormMixin,
)
from oversight.people.models import Agency, Person

from .models import (
    Child,
    ConcernKind,
    DisclosureCategory,
    EscalationLevel,
    EscalationSubject,
    LawfulBasis,
    LegalStatus,
    ReviewMeetingKind,
)


class ChildListFilterForm(GovukForm):
    """Narrows the children list (sent with GET): a lead's agency holds thousands, and a
    worker with forty families looks for one by name or case reference."""

    SHOW_CHOICES = [
        ("", "All children"),
        ("overdue", "Overdue for discussion"),
        ("due_soon", "Due in the next 14 days"),
        ("before_review", "To discuss before the review meeting"),
        ("drifting", "Flagged for drift"),
    ]

    q = forms.CharField(
        label="Name or case reference",
        required=False,
        max_length=100,
        strip=True,
    )
    legal_status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *LegalStatus.choices],
    )
    show = forms.ChoiceField(label="Show", required=False, choices=SHOW_CHOICES)


class ConcernFilterForm(GovukForm):
    """Narrows an agency's concerns about supervision (sent with GET) to open or resolved."""

    state = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Open and resolved"),
            ("open", "Open: at the one-to-one or three-way stage"),
            ("resolved", "Resolved"),
        ],
        error_messages={"invalid_choice": "Choose open, resolved, or open and resolved."},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class ChildDetailsForm(VersionedFormMixin, GovukForm):
    case_reference = forms.CharField(
        max_length=50,
        label="Case reference",
        help_text="The reference in your agency's own case system.",
    )
    display_name = forms.CharField(
        max_length=100,
        label="Initials or short name",
        help_text="For example 'Family T – child A'. Do not use the child's full name.",
    )
    date_of_birth = PlausibleDateField(
        required=False, dates=BIRTH_DATE, label="Date of birth (optional)"
    )
    nhs_number = forms.CharField(
        max_length=14,
        required=False,
        label="NHS number (optional)",
        help_text="10 digits. Other agencies involved find the child by an exact match on it.",
    )
    agencies_involved = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other agencies involved",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("agencies_involved", Agency.objects.live().order_by("name"))


class ChildCreateForm(SubmissionTokenMixin, ChildDetailsForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Owning agency")
    legal_status = forms.ChoiceField(choices=LegalStatus.choices, label="Legal status")
    status_since = forms.DateField(widget=DateInput(), label="Status since")
    allocated_practitioner = PersonChoiceField(
        queryset=Person.objects.none(), label="Allocated practitioner"
    )
    field_order = [
        "agency",
        "case_reference",
        "display_name",
        "date_of_birth",
        "nhs_number",
        "legal_status",
        "status_since",
        "allocated_practitioner",
        "agencies_involved",
    ]

    def __init__(self, *args: Any, agencies: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("agency", agencies)
        self.limit_choices("allocated_practitioner", practitioners)
        del self.fields["version"]


class StatusChangeForm(GovukForm):
    status = forms.ChoiceField(choices=LegalStatus.choices, label="New legal status")
    starts_on = forms.DateField(widget=DateInput(), label="From")


class AllocationForm(GovukForm):
    practitioner = PersonChoiceField(queryset=Person.objects.none(), label="Allocate to")
    starts_on = forms.DateField(widget=DateInput(), label="From")
    reason = forms.CharField(max_length=200, required=False, label="Reason (optional)")

    def __init__(self, *args: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("practitioner", practitioners)


class ReviewMeetingForm(SubmissionTokenMixin, GovukForm):
    kind = forms.ChoiceField(choices=ReviewMeetingKind.choices, label="Meeting")
    meets_on = forms.DateField(widget=DateInput(), label="Date")
    notes = forms.CharField(max_length=300, required=False, label="Notes (optional)")
    agencies_expected = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies expected at the meeting (optional)",
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices(
            "agencies_expected",
            agencies if agencies is not None else Agency.objects.live().order_by("name"),
        )


class InvolvementAddForm(GovukForm):
    """An agency adds its own involvement with a child another agency holds, finding it by an
    exact NHS number or the other agency's case reference (issue 13 item 1)."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Your agency")
    nhs_number = forms.CharField(
        max_length=14,
        required=False,
        label="The child's NHS number",
        help_text="10 digits. Leave blank to find the child by another agency's reference.",
    )
    other_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Or: the agency that knows the child",
    )
    other_case_reference = forms.CharField(
        max_length=50, required=False, label="That agency's case reference, exactly"
    )
    case_reference = forms.CharField(
        max_length=50,
        label="Your agency's case reference",
        help_text="The reference in your agency's own case system.",
    )
    allocated_worker = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Allocated worker (the named contact for other agencies)",
    )
    starts_on = forms.DateField(widget=DateInput(), label="Involved since")
    lawful_basis = forms.ChoiceField(
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        label="Lawful basis for sharing",
        help_text="Information is shared between agencies to safeguard the child.",
        error_messages={"required": "Choose the lawful basis for sharing."},
    )

    def __init__(self, *args: Any, agencies: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("agency", agencies)
        self.limit_choices("other_agency", Agency.objects.live().order_by("name"))
        self.limit_choices("allocated_worker", workers)


class InvolvementEndForm(GovukForm):
    ends_on = forms.DateField(widget=DateInput(), label="Last day of the involvement")


class AcknowledgeFlagForm(GovukForm):
    decision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Decision",
        help_text="What has been decided about this drift, for example a plan amendment or "
        "an escalation. The flag closes once acknowledged.",
    )


class DriftSettingsForm(VersionedFormMixin, GovukForm):
    # Blank until the agency first saves its settings; the service refuses a blank version
    # once settings exist.
    version_optional = True
    consecutive_enabled = forms.BooleanField(
        required=False, label="Flag amber or red at consecutive discussions"
    )
    consecutive_count = forms.IntegerField(
        min_value=2, max_value=12, label="Number of consecutive discussions"
    )
    worsening_enabled = forms.BooleanField(
        required=False, label="Flag a worsening from green to red"
    )
    overdue_enabled = forms.BooleanField(
        required=False, label="Flag a child in need not discussed within their interval"
    )
    repeated_enabled = forms.BooleanField(
        required=False, label="Flag long-running repeated concerns that never reach high risk"
    )
    repeated_count = forms.IntegerField(
        min_value=2, max_value=24, label="Number of amber discussions in a row"
    )
    repeated_months = forms.IntegerField(min_value=1, max_value=36, label="Over at least (months)")
    pre_review_working_days = forms.IntegerField(
        min_value=0,
        max_value=30,
        label="Window before each review meeting (working days)",
        help_text=(
            "A discussion prepares for a review meeting only when it is held in this many "
            "working days before the meeting, or on the day. An older one does not count."
        ),
    )
    escalation_days_supervisor = forms.IntegerField(
        min_value=0, max_value=30, label="Response due at supervisor level (working days)"
    )
    escalation_days_line_manager = forms.IntegerField(
        min_value=0, max_value=30, label="Response due at line manager level (working days)"
    )
    escalation_days_senior_manager = forms.IntegerField(
        min_value=0, max_value=30, label="Response due at senior manager level (working days)"
    )
    escalation_days_partnership = forms.IntegerField(
        min_value=0, max_value=60, label="Response due at partnership level (working days)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField) and not isinstance(
                field.widget, forms.HiddenInput
            ):
                field.widget.attrs["class"] += " govuk-input--width-3"

    SETTING_FIELDS = [
        "consecutive_enabled",
        "consecutive_count",
        "worsening_enabled",
        "overdue_enabled",
        "repeated_enabled",
        "repeated_count",
        "repeated_months",
        "pre_review_working_days",
        "escalation_days_supervisor",
        "escalation_days_line_manager",
        "escalation_days_senior_manager",
        "escalation_days_partnership",
    ]


class EscalationForm(SubmissionTokenMixin, GovukForm):
    subject = forms.ChoiceField(
        choices=EscalationSubject.choices, widget=forms.RadioSelect, label="What is it about?"
    )
    child = forms.ModelChoiceField(queryset=Child.objects.none(), required=False, label="Child")
    about_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agency whose response this is about",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What is the concern?")
    what_was_tried = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What has been tried already?"
    )
    level = forms.ChoiceField(
        choices=EscalationLevel.choices,
        label="Level",
        help_text="Start at the lowest level that has not already been tried.",
    )

    def __init__(self, *args: Any, children: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("child", children)
        self.limit_choices("about_agency", agencies)


class EscalationRespondForm(GovukForm):
    action = forms.ChoiceField(
        choices=[
            ("acknowledge", "Acknowledge and respond"),
            ("resolve", "Resolve with an outcome"),
        ],
        widget=forms.RadioSelect,
        label="What are you doing?",
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Response or outcome")


class EscalationEscalateForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why does this need the next level?"
    )


class UrgentRequestForm(SubmissionTokenMixin, GovukForm):
    supervisor = PersonChoiceField(queryset=Person.objects.none(), label="Supervisor")
    child = forms.ModelChoiceField(
        queryset=Child.objects.none(), required=False, label="Child (optional)"
    )
    concern = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What are you concerned about?"
    )

    def __init__(self, *args: Any, supervisors: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supervisor", supervisors)
        self.limit_choices("child", children)


class UrgentRespondForm(GovukForm):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="How did you respond?"
    )


class DisclosureForm(SubmissionTokenMixin, GovukForm):
    supervisee = PersonChoiceField(queryset=Person.objects.none(), label="Supervisee")
    category = forms.ChoiceField(
        choices=DisclosureCategory.choices,
        widget=forms.RadioSelect,
        label="Which exception applies?",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Why is this being disclosed?"
    )
    what_is_needed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What does the safeguarding lead need to know and do?",
        help_text="Share only what is needed. The lead does not see the supervision record.",
    )
    child = forms.ModelChoiceField(
        queryset=Child.objects.none(), required=False, label="Child (optional)"
    )

    def __init__(self, *args: Any, supervisees: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supervisee", supervisees)
        self.limit_choices("child", children)


class QualityConcernForm(SubmissionTokenMixin, GovukForm):
    supervisor = PersonChoiceField(queryset=Person.objects.none(), label="Supervisor")
    kind = forms.ChoiceField(choices=ConcernKind.choices, widget=forms.RadioSelect, label="Concern")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What is the concern?"
    )

    def __init__(self, *args: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supervisor", supervisors)


class OneToOneForm(VersionedFormMixin, GovukForm):
    met_on = forms.DateField(widget=DateInput(), label="Date of the one-to-one")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Outcome")
    resolved = forms.BooleanField(
        required=False,
        label="Resolved",
        help_text="If not, the concern goes to a three-way meeting with the line managers.",
    )


class ThreeWayForm(VersionedFormMixin, GovukForm):
    met_on = forms.DateField(widget=DateInput(), label="Date of the three-way meeting")
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Who attended"
    )
    agreed_outcomes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Agreed outcomes"
    )

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("attendees", attendees, label=lambda p: p.display_name)


class PlanContributionForm(VersionedFormMixin, GovukForm):
    version_optional = True  # blank until the agency first writes its contribution
    contribution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What your agency contributes to the plan",
        help_text="The plan only: what your agency will do, and by when. Other agencies "
        "involved with the child see it. Keep discussion notes in supervision.",
        error_messages={"required": "Enter what your agency contributes to the plan."},
    )
