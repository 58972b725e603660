"""Writes for sign-in (issue 14 items 1 and 2; decision 0009): administrators set up each
agency's identity provider; a verified identity is linked to a person who already exists
(no self-registration); people set up authenticator apps and recovery codes; a second factor
is checked under the same lock as passwords (django-axes, counted per account)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_create,
    tracked_edit,
)
from oversight.people.models import Agency, Person

from .models import (
    POLICY_ROLES,
    ClientAuthMethod,
    IdentityProvider,
    LinkedIdentity,
    ProviderSession,
    SecondFactorPolicy,
    SignInDomain,
)
from .oidc import Verified

PROVIDER_FIELDS = (
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
)
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
RECOVERY_CODE_COUNT = 10


def _clean_provider(provider: IdentityProvider) -> None:
    errors: dict[str, str] = {}
    provider.issuer = provider.issuer.strip().rstrip("/")
    if not provider.issuer.startswith("https://") and not provider.issuer.startswith(
        ("http://127.0.0.1", "http://localhost")
    ):
        errors["issuer"] = "Enter the issuer's address, starting with https://."
    domains = sorted({d.lower() for d in provider.domains})
    bad = [d for d in domains if not DOMAIN.match(d)]
    if not domains:
        errors["email_domains"] = "Enter at least one email domain, like northshire.gov.uk."
    elif bad:
        errors["email_domains"] = f"{', '.join(bad)} is not an email domain, like nhs.net."
    else:
        taken = (
            SignInDomain.objects.filter(domain__in=domains)
            .exclude(provider=provider.pk)
            .values_list("domain", flat=True)
        )
        if taken:
            errors["email_domains"] = (
                f"{', '.join(sorted(taken))} already signs in through another provider."
            )
    provider.email_domains = " ".join(domains)
    if not ENV_NAME.match(provider.secret_env or ""):
        errors["secret_env"] = (
            "Enter the name of the environment variable, in capitals, like OIDC_CSC_SECRET."
        )
    scopes = provider.scopes.split()
    if "openid" not in scopes:
        errors["scopes"] = "The scopes must include openid."
    if provider.auth_method not in ClientAuthMethod.values:
        errors["auth_method"] = "Choose how Oversight proves who it is to the provider."
    clash = IdentityProvider.objects.live().filter(
        issuer=provider.issuer, client_id=provider.client_id
    )
    if clash.exclude(pk=provider.pk).exists():
        errors["client_id"] = "This issuer and client ID are already set up."
    if errors:
        raise ValidationError(errors)


def _store_domains(provider: IdentityProvider) -> None:
    SignInDomain.objects.filter(provider=provider).delete()
    SignInDomain.objects.bulk_create(
        SignInDomain(domain=d, provider=provider) for d in provider.domains
    )


@transaction.atomic
def identity_provider_create(
    *, actor: Person, agency: Agency, origin: RequestOrigin | None = None, **fields: Any
) -> IdentityProvider:
    provider = IdentityProvider(agency=agency, **fields)
    _clean_provider(provider)
    tracked_create(provider, actor=actor)
    _store_domains(provider)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=provider, origin=origin)
    return provider


@transaction.atomic
def identity_provider_update(
    *,
    actor: Person,
    provider: IdentityProvider,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> IdentityProvider:
    provider = IdentityProvider.objects.select_for_update().get(pk=provider.pk)
    changed = []
    for name, value in changes.items():
        if name not in PROVIDER_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(provider, name) != value:
            changed.append(name)
        setattr(provider, name, value)
    _clean_provider(provider)
    tracked_edit(provider, actor=actor, expected_version=expected_version)
    _store_domains(provider)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=provider,
        origin=origin,
        detail={"fields": sorted(changed)},
    )
    return provider


class IdentityRefused(Exception):
    """No person in Oversight for this identity; the reason is for the audit log."""


def identity_sign_in(
    *, provider: IdentityProvider, verified: Verified, origin: RequestOrigin | None = None
) -> Person:
    """The person a validated identity signs in as: by the provider's subject once linked;
    the first time, the active person whose email the provider has verified, who must work
    in the provider's agency. Anyone else is refused and the refusal audited."""
    person, reason = _identity_link(provider=provider, verified=verified)
    if person is None:
        audit_event_record(
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            origin=origin,
            detail={
                "method": "single sign-on",
                "provider": provider.name,
                "subject": verified.subject[:100],
                "email": verified.email[:150],
                "reason": reason,
            },
        )
        raise IdentityRefused(reason)
    return person


@transaction.atomic
def _identity_link(*, provider: IdentityProvider, verified: Verified) -> tuple[Person | None, str]:
    linked = (
        LinkedIdentity.objects.select_for_update()
        .select_related("person")
        .filter(provider=provider, subject=verified.subject, archived_at__isnull=True)
        .first()
    )
    reason = ""
    person: Person | None = None
    if linked is not None:
        person = linked.person
    elif not verified.email or not verified.email_verified:
        reason = "the provider did not give a verified email address"
    else:
        person = Person.objects.filter(email__iexact=verified.email).first()
        if person is None:
            reason = "no person in Oversight has this email address"
        elif not person.memberships.current().filter(agency=provider.agency_id).exists():
            reason = "the person holds no post in the provider's agency"
            person = None
        elif LinkedIdentity.objects.filter(provider=provider, person=person).exists():
            reason = "the person is linked to another identity at this provider"
            person = None
        else:
            tracked_create(
                LinkedIdentity(provider=provider, subject=verified.subject, person=person),
                actor=None,
            )
    if person is not None and not person.is_active:
        reason, person = "the account is closed", None
    if person is None:
        transaction.set_rollback(True)
    return person, reason


