from __future__ import annotations

from typing import Any

from django import forms

from oversight.core.forms import GovukForm, VersionedFormMixin
from oversight.people.models import Agency

from .models import Scope, WebhookEvent


class IntegrationForm(GovukForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the agency.", "invalid_choice": "Choose the agency."},
    )
    name = forms.CharField(
        max_length=120,
        help_text="The system and the agency, for example “Mosaic — Northshire CSC”.",
        error_messages={"required": "Enter a name."},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what the system may do."},
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class ScopesForm(VersionedFormMixin, GovukForm):
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what the system may do."},
    )


class SwitchOffForm(GovukForm):
    reason = forms.CharField(
        label="Why is it being switched off?",
        max_length=300,
        error_messages={"required": "Enter why it is being switched off."},
    )


class SubscriptionForm(GovukForm):
    url = forms.URLField(
        label="Address to send to",
        max_length=500,
        assume_scheme="https",
        help_text="The case system's webhook address, starting https://",
        error_messages={
            "required": "Enter the address to send to.",
            "invalid": "Enter the address to send to, starting https://",
        },
    )
    events = forms.MultipleChoiceField(
        label="Which events?",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the events to send."},
    )
