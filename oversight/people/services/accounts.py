"""People who sign in: adding them, changing their details and closing their account when
they leave, which ends everything they hold on that day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oversight.core import hooks
from oversight.core.models import AuditAction
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    outgoing_email_queue,
    submission_claim,
    submission_record,
    tracked_update,
    version_check,
)

from ..models import LineManagement, Membership, Person, RoleAssignment, SupervisionRelationship
from .base import _apply

PERSON_FIELDS = frozenset({"username", "email", "given_name", "family_name"})


def _check_person_unique(username: str, email: str, pk: Any) -> None:
    errors: dict[str, str] = {}
    others = Person.objects.exclude(pk=pk)
    if others.filter(username__iexact=username).exists():
        errors["username"] = "Someone already has this username."
    if others.filter(email__iexact=email).exists():
        errors["email"] = "Someone already has this email address."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(
    *,
    actor: Person,
    given_name: str,
    family_name: str,
    email: str,
    username: str = "",
    submission_token: str = "",
    origin: RequestOrigin | None = None,
) -> Person:
    """Add someone who will sign in, and send them an invitation to set their own password
    (issue 11 item 1) — nobody else ever knows it. The administrator's form and the staff
    import both come through here, so both invite. The same form sent twice adds them once
    (issue 10 item 6)."""
    if earlier := submission_claim(token=submission_token, actor=actor, model=Person):
        return earlier
    email = email.strip().lower()
    username = (username or email).strip()
    _check_person_unique(username, email, None)
    person = Person(username=username, email=email, given_name=given_name, family_name=family_name)
    person.set_unusable_password()
    person.full_clean()
    person.save()
    submission_record(token=submission_token, target=person)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=person, origin=origin)
    _invitation_queue(person)
    return person


def _invitation_queue(person: Person) -> None:
    from ..context_processors import partnership_name
    from ..invitations import INVITATION_PURPOSE, invitation_email

    parts = invitation_email(person, partnership_name=partnership_name())
    outgoing_email_queue(
        to=person.email,
        purpose=INVITATION_PURPOSE,
        about=person,
        secret=True,
        subject=parts["subject"],
        body=parts["body"],
        html_body=parts["html_body"],
    )


@transaction.atomic
def invitation_resend(
    *, actor: Person, person: Person, origin: RequestOrigin | None = None
) -> Person:
    """Send a fresh invitation to someone who has not set a password yet. The account gets a
    new unusable password, so every earlier link stops working."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.account_state != "invited":
        raise ValidationError(
            "Only someone who has not set a password yet can be sent an invitation."
        )
    person.set_unusable_password()
    person.save(update_fields=["password"])
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        origin=origin,
        detail={"invitation": "sent again"},
    )
    _invitation_queue(person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Person,
    person: Person,
    changes: dict[str, Any],
    expected_version: int | None,
    origin: RequestOrigin | None = None,
) -> Person:
    current = Person.objects.select_for_update().only("version").get(pk=person.pk)
    version_check(stored=current.version, expected=expected_version)
    if "email" in changes:
        changes = {**changes, "email": str(changes["email"]).strip().lower()}
    changed = _apply(person, changes, PERSON_FIELDS)
    _check_person_unique(person.username, person.email, person.pk)
    person.version = current.version + 1
    person.full_clean()
    person.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        origin=origin,
        detail={"fields": changed},
    )
    return person


@transaction.atomic
def person_deactivate(
    *,
    actor: Person,
    person: Person,
    reason: str,
    ends_on: dt.date | None = None,
    origin: RequestOrigin | None = None,
) -> Person:
    """Someone leaves: they can no longer sign in, and their posts, roles and relationships
    end on ``ends_on`` (default today). Their records stay for audit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this account is being closed."})
    if actor.pk == person.pk:
        raise ValidationError("You cannot close your own account.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError("This account is already closed.")
    day = ends_on or timezone.localdate()
    open_rows: list[tuple[type[Any], Q]] = [
        (Membership, Q(person=person)),
        (RoleAssignment, Q(person=person)),
        (SupervisionRelationship, Q(supervisor=person) | Q(supervisee=person)),
        (LineManagement, Q(manager=person) | Q(report=person)),
    ]
    ended = 0
    counted = {person.pk}  # whose staff compliance this changes (issue 17 item 2)
    for model, who in open_rows:
        for row in (
            model.objects.live().filter(who).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        ):
            row.ends_on = max(day, row.starts_on)
            tracked_update(row, actor=actor)
            ended += 1
            if model is SupervisionRelationship:
                counted.update((row.supervisor_id, row.supervisee_id))
    person.is_active = False
    person.version += 1
    person.save(update_fields=["is_active", "version"])
    audit_event_record(
        actor=actor,
        action=AuditAction.ARCHIVE,
        target=person,
        origin=origin,
        detail={"reason": reason, "ended_on": day.isoformat(), "rows_ended": ended},
    )
    hooks.compliance_changed(person_ids=counted)
    return person
