"""The sign-in page's routing, the sign-in return refusing a wrong state, and the
administrators' single sign-on pages (issue 14 item 1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from oversight.core.models import AuditAction, AuditEvent
from oversight.core.testing import version_on_page
from oversight.signin.models import IdentityProvider, SignInDomain
from oversight.signin.tests.factories import IdentityProviderFactory


def test_without_single_sign_on_the_page_asks_only_for_a_password(client: Any, db: None) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "Work email address" not in page
    assert "Username or email address" in page


def test_an_email_with_no_provider_goes_to_the_password_form_with_the_email_kept(
    client: Any, cast: Any
) -> None:
    IdentityProviderFactory(agency=cast.agency, email_domains="testshire.gov.uk")
    response = client.post(reverse("signin:sso_start"), {"email": "amara@elsewhere.org"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your organisation does not use single sign-on with Oversight" in page
    assert 'value="amara@elsewhere.org"' in page


def test_a_bad_email_is_explained(client: Any, cast: Any) -> None:
    IdentityProviderFactory(agency=cast.agency)
    page = client.post(reverse("signin:sso_start"), {"email": "not an email"}).content.decode()
    assert "Enter an email address like name@agency.gov.uk." in page


def test_the_sign_in_page_lets_its_form_reach_the_providers(client: Any, cast: Any) -> None:
    IdentityProviderFactory(agency=cast.agency, issuer="https://login.testshire.example")
    response = client.get(reverse("login"))
    assert "Work email address" in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' https://login.testshire.example" in policy


def test_a_return_with_the_wrong_state_is_refused_and_audited(client: Any, cast: Any) -> None:
    provider: Any = IdentityProviderFactory(agency=cast.agency)
    session = client.session
    session["signin.flow"] = {
        "provider": provider.pk,
        "state": "expected",
        "nonce": "n",
        "code_verifier": "v",
        "next": "/",
    }
    session.save()
    response = client.get(reverse("signin:callback"), {"state": "forged", "code": "abc"})
    assert response.status_code == 400
    assert "Sign-in did not work" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.detail["reason"] == "the state does not match"
    assert "_auth_user_id" not in client.session


def test_a_return_with_no_sign_in_under_way_starts_again(client: Any, db: None) -> None:
    response = client.get(reverse("signin:callback"), {"state": "x", "code": "y"})
    assert response.status_code == 302 and response["Location"] == reverse("login")


def _provider_form(cast: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "agency": cast.agency.pk,
        "name": "Testshire Council",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "oversight-testshire",
        "auth_method": "private_key_jwt",
        "secret_env": "OIDC_TESTSHIRE_KEY",
        "key_id": "key-2026",
        "scopes": "openid email profile",
        "acr_values": "",
        "email_domains": "Testshire.gov.uk testshire.nhs.uk",
    }
    data.update(changes)
    return data


def test_an_administrator_sets_up_and_changes_an_agencys_provider(client: Any, cast: Any) -> None:
    client.force_login(cast.administrator)
    response = client.post(reverse("signin:provider_create"), _provider_form(cast))
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert sorted(SignInDomain.objects.values_list("domain", flat=True)) == [
        "testshire.gov.uk",
        "testshire.nhs.uk",
    ]
    listing = client.get(reverse("signin:provider_list")).content.decode()
    assert "OIDC_TESTSHIRE_KEY" in listing and "Signed with our private key" in listing

    edit = reverse("signin:provider_edit", kwargs={"pk": provider.pk})
    version = version_on_page(client.get(edit).content.decode())
    response = client.post(
        edit, _provider_form(cast, email_domains="testshire.gov.uk", version=version)
    )
    assert response.status_code == 302
    assert list(SignInDomain.objects.values_list("domain", flat=True)) == ["testshire.gov.uk"]
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(provider.pk))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"secret_env": "my secret value"}, "Enter the name of the environment variable"),
        ({"email_domains": "not a domain"}, "is not an email domain"),
        ({"scopes": "email"}, "The scopes must include openid."),
        ({"issuer": "http://login.example.org"}, "starting with https://"),
    ],
)
def test_a_provider_with_bad_settings_is_refused_with_what_to_fix(
    client: Any, cast: Any, changes: dict[str, Any], message: str
) -> None:
    client.force_login(cast.administrator)
    response = client.post(reverse("signin:provider_create"), _provider_form(cast, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert changes[next(iter(changes))] in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_domain_signs_in_through_one_provider_only(client: Any, cast: Any) -> None:
    IdentityProviderFactory(agency=cast.other_agency, email_domains="testshire.gov.uk")
    client.force_login(cast.administrator)
    response = client.post(reverse("signin:provider_create"), _provider_form(cast))
    assert "testshire.gov.uk already signs in through another provider." in (
        response.content.decode()
    )


def test_the_provider_list_costs_the_same_however_many_providers(
    client: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.administrator)
    IdentityProviderFactory(agency=cast.agency)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("signin:provider_list")).status_code == 200
    for _ in range(6):
        IdentityProviderFactory(agency=cast.other_agency)
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("signin:provider_list")).status_code == 200


def test_the_demo_gives_wide_roles_an_authenticator_app_with_the_printed_key(db: None) -> None:
    """And community health's supervisors, whom its lead's policy requires (decision 0019)."""
    import io

    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from oversight.signin.demo import DEMO_KEY_BASE32

    out = io.StringIO()
    call_command(
        "seed_demo", "--seed", "1", "--today", "2026-11-02", stdout=out, stderr=io.StringIO()
    )
    printed = out.getvalue()
    with_app = set(TOTPDevice.objects.values_list("user__username", flat=True))
    assert with_app == {"admin", "auditor", "lead.csc", "lead.health", "supervisor.health"}
    from oversight.signin.models import SecondFactorPolicy

    assert [p.roles for p in SecondFactorPolicy.objects.all()] == [["supervisor"]]
    for line in printed.splitlines():
        if any(f" {name} " in line for name in with_app):
            assert DEMO_KEY_BASE32 in line
        elif "practitioner.csc" in line:
            assert DEMO_KEY_BASE32 not in line
