from __future__ import annotations

from typing import Any

from django import forms

from oversight.core.forms import GovukForm

from .models import Delivery


class PreferencesForm(GovukForm):
    """One choice per kind; a kind that protects children shows no choice."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row["protected"]:
                continue
            self.fields[row["kind"]] = forms.ChoiceField(
                label=row["label"],
                choices=Delivery.choices,
                initial=row["delivery"],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you hear about: {row['label'].lower()}."},
            )

    def choices(self) -> dict[str, str]:
        return {kind: value for kind, value in self.cleaned_data.items()}
