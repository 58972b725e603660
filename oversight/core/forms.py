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
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
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


_DJANGO_DEFAULTS: dict[str, set[str]] = {}


def _django_default(field: forms.Field, code: str) -> bool:
    """Whether the field's message for ``code`` is still Django's own (a form that wrote its
    own words keeps them)."""
    if code not in _DJANGO_DEFAULTS:
        found = set()
        for kind in (
            forms.Field,
            forms.CharField,
            forms.IntegerField,
            forms.DecimalField,
            forms.FloatField,
            forms.DateField,
            forms.DateTimeField,
            forms.TimeField,
            forms.ChoiceField,
            forms.MultipleChoiceField,
            forms.ModelChoiceField,
            forms.ModelMultipleChoiceField,
            forms.EmailField,
            forms.FileField,
            forms.BooleanField,
        ):
            message = kind.default_error_messages.get(code)
            if message is not None:
                found.add(str(message))
        _DJANGO_DEFAULTS[code] = found
    message = field.error_messages.get(code)
    return message is None or str(message) in _DJANGO_DEFAULTS[code]


def our_error_messages(field: forms.Field, label: str) -> dict[str, str]:
    """Error messages in our own words, naming the field (issue 12 item 4: "errors are written
    in our own words, never Django's defaults"; the GOV.UK pattern: say what to do)."""
    what = label[:1].lower() + label[1:] if label[:2] != label[:2].upper() else label
    choosing = isinstance(
        field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField
    ) or isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.Select)
    messages = {
        "required": f"Select {what}" if choosing else f"Enter {what}",
        "invalid_choice": f"Select {what} from the choices given",
        "invalid_pk_value": f"Select {what} from the choices given",
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_length": f"{label} must be at least %(limit_value)d characters",
        "max_digits": f"{label} must have no more than %(max)s digits",
        "max_decimal_places": f"{label} must have no more than %(max)s decimal places",
    }
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{label} must be a number"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{label} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{label} must be a real date"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"{label} must be a real time, like 14:30"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.org"
    return {code: text for code, text in messages.items() if _django_default(field, code)}


def _read_choices(rows: list[Any]) -> type[forms.models.ModelChoiceIterator]:
    """A model choice field's choices from ``rows`` already read (``limit_choices``)."""

    class ReadChoices(forms.models.ModelChoiceIterator):
        def __iter__(self) -> Any:
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            for row in rows:
                yield self.choice(row)

        def __len__(self) -> int:
            return len(rows) + (self.field.empty_label is not None)

        def __bool__(self) -> bool:
            return self.field.empty_label is not None or bool(rows)

    return ReadChoices


