from __future__ import annotations

from django import forms

from oversight.core.forms import GovukForm
from oversight.people.forms import VersionedForm

from .models import POLICY_ROLES, IdentityProvider


class WorkEmailForm(GovukForm):
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address.",
            "invalid": "Enter an email address like name@agency.gov.uk.",
        },
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )


class AuthenticatorForm(GovukForm):
    name = forms.CharField(
        label="Name for this app",
        help_text="So you can tell your apps apart, for example “Work phone”.",
        max_length=64,
        required=False,
    )
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={"required": "Enter the 6-digit code your app shows."},
    )


class IdentityProviderForm(VersionedForm):
    issuer = forms.URLField(
        label="Issuer",
        assume_scheme="https",
        max_length=500,
        help_text="The provider's address, for example https://login.microsoftonline.com/…/v2.0.",
        error_messages={"required": "Enter the issuer.", "invalid": "Enter the issuer's address."},
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "agency",
            "name",
            "issuer",
            "client_id",
            "auth_method",
            "secret_env",
            "key_id",
            "scopes",
            "acr_values",
            "email_domains",
        ]
        labels = {
            "issuer": "Issuer",
            "client_id": "Client ID",
            "auth_method": "How Oversight proves who it is",
            "secret_env": "Environment variable with the secret or private key",
            "key_id": "Key ID of the private key (private_key_jwt only)",
            "scopes": "Scopes",
            "acr_values": "Authentication levels asked for (ACR values)",
            "email_domains": "Email domains",
        }
        help_texts = {
            "issuer": "The provider's address, for example https://login.microsoftonline.com/…/v2.0.",
            "secret_env": "The secret is never stored here: set it in this variable on the "
            "server. For private_key_jwt the variable holds the PEM key or the path to it.",
            "acr_values": "For example NHS CIS2's AAL2 or AAL3 value. Leave blank if none.",
            "email_domains": "Separated by spaces. People with these addresses sign in here.",
        }
        widgets = {"auth_method": forms.RadioSelect}


class SecondFactorPolicyForm(GovukForm):
    roles = forms.MultipleChoiceField(
        label="Which other roles in this agency must use a second factor?",
        help_text="Administrators, partnership auditors and agency leads always must. "
        "Anyone else may choose to set one up from their account page.",
        choices=[(role.value, role.label) for role in POLICY_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
