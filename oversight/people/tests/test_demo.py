"""The demo partnership (issue 2 "Demo partnership"): believable, deterministic, and its
sign-ins printed as JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.db import transaction

from oversight.core.demo import DemoContext
from oversight.people import demo
from oversight.people.models import (
    Agency,
    LineManagement,
    Membership,
    NewStarter,
    Person,
    RoleAssignment,
    SupervisionRelationship,
    TrainingRecord,
)

TODAY = dt.date(2026, 11, 23)


def _fingerprint() -> str:
    """The people data by natural keys (primary keys differ between runs)."""
    rows: list[Any] = [
        sorted(Agency.objects.values_list("name", "sector", "nation")),
        sorted(Person.objects.values_list("username", "email", "given_name", "family_name")),
        sorted(
            Membership.objects.values_list(
                "person__username",
                "agency__name",
                "team__name",
                "staff_group__name",
                "job_title",
                "contact_level",
                "starts_on",
                "ends_on",
                "new_starter",
                "new_starter_until",
            )
        ),
        sorted(
            SupervisionRelationship.objects.values_list(
                "supervisor__username", "supervisee__username", "starts_on", "ends_on"
            )
        ),
        sorted(
            LineManagement.objects.values_list(
                "manager__username", "report__username", "starts_on", "ends_on"
            )
        ),
        sorted(
            RoleAssignment.objects.values_list("person__username", "role", "agency__name"),
            key=str,
        ),
        sorted(TrainingRecord.objects.values_list("person__username", "course", "expires_on")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _build_once() -> str:
    with transaction.atomic():
        ctx = DemoContext(seed=2026, today=TODAY, scale="small", password_hash=make_password(None))
        demo.build(ctx)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_same_seed_same_people() -> None:
    assert _build_once() == _build_once()


@pytest.mark.django_db
def test_seed_demo_json_lists_sign_ins_and_a_believable_partnership() -> None:
    out = StringIO()
    call_command("seed_demo", "--json", "--today", TODAY.isoformat(), stdout=out)
    payload = json.loads(out.getvalue())
    usernames = {s["username"] for s in payload["sign_ins"]}
    assert {"admin", "auditor", "supervisor.csc", "practitioner.nq"} <= usernames
    assert payload["password"]
    assert Person.objects.filter(username__in=usernames).count() == len(usernames)
    agencies = Agency.objects.all()
    assert agencies.count() >= 5
    assert len({a.sector for a in agencies}) >= 5
    assert 55 <= Person.objects.count() <= 80
    assert Membership.objects.on(TODAY).filter(new_starter=NewStarter.NEWLY_QUALIFIED).exists()
    lapsed = [r for r in TrainingRecord.objects.live() if r.expires_on and r.expires_on < TODAY]
    assert lapsed
    assert SupervisionRelationship.objects.filter(handover_from__isnull=False).exists()


@pytest.mark.django_db
def test_seed_demo_on_a_database_with_a_partnership_refuses_or_lists_the_existing_sign_ins() -> (
    None
):
    """seed_demo asks each app whether data exists (people: a partnership) and, with
    --if-empty, lists the sign-ins already there rather than building again."""
    call_command("seed_demo", "--json", "--today", TODAY.isoformat(), stdout=StringIO())
    people = Person.objects.count()
    with pytest.raises(CommandError, match="already holds a partnership"):
        call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--json", stdout=out)
    usernames = {s["username"] for s in json.loads(out.getvalue())["sign_ins"]}
    assert {"admin", "auditor", "supervisor.csc", "practitioner.nq"} <= usernames
    assert Person.objects.count() == people
