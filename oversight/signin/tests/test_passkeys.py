"""Passkeys (WebAuthn) as a second factor (issue 14 item 2; decision 0019): a person adds a
passkey from their account page and, after their password, signs in with it. The browser is
Debian's Chromium with its virtual authenticator (the DevTools protocol's WebAuthn domain)
standing in for Windows Hello or a security key. A refused passkey counts towards the
account's lock like a wrong code."""

from __future__ import annotations

from typing import Any

import pytest
from axes.utils import reset
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from oversight.core.models import AuditEvent
from oversight.core.testing import TEST_PASSWORD, assert_accessible, sign_in

SIGN_IN = "/account/sign-in/"


@pytest.fixture(autouse=True)
def _fresh_axes(db: None) -> None:
    reset()


def _virtual_authenticator(page: Any) -> tuple[Any, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


@pytest.mark.browser
def test_a_person_adds_a_passkey_then_signs_in_with_it(
    transactional_db: None, live_server: Any, browser_page: Any, cast: Any
) -> None:
    page = browser_page
    base = live_server.url
    cdp, authenticator = _virtual_authenticator(page)
    sign_in(page, base, "practitioner")
    page.goto(f"{base}/account/security/")
    expect(page.get_by_text("You have not set up a passkey.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    assert_accessible(page)
    assert WebAuthnCredential.objects.filter(user=cast.practitioner, confirmed=True).count() == 1
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(held["credentials"]) == 1
    assert any(
        (e.detail or {}).get("second factor") == "passkey added" for e in AuditEvent.objects.all()
    )

    # Having a passkey, the practitioner is asked for a second step after the password.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "practitioner", second_factor=False)
    assert "/account/sign-in/second-factor/" in page.url
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.browser
def test_without_javascript_the_code_page_still_works_and_hides_the_passkey_button(
    transactional_db: None, live_server: Any, chromium: Any, cast: Any
) -> None:
    from oversight.signin.testing import code_for, second_factor_for

    WebAuthnCredential.objects.create(
        user=cast.agency_lead, name="Laptop", confirmed=True, public_key=b"", credential_id=b"x"
    )
    device = second_factor_for(cast.agency_lead)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "agency_lead", second_factor=False)
        assert "/account/sign-in/second-factor/" in page.url
        expect(page.get_by_role("button", name="Use a passkey")).to_be_hidden()
        page.get_by_label("Code", exact=True).fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(f"{live_server.url}/")
    finally:
        context.close()


def test_refused_passkey_answers_count_towards_the_lock(client: Any, cast: Any) -> None:
    client.post(SIGN_IN, {"username": "practitioner", "password": TEST_PASSWORD})
    url = reverse("signin:passkey_verify_complete")
    for _ in range(4):
        client.post(reverse("signin:passkey_verify_begin"))
        response = client.post(url, data={"id": "bad"}, content_type="application/json")
        assert response.status_code >= 400
        assert response.status_code != 429
    client.post(reverse("signin:passkey_verify_begin"))
    response = client.post(url, data={"id": "bad"}, content_type="application/json")
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The right password does not get through the lock either.
    response = client.post(SIGN_IN, {"username": "practitioner", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_the_passkey_script_is_our_own_static_file_under_the_csp(client: Any, cast: Any) -> None:
    client.force_login(cast.practitioner)
    response = client.get(reverse("signin:security"))
    page = response.content.decode()
    assert '<script type="module" src="/static/signin/passkeys.mjs"></script>' in page
    assert '<script id="passkey-config" type="application/json">' in page  # data, not code
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
