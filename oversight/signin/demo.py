"""Demo second factors (decision 0009): the demo's administrator, auditor and agency leads
must use a second factor after their password, as in production. Each has an authenticator
app with the same development-only setup key, printed by ``seed_demo`` and in README.md, so
a reviewer can add it to any authenticator app (or run ``oathtool --totp -b KEY``).

Community health's lead requires a second factor of its supervisors too (the agency's policy,
decision 0019), so supervisor.health signs in with the same demo key."""

from __future__ import annotations

import base64
from binascii import hexlify

from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.core.demo import DemoContext
from oversight.people.models import Person, Role, RoleAssignment

from .selectors import second_factor_required

# Development only: a fixed, published key. Never use the demo in a database others reach.
DEMO_KEY = b"oversight-demo-2fa!!"
DEMO_KEY_BASE32 = base64.b32encode(DEMO_KEY).decode()


def _health_requires_supervisors() -> None:
    from .models import SecondFactorPolicy
    from .services import second_factor_policy_set

    lead = Person.objects.filter(username="lead.health").first()
    led = RoleAssignment.objects.filter(person=lead, role=Role.AGENCY_LEAD).first()
    if lead is None or led is None or led.agency is None:
        return
    if not SecondFactorPolicy.objects.filter(agency=led.agency).exists():
        second_factor_policy_set(
            actor=lead, agency=led.agency, roles=[Role.SUPERVISOR], expected_version=None
        )


def finish(ctx: DemoContext) -> None:
    _health_requires_supervisors()
    personas = {s.username: s for s in ctx.sign_ins}
    for person in Person.objects.filter(username__in=personas):
        if not second_factor_required(person):
            continue
        TOTPDevice.objects.get_or_create(
            user=person,
            name="Demo authenticator",
            defaults={"key": hexlify(DEMO_KEY).decode(), "confirmed": True},
        )
        sign_in = personas[person.username]
        sign_in.description += f"; authenticator key {DEMO_KEY_BASE32}"
