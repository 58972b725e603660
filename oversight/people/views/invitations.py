"""Accepting an invitation (issue 11 item 1): the link in the email opens a page to set a
password; once set, the link no longer works and the person signs in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from ..forms import GovukSetPasswordForm
from ..invitations import invitation_token_generator


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Public, like Django's password reset pages: the token is the permission."""

    form_class = GovukSetPasswordForm
    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return response
