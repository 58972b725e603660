"""Django forms rendered with GOV.UK Frontend markup.

``GovukFormRenderer`` lets ``templates/django/forms/`` override Django's own widget and field
templates, so a plain ``{{ form }}`` comes out as GOV.UK form groups with labels, hints and
error messages; ``templates/includes/error_summary.html`` links every error to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

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


class GovukFormMixin:
    """Give each widget its GOV.UK class and mark invalid fields for the error styles."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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
