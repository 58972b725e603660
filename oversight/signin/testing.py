"""Test helpers for the second factor (decision 0009).

``SecondFactorPassedBackend`` is listed first in the test settings' AUTHENTICATION_BACKENDS
and in ``SIGNIN_SECOND_FACTOR_PASSED_BACKENDS``: the test client's ``force_login`` signs in
through the first backend listed, so a test that is not about sign-in gets a session that has
passed the second factor, as a lead's or an auditor's real session would. It authenticates
nothing itself (no password or token goes through it), and production settings never list it.
A test about the second factor signs in through the password form, or calls
``force_login(person, backend=PASSWORD_BACKEND)``.

``second_factor_for(person)`` gives a test person an authenticator app whose codes the test
can compute (``code_for``); the browser sign-in helper uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.people.backends import UsernameOrEmailBackend

PASSWORD_BACKEND = "oversight.people.backends.UsernameOrEmailBackend"
TEST_AUTHENTICATOR = "Test authenticator"


class SecondFactorPassedBackend(UsernameOrEmailBackend):
    """Signs nobody in by itself; grants what the real backend grants (its permissions)."""

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None


def second_factor_for(person: Any) -> TOTPDevice:
    """A fresh authenticator app for ``person`` (an earlier one from this helper is replaced,
    so a code is never refused as already used)."""
    TOTPDevice.objects.filter(user=person, name=TEST_AUTHENTICATOR).delete()
    return TOTPDevice.objects.create(user=person, name=TEST_AUTHENTICATOR, confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def browser_second_step(username: str) -> Callable[[Any], None] | None:
    """For ``core.testing.sign_in``: a person who must use a second factor gets a fresh test
    authenticator app before the password is typed; after it, its current code is entered."""
    from oversight.people.models import Person

    from .selectors import second_factor_required

    person = Person.objects.filter(username__iexact=username).first()
    if person is None or not second_factor_required(person):
        return None
    device = second_factor_for(person)

    def enter_code(page: Any) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:  # the password's answer: the code page, or (a wrong password) the sign-in page
            page.wait_for_url(
                lambda url: "/account/sign-in/" not in url or "/second-factor/" in url,
                timeout=5_000,
            )
        except PlaywrightTimeout:
            return
        if "/account/sign-in/second-factor/" not in page.url:
            return
        page.get_by_label("Code", exact=True).fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()

    return enter_code
