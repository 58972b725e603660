"""The second factor after a password (issue 14 item 2; decision 0009): administrators,
partnership auditors and agency leads must use one; other roles when their agency's policy
says so, or when they opted in; a wrong code counts towards the account's lock; recovery
codes work once each."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from axes.utils import reset
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from oversight.core.testing import TEST_PASSWORD, assert_accessible, sign_in
from oversight.people.models import Role
from oversight.signin.models import SecondFactorPolicy
from oversight.signin.selectors import second_factor_required
from oversight.signin.testing import PASSWORD_BACKEND, code_for, second_factor_for

SIGN_IN = "/account/sign-in/"


@pytest.fixture(autouse=True)
def _fresh_axes(db: None) -> None:
    reset()


def _code_from_key(setup_key: str) -> str:
    import base64

    key = base64.b32decode(setup_key.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


@pytest.mark.browser
def test_an_auditor_with_no_second_factor_is_made_to_set_one_up_then_signs_in_with_codes(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    sign_in(page, base, "auditor", second_factor=False)
    # Every page leads to setting up an authenticator app first.
    assert "/account/security/authenticator/" in page.url
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/assurance/")
    assert "/account/security/authenticator/" in page.url

    setup_key = page.locator("#setup-key").inner_text()
    page.get_by_label("Code from the app").fill(
        "000000" if _code_from_key(setup_key) != "000000" else "111111"
    )
    page.get_by_role("button", name="Set up app").click()
    expect(page.get_by_text("That code does not match").first).to_be_visible()
    page.get_by_label("Code from the app").fill(_code_from_key(setup_key))
    page.get_by_role("button", name="Set up app").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert_accessible(page)
    codes = page.locator(".ov-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my codes: continue").click()
    expect(page).to_have_url(f"{base}/assurance/")

    # Next sign-in: the password, then a code from the app (computed here from its key).
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "auditor", second_factor=False)
    assert "/account/sign-in/second-factor/" in page.url
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=cast.auditor)
    device.last_t = -1  # the setup code was this time step's; the app shows the same one
    device.save()
    page.get_by_label("Code", exact=True).fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/")

    # A recovery code works once.
    for attempt in ("first", "second"):
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base, "auditor", second_factor=False)
        page.get_by_label("Code", exact=True).fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        if attempt == "first":
            expect(page).to_have_url(f"{base}/")
        else:
            expect(page.get_by_text("That code is not right").first).to_be_visible()
            assert "/account/sign-in/second-factor/" in page.url
    # After a wrong code the codes are held back a moment (django-otp's throttling).
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):
        page.get_by_label("Code", exact=True).fill(codes[1])
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(f"{base}/")
    assert StaticDevice.objects.get(user=cast.auditor).token_set.count() == 8


@pytest.mark.browser
def test_the_browser_sign_in_helper_passes_a_leads_second_factor(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any
) -> None:
    sign_in(browser_page, live_server.url, "agency_lead")
    expect(browser_page).to_have_url(f"{live_server.url}/")
    assert browser_page.locator(".ov-signout__name").inner_text() == "Dev Patel"


def _password(client: Any, username: str) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": TEST_PASSWORD})


@pytest.mark.parametrize("name", ["administrator", "auditor", "agency_lead"])
def test_wide_roles_reach_nothing_before_their_second_factor(
    client: Any, cast: Any, name: str
) -> None:
    assert _password(client, name).status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin:authenticator_add"))
    second_factor_for(cast.by_name(name))
    response = client.get(reverse("people:person_list"))
    assert response["Location"].startswith(reverse("signin:second_factor"))


@pytest.mark.parametrize("name", ["practitioner", "supervisor", "line_manager"])
def test_other_roles_need_no_second_factor_unless_policy_or_choice(
    client: Any, cast: Any, name: str
) -> None:
    person = cast.by_name(name)
    assert not second_factor_required(person)
    _password(client, name)
    assert client.get(reverse("home")).status_code == 200


def test_an_agency_policy_requires_a_role_to_use_a_second_factor(client: Any, cast: Any) -> None:
    SecondFactorPolicy.objects.create(agency=cast.agency, roles=[Role.SUPERVISOR])
    assert second_factor_required(cast.supervisor)
    assert not second_factor_required(cast.other_supervisor)
    _password(client, "supervisor")
    assert client.get(reverse("home"))["Location"].startswith(reverse("signin:authenticator_add"))


def test_someone_who_opted_in_is_asked_for_their_code(client: Any, cast: Any) -> None:
    second_factor_for(cast.practitioner)
    _password(client, "practitioner")
    assert client.get(reverse("home"))["Location"].startswith(reverse("signin:second_factor"))


def test_wrong_codes_lock_the_account_like_wrong_passwords(client: Any, cast: Any) -> None:
    device = second_factor_for(cast.agency_lead)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    _password(client, "agency_lead")
    for _ in range(4):
        response = client.post(reverse("signin:second_factor"), {"code": wrong})
        assert "That code is not right" in response.content.decode()
    response = client.post(reverse("signin:second_factor"), {"code": wrong})
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The right password and the right code do not get through the lock.
    response = _password(client, "agency_lead")
    assert response.status_code == 429


def test_a_test_client_session_has_passed_the_second_factor_only_through_the_test_backend(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.auditor)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(cast.auditor, backend=PASSWORD_BACKEND)
    assert client.get(reverse("home")).status_code == 302


def test_the_security_page_lists_the_persons_second_factors(client: Any, cast: Any) -> None:
    second_factor_for(cast.practitioner)
    client.force_login(cast.practitioner)
    page = client.get(reverse("signin:security")).content.decode()
    assert "Test authenticator" in page
    response = client.post(reverse("signin:recovery_codes"))
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert (
        "You have 10 unused recovery codes."
        in client.get(reverse("signin:security")).content.decode()
    )
