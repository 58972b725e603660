"""Invitations (issue 11 item 1): a person added by the administrator, one at a time or by
import, gets an email with a link to set their own password. The link works once and for
``INVITATION_DAYS`` (7) days.

The token is Django's password-reset token with its own salt and lifetime: it is made from
the person's password hash, last sign-in and email, so setting the password (or a resent
invitation, which gives the account a fresh unusable password) makes every earlier link
useless; nothing secret is stored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.template import loader
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

INVITATION_PURPOSE = "Invitation to set a password"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "oversight.people.invitations.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        """As Django's, with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.INVITATION_DAYS * 24 * 60 * 60


invitation_token_generator = InvitationTokenGenerator()


def invitation_link(person: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_token_generator.make_token(person)
    path = reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def invitation_email(person: Any, *, partnership_name: str) -> dict[str, str]:
    """Subject, plain-text and HTML bodies of a person's invitation."""
    context = {
        "person": person,
        "link": invitation_link(person),
        "days": settings.INVITATION_DAYS,
        "partnership_name": partnership_name or "your safeguarding partnership",
        "sign_in_url": f"{settings.SITE_URL}{reverse('login')}",
    }
    return {
        "subject": f"You have been invited to Oversight – {context['partnership_name']}",
        "body": loader.render_to_string("people/email/invitation.txt", context),
        "html_body": loader.render_to_string("people/email/invitation.html", context),
    }
