"""Reads for sign-in: which provider an email goes to, who must use a second factor, and
what second factors a person has."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from oversight.people.models import Agency
from oversight.people.selectors import access_profile

from .models import ALWAYS_REQUIRED_ROLES, IdentityProvider, SecondFactorPolicy, SignInDomain


def email_domain(email: str) -> str:
    return email.strip().rpartition("@")[2].lower()


def provider_for_email(email: str) -> IdentityProvider | None:
    domain = email_domain(email)
    if not domain:
        return None
    found = (
        SignInDomain.objects.filter(domain=domain, provider__archived_at__isnull=True)
        .select_related("provider")
        .first()
    )
    return found.provider if found else None


def providers_live() -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.live().select_related("agency")


def second_factor_required(person: Any) -> bool:
    """Administrators, partnership auditors and agency leads always; other roles where an
    agency the person works in requires them (its policy); anyone who has set up a second
    factor (opted in)."""
    profile = access_profile(person)
    if any(role in ALWAYS_REQUIRED_ROLES for role, _ in profile.roles):
        return True
    held = {(role, agency) for role, agency in profile.roles if agency is not None}
    if held:
        for policy in SecondFactorPolicy.objects.filter(agency_id__in={a for _, a in held}):
            if any((role, policy.agency_id) in held for role in policy.roles):
                return True
    return has_second_factor(person)


def has_second_factor(person: Any) -> bool:
    return any(True for _ in devices_for_user(person, confirmed=True))


def authenticator_apps(person: Any) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("name")


def policy_agencies(person: Any) -> QuerySet[Agency]:
    """The agencies whose second-factor policy the person may set: every agency for an
    administrator, their own for an agency's lead."""
    profile = access_profile(person)
    agencies = Agency.objects.live().order_by("name")
    if profile.is_administrator:
        return agencies
    return agencies.filter(pk__in=profile.led_agency_ids)


def policy_of(agency: Agency) -> SecondFactorPolicy | None:
    return SecondFactorPolicy.objects.filter(agency=agency).first()


def passkeys(person: Any) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=person, confirmed=True).order_by("name", "pk")


def recovery_codes_left(person: Any) -> int:
    device = StaticDevice.objects.filter(user=person, confirmed=True).first()
    return device.token_set.count() if device else 0
