"""Forms for the period picker, the evaluation tool (seed 004 Appendix I, verbatim), the
wellbeing pulse, workforce figures, agency settings and the record audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from oversight.core.forms import DateInput, GovukForm, VersionedFormMixin

from .models import CHECKLIST, EVALUATION_STATEMENTS, STATEMENT_FIELDS, Answer, Grade

SCALE_CHOICES = [("", "Prefer not to say")] + [(str(n), str(n)) for n in range(1, 6)]


class PeriodForm(GovukForm):
    """The reporting period: any period the data covers, however long (issue 17 item 2: the
    two-year cap went once past periods read only kept figures)."""

    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data


class ComplianceFilterForm(GovukForm):
    """Narrows the compliance list (sent with GET): a lead's agency can hold thousands."""

    team = forms.ChoiceField(label="Team", required=False)
    staff_group = forms.ChoiceField(label="Staff group", required=False)
    attention = forms.BooleanField(label="Only people who need attention", required=False)

    def __init__(self, *args: Any, teams: list[str], groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("team", [("", "All teams"), *((t, t) for t in teams)])
        self.set_choices("staff_group", [("", "All staff groups"), *((g, g) for g in groups)])


class EvaluationForm(GovukForm):
    """The ten statements answered Yes, No or Maybe, then "We need more of" and "less of"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, (name, statement) in enumerate(
            zip(STATEMENT_FIELDS, EVALUATION_STATEMENTS, strict=True), 1
        ):
            self.fields[name] = forms.ChoiceField(
                label=f"{number}. {statement}",
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose Yes, No or Maybe for statement {number}"},
            )
        self.fields["more_of"] = forms.CharField(
            label="We need more of:",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
        )
        self.fields["less_of"] = forms.CharField(
            label="We need less of:",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
        )


class PulseForm(GovukForm):
    stress = forms.TypedChoiceField(
        label="How stressed has the emotional impact of your work made you this quarter?",
        help_text="1 not at all, 5 very stressed.",
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    resilience = forms.TypedChoiceField(
        label="How resilient do you feel in your work?",
        help_text="1 not at all, 5 very resilient.",
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reflection = forms.TypedChoiceField(
        label="How able are you to reflect on and evaluate your work with families?",
        help_text="1 not at all, 5 very able.",
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class EvaluationSettingsForm(GovukForm):
    interval_months = forms.IntegerField(
        label="Months between evaluation rounds",
        help_text="Supervisees are asked to evaluate their supervision once each round. "
        "The default is every six months.",
        min_value=1,
        max_value=24,
        error_messages={
            "required": "Enter a number of months",
            "min_value": "Enter a number of months from 1 to 24",
            "max_value": "Enter a number of months from 1 to 24",
            "invalid": "Enter a number of months from 1 to 24",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


def quarter_choices(today: dt.date) -> list[tuple[str, str]]:
    from .selectors import quarters_back

    return [(q.isoformat(), f"{q:%B %Y} quarter") for q in reversed(quarters_back(today, 8))]


class WorkforceForm(VersionedFormMixin, GovukForm):
    # Blank for a quarter with no figures yet; the service refuses a blank one once saved.
    version_optional = True
    quarter = forms.ChoiceField(label="Quarter")
    funded_posts = forms.IntegerField(
        label="Funded posts", min_value=0, error_messages={"required": "Enter the funded posts"}
    )
    vacant_posts = forms.IntegerField(
        label="Vacant posts at the end of the quarter",
        min_value=0,
        error_messages={"required": "Enter the vacant posts"},
    )
    sickness_days_lost = forms.DecimalField(
        label="Working days lost to sickness",
        min_value=0,
        decimal_places=1,
        error_messages={"required": "Enter the working days lost to sickness"},
    )
    work_related_sickness_days_lost = forms.DecimalField(
        label="Of those, days lost to work-related sickness",
        help_text="For example stress caused by the emotional impact of the work.",
        min_value=0,
        decimal_places=1,
        initial=0,
        error_messages={"required": "Enter the days lost to work-related sickness, or 0"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("quarter", quarter_choices(today))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        funded, vacant = data.get("funded_posts"), data.get("vacant_posts")
        if funded is not None and vacant is not None and vacant > funded:
            self.add_error("vacant_posts", "Vacant posts cannot be more than funded posts")
        days, work = data.get("sickness_days_lost"), data.get("work_related_sickness_days_lost")
        if days is not None and work is not None and work > days:
            self.add_error(
                "work_related_sickness_days_lost",
                "Work-related days cannot be more than all days lost to sickness",
            )
        return data


class AuditDrawForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    period_start = forms.DateField(label="Records from", widget=DateInput())
    period_end = forms.DateField(label="Records to", widget=DateInput())
    per_stratum = forms.IntegerField(
        label="Records to sample from each risk group",
        help_text="High, medium and escalating risk.",
        initial=5,
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return data


class MultiAgencyAuditDrawForm(AuditDrawForm):
    """Issue 13 item 5: a sample of children known to two or more agencies."""

    period_start = forms.DateField(label="Children rated from", widget=DateInput())
    period_end = forms.DateField(label="Children rated to", widget=DateInput())
    per_stratum = forms.IntegerField(
        label="Children to sample from each risk group",
        help_text="High, medium and escalating risk. Each child's records in every agency "
        "involved are included.",
        initial=5,
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class GradeForm(VersionedFormMixin, GovukForm):
    def __init__(
        self,
        *args: Any,
        checklist: tuple[tuple[str, str], ...] = CHECKLIST,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, label in checklist:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=Grade.choices,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Grade “{label}”"},
            )
        self.fields["notes"] = forms.CharField(
            label="Findings for this record",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )


class AuditedChildGradeForm(VersionedFormMixin, GovukForm):
    """Grades for each involved agency's part and for the multi-agency working around one
    sampled child (issue 13 item 5)."""

    def __init__(self, *args: Any, parts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            name = part.agency.name
            self.fields[f"part_{part.pk}"] = forms.ChoiceField(
                label=f"The part {name} played",
                choices=Grade.choices,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Grade the part {name} played"},
            )
            self.fields[f"part_{part.pk}_notes"] = forms.CharField(
                label=f"Findings on the part {name} played",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["working"] = forms.ChoiceField(
            label="Multi-agency working",
            help_text="Did the agencies share information, challenge each other and work to "
            "one plan for the child?",
            choices=Grade.choices,
            widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            error_messages={"required": "Grade the multi-agency working"},
        )
        self.fields["notes"] = forms.CharField(
            label="Findings on the multi-agency working",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )


class AuditCompleteForm(VersionedFormMixin, GovukForm):
    findings = forms.CharField(
        label="Findings",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the audit's findings"},
    )
    actions_for_agency = forms.CharField(
        label="Actions for the agency",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class MonthEndRecomputeForm(GovukForm):
    """Choose a closed month end of the trend and say why its figures are recomputed (issue 9
    item 8: a figure already shown changes only deliberately, with a reason)."""

    month_end = forms.TypedChoiceField(
        label="Month end",
        coerce=dt.date.fromisoformat,
        error_messages={"required": "Choose the month end to recompute"},
    )
    reason = forms.CharField(
        label="Why are these figures being recomputed?",
        help_text="For example: sessions for that month were recorded late. This is kept in "
        "the audit log with the figures before and after.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the month-end figures are being recomputed"},
    )

    def __init__(self, *args: Any, month_ends: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["month_end"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a month end")] + [
            (day.isoformat(), f"{day:%-d %B %Y}") for day in reversed(month_ends)
        ]
