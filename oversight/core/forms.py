"""Django forms rendered with GOV.UK Frontend markup.

``GovukFormRenderer`` lets ``templates/django/forms/`` override Django's own widget and field
templates, so a plain ``{{ form }}`` comes out as GOV.UK form groups with labels, hints and
error messages; ``templates/includes/error_summary.html`` links every error to its field.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

_WIDGET_CLASSES: dict[str, str] = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "django/forms/govuk_form.html"
    field_template_name = "django/forms/govuk_field.html"


def _years_from(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    """The dates a kind of date field can plausibly hold (issue 10 item 7): a date outside is
    a slip of the keyboard (year 0001 or 9999), refused in our words before it reaches a
    record, a calendar or a figure."""

    earliest: Callable[[], dt.date]
    latest: Callable[[], dt.date]
    too_early: str
    too_late: str

    def __call__(self, value: dt.date | None) -> None:
        if value is None:
            return
        if value < self.earliest():
            raise ValidationError(self.too_early, code="too_early")
        if value > self.latest():
            raise ValidationError(self.too_late, code="too_late")


FIRST_PLAUSIBLE_DATE = dt.date(1900, 1, 1)
LAST_PLAUSIBLE_DATE = dt.date(2100, 12, 31)
SESSION_YEARS_BACK = 5
SESSION_YEARS_AHEAD = 2

ANY_DATE = DateRange(
    earliest=lambda: FIRST_PLAUSIBLE_DATE,
    latest=lambda: LAST_PLAUSIBLE_DATE,
    too_early="Enter a date on or after 1 January 1900.",
    too_late="Enter a date on or before 31 December 2100.",
)
BIRTH_DATE = DateRange(
    earliest=lambda: FIRST_PLAUSIBLE_DATE,
    latest=timezone.localdate,
    too_early="Enter a date of birth on or after 1 January 1900.",
    too_late="Enter a date of birth that is today or in the past.",
)
SESSION_DATE = DateRange(
    earliest=lambda: _years_from(timezone.localdate(), -SESSION_YEARS_BACK),
    latest=lambda: _years_from(timezone.localdate(), SESSION_YEARS_AHEAD),
    too_early=f"Enter a session date no more than {SESSION_YEARS_BACK} years ago.",
    too_late=f"Enter a session date no more than {SESSION_YEARS_AHEAD} years ahead.",
)


class PlausibleDateField(forms.DateField):
    """A date field held to a plausible range: ``BIRTH_DATE``, ``SESSION_DATE`` or, by
    default, ``ANY_DATE``. Every other date field in a GOV.UK form gets ``ANY_DATE`` from
    ``GovukFormMixin``, so no date field is left open to year 0001."""

    def __init__(self, *, dates: DateRange = ANY_DATE, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)
        self.validators.append(dates)


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class SubmissionTokenMixin(forms.Form):
    """A one-time token issued with a creating form (issue 10 item 6). It survives a form
    shown again with errors, so the post that finally succeeds is the one the token names;
    the service claims it with ``core.services.submission_claim``."""

    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=new_submission_token
    )


class GovukFormMixin:
    """Give each widget its GOV.UK class and mark invalid fields for the error styles; hold
    every date field to a plausible range (``ANY_DATE`` unless it names its own)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not any(
                isinstance(v, DateRange) for v in field.validators
            ):
                field.validators.append(ANY_DATE)
            widget = field.widget
            kind = type(widget).__name__.lower().removesuffix("input").removesuffix("widget")
            css = _WIDGET_CLASSES.get(kind, "govuk-input")
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            if name not in self.fields:
                continue
            field = self.fields[name]
            widget = field.widget
            kind = type(widget).__name__.lower()
            suffix = {
                "textarea": "govuk-textarea--error",
                "select": "govuk-select--error",
            }.get(kind, "govuk-input--error")
            if "checkbox" not in kind and "radio" not in kind and "file" not in kind:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {suffix}".strip()
            auto_id = self[name].auto_id  # type: ignore[index]
            described = [f"{auto_id}_helptext"] if field.help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described, f"{auto_id}_error"])

    def error_summary(self) -> list[tuple[str, str]]:
        """(link, message) pairs for the GOV.UK error summary, first field first."""
        items: list[tuple[str, str]] = []
        for name, errors in (getattr(self, "_errors", None) or {}).items():
            if name in self.fields:
                bound = self[name]  # type: ignore[index]
                widget = self.fields[name].widget
                multi = isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
                href = f"#{bound.auto_id}_0" if multi else f"#{bound.auto_id}"
            else:
                href = "#main-content"
            items.extend((href, str(error)) for error in errors)
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


class VersionedFormMixin(forms.Form):
    """Carries the version the editor started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ArchiveForm(GovukForm):
    reason = forms.CharField(
        label="Why is this being archived?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The record stays in the audit trail; it leaves lists and searches.",
    )