def identity_refusal_record(
    *, provider: IdentityProvider | None, reason: str, origin: RequestOrigin | None = None
) -> None:
    """A sign-in through a provider that failed before anyone was identified (a bad token,
    a wrong state), for the audit log."""
    audit_event_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        origin=origin,
        detail={
            "method": "single sign-on",
            "provider": provider.name if provider else "",
            "reason": reason[:300],
        },
    )


def provider_session_record(
    *, provider: IdentityProvider, verified: Verified, session_key: str
) -> ProviderSession:
    return ProviderSession.objects.create(
        provider=provider,
        subject=verified.subject,
        sid=verified.sid,
        session_key=session_key,
        started_at=timezone.now(),
    )


@transaction.atomic
def provider_sessions_end(*, provider: IdentityProvider, sid: str, subject: str) -> int:
    """Back-channel logout: end our sessions for the provider's session (or, without a
    session id, every session of the subject)."""
    from django.contrib.sessions.models import Session

    found = ProviderSession.objects.select_for_update().filter(provider=provider)
    found = found.filter(sid=sid) if sid else found.filter(subject=subject)
    keys = list(found.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    found.delete()
    return len(keys)


# --- Second factors ----------------------------------------------------------------------


def second_factor_failed(*, request: HttpRequest, person: Person) -> None:
    """A wrong code counts as a failed sign-in of the account (django-axes listens)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": person.username}, request=request
    )


def second_factor_verify(*, request: HttpRequest, person: Person, code: str) -> Any | None:
    """The device that accepts the code, an authenticator app's or a recovery code (each
    works once), or None after counting the failure against the account's lock."""
    code = re.sub(r"\s+", "", code or "")
    device: Any = None
    with transaction.atomic():
        if code.isdigit():
            for candidate in TOTPDevice.objects.select_for_update().filter(
                user=person, confirmed=True
            ):
                if candidate.verify_token(code):
                    device = candidate
                    break
        else:
            for candidate in StaticDevice.objects.select_for_update().filter(
                user=person, confirmed=True
            ):
                if candidate.verify_token(code.lower()):
                    device = candidate
                    break
    if device is None:
        second_factor_failed(request=request, person=person)
    return device


def totp_code_matches(key_hex: str, code: str) -> bool:
    from binascii import unhexlify

    code = re.sub(r"\s+", "", code or "")
    if not code.isdigit():
        return False
    totp = TOTP(unhexlify(key_hex))
    return bool(totp.verify(int(code), tolerance=1))


@transaction.atomic
def authenticator_add(*, actor: Person, key_hex: str, code: str, name: str) -> TOTPDevice:
    """Set up an authenticator app once its first code matches the key it was given."""
    if not totp_code_matches(key_hex, code):
        raise ValidationError(
            {"code": "That code does not match. Enter the 6-digit code your app shows now."}
        )
    name = name.strip() or "Authenticator app"
    device = TOTPDevice.objects.create(user=actor, name=name[:64], key=key_hex, confirmed=True)
    device.verify_token(re.sub(r"\s+", "", code))  # the code is used: it cannot be replayed
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=actor,
        detail={"second factor": "authenticator app added"},
    )
    return device


@transaction.atomic
def recovery_codes_replace(*, actor: Person) -> list[str]:
    """Ten new recovery codes, each good once; any earlier codes stop working."""
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=actor, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=actor,
        detail={"second factor": "recovery codes replaced"},
    )
    return codes


@transaction.atomic
def authenticator_remove(*, actor: Person, device: TOTPDevice) -> None:
    TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=actor).delete()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=actor,
        detail={"second factor": "authenticator app removed"},
    )


def passkey_added_record(*, actor: Person) -> None:
    """django-otp-webauthn saves the passkey itself; the audit log notes it."""
    audit_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=actor,
        detail={"second factor": "passkey added"},
    )


@transaction.atomic
def second_factor_policy_set(
    *,
    actor: Person,
    agency: Agency,
    roles: list[str],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> SecondFactorPolicy:
    """Which further roles in an agency must use a second factor with a password (issue 14
    item 2): only supervisors, line managers and practitioners can be added; the wide roles
    always must."""
    unknown = set(roles) - {role.value for role in POLICY_ROLES}
    if unknown:
        raise ValidationError({"roles": "Choose from the roles listed."})
    chosen = [role.value for role in POLICY_ROLES if role.value in roles]
    policy = SecondFactorPolicy.objects.select_for_update().filter(agency=agency).first()
    if policy is None:
        policy = SecondFactorPolicy(agency=agency, roles=chosen)
        tracked_create(policy, actor=actor)
        before: list[str] = []
    else:
        before = list(policy.roles)
        policy.roles = chosen
        tracked_edit(policy, actor=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=policy,
        origin=origin,
        detail={"second factor required for": chosen, "before": before},
    )
    return policy