class GovukFormMixin:
    """Give each widget its GOV.UK class and mark invalid fields for the error styles; hold
    every date field to a plausible range (``ANY_DATE`` unless it names its own); write every
    error Django would word in our own words, naming the field."""

    fields: dict[str, forms.Field]
    # Set by ``recover_stale_edit``: the saved values next to the typed ones, for the page.
    stale_changes: StaleChanges | None = None

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
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, DateInput)):
                continue
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def limit_choices(
        self,
        name: str,
        queryset: Any,
        *,
        label: Callable[[Any], str] | None = None,
        read: list[Any] | None = None,
    ) -> None:
        """Offer in the model choice field ``name`` only ``queryset`` (the people, children or
        agencies this person may pick), each shown by ``label`` when given. ``read``: the rows
        of ``queryset`` in its order, when the page has them already; the choices are shown
        from them, not read again (issue 17 item 1), and a choice made is still checked
        against ``queryset``."""
        field = self.fields[name]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(f"{name} is not a model choice field")
        if read is not None:
            field.iterator = _read_choices(read)
        field.queryset = queryset
        if label is not None:
            field.label_from_instance = label  # type: ignore[assignment]

    def set_choices(self, name: str, choices: Any) -> None:
        """Give the choice field ``name`` choices known only when the form is made."""
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} is not a choice field")
        field.choices = choices

    def full_clean(self) -> None:
        # Worded here, not in __init__: a form may name its fields after building them.
        for name, field in self.fields.items():
            label = str(field.label or pretty_name(name))
            field.error_messages = {**field.error_messages, **our_error_messages(field, label)}
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
            if name in self.fields and not self.fields[name].widget.is_hidden:
                bound = self[name]  # type: ignore[index]
                widget = self.fields[name].widget
                multi = isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
                href = f"#{bound.auto_id}_0" if multi else f"#{bound.auto_id}"
                if isinstance(widget, DateInput):
                    href = f"#{bound.auto_id}_day"
            else:
                href = "#main-content"
            items.extend((href, str(error)) for error in errors)
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes under the field's label as a
    legend (issue 12 item 4). A browser's own date box let "03/01" typed day-first become 1
    March; three labelled boxes cannot be read the wrong way round. The boxes come back as one
    ISO date for the field to check, so a part that is missing or not a real date is refused
    by the field in our words ("Date of the session must be a real date"); a form sent with
    the date in one ISO value (older pages, tests, scripts) is read as it is."""

    template_name = "django/forms/widgets/govuk_date.html"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input "
                    + ("govuk-input--width-4" if part == "year" else "govuk-input--width-2"),
                    "inputmode": "numeric",
                }
            )
            for part in self.PARTS
        }
        super().__init__(widgets=boxes, attrs=attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            year, _, rest = value.partition("-")
            month, _, day = rest.partition("-")
            return [day or None, month or None, year or None]  # as typed, real date or not
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = [(data.get(f"{name}_{part}") or "").strip() for part in self.PARTS]
        if not any(f"{name}_{part}" in data for part in self.PARTS):
            return data.get(name)
        if not any(parts):
            return ""
        day, month, year = parts
        if not all(p.isdigit() for p in parts) or len(year) != 4:
            return "/".join(parts)  # not a date: the field says so, naming itself
        return f"{year}-{int(month)}-{int(day)}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{part}" in data for part in self.PARTS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if isinstance(value, str) and "/" in value:
            # What was typed, kept as typed, when it was not a date.
            value = [*value.split("/"), "", ""][:3]
        # The GOV.UK classes and the hint and error ids belong to the group, not the boxes.
        own = {**self.attrs, **(attrs or {})}
        error = "govuk-input--error" in own.get("class", "")
        saved, self.attrs = self.attrs, {}
        try:
            plain = {
                k: v for k, v in (attrs or {}).items() if k not in {"class", "aria-describedby"}
            }
            context = super().get_context(name, value, plain)
        finally:
            self.attrs = saved
        widget_id = plain.get("id", "")
        for part, sub in zip(self.PARTS, context["widget"]["subwidgets"], strict=True):
            sub["label"] = part.capitalize()
            sub["attrs"]["id"] = f"{widget_id}_{part}" if widget_id else ""
            if error:
                sub["attrs"]["class"] += " govuk-input--error"
        context["widget"]["group_id"] = widget_id
        return context


class VersionedFormMixin(forms.Form):
    """Carries the version the editor started from, so a stale save can be refused and an
    edit that leaves the version out is refused rather than overwriting (issue 10 item 8).

    A model form adding a record has no version field; another form that creates removes it
    (``del form.fields["version"]``). A form that
    saves "this quarter's figures" whether or not they exist yet sets ``version_optional``:
    a blank version then means "there were none", and the service refuses it when there are.
    """

    version_optional = False
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form was sent without saying which version of the record it "
            "changes, so nothing was saved. Open the page again and make your changes there.",
            "invalid": "This form's version is not a number, so nothing was saved. Open the "
            "page again and make your changes there.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is None:
            del self.fields["version"]  # a model form adding a record
        elif "version" in self.fields:
            self.fields["version"].required = not self.version_optional


def apply_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@dataclass(frozen=True)
class StaleChange:
    label: str
    saved: str
    typed: str


@dataclass(frozen=True)
class StaleChanges:
    """Who saved the record while the person was editing, and where their values differ."""

    by: str
    at: dt.datetime | None
    rows: tuple[StaleChange, ...]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(sorted(str(item) for item in value)) or "None"
    return str(value)


def _saved_value(current: models.Model, name: str) -> tuple[bool, Any]:
    try:
        model_field = current._meta.get_field(name)
    except FieldDoesNotExist:
        return (True, getattr(current, name)) if hasattr(current, name) else (False, None)
    if model_field.many_to_many:
        return True, list(getattr(current, name).all())
    if getattr(model_field, "choices", None):
        return True, getattr(current, f"get_{name}_display")()
    return True, getattr(current, name, None)


def _typed_value(form: forms.BaseForm, name: str, field: forms.Field) -> Any:
    typed = getattr(form, "cleaned_data", {}).get(name)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices: Any = field.choices
        labels = {str(key): label for key, label in choices if not isinstance(label, list)}
        if isinstance(typed, (list, tuple)):
            return [labels.get(str(item), item) for item in typed]
        if typed not in (None, ""):
            return labels.get(str(typed), typed)
    return typed


def stale_changes(form: forms.BaseForm, current: models.Model) -> StaleChanges:
    """Field by field, what is saved now next to what the person typed, where they differ."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        found, saved = _saved_value(current, name)
        if not found:
            continue
        saved_text, typed_text = _shown(saved), _shown(_typed_value(form, name, field))
        if saved_text != typed_text:
            label = str(field.label or name.replace("_", " ").capitalize())
            rows.append(StaleChange(label=label, saved=saved_text, typed=typed_text))
    by = getattr(current, "modified_by", None)
    return StaleChanges(
        by=str(by) if by is not None else "someone else",
        at=getattr(current, "modified_at", None),
        rows=tuple(rows),
    )


def recover_stale_edit(
    form: forms.BaseForm, error: ValidationError, current: models.Model | None
) -> None:
    """After a refused stale edit: keep what was typed, show the other person's saved values
    next to it, and carry the current version so a deliberate second save goes through."""
    apply_service_error(form, error)
    data = cast(Any, form.data).copy()
    data[form.add_prefix("version")] = "" if current is None else str(cast(Any, current).version)
    form.data = data
    if current is not None:
        cast(Any, form).stale_changes = stale_changes(form, current)


class ArchiveForm(GovukForm):
    reason = forms.CharField(
        label="Why is this being archived?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The record stays in the audit trail; it leaves lists and searches.",
    )
