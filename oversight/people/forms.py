from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from oversight.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.CharField(
        label="Username or email address",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct username or email address and password. "
        "Your account is locked for a while after several failed attempts.",
        "inactive": "This account has been closed. Ask your administrator.",
    }


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    pass


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


class PeopleSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search by name, username or email", required=False, max_length=100)
