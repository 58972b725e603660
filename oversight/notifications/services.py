"""Writing notifications (issue 11 item 2). One place turns an event or a due date into a
notification for each person who should know, with a short reason and an absolute link, and
emails it now, in tomorrow morning's daily email, or not at all, as the person chose. The
kinds that protect children always go at once.

Emails go through core's outbox (decision 0006): never sent from the request, retried, and a
failure shown to the administrator. They say what is waiting, never what it says (item 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from oversight.core.services import outgoing_email_queue
from oversight.people.context_processors import partnership_name

from .models import (
    PROTECTED_KINDS,
    Delivery,
    Kind,
    Notification,
    Preference,
    SentReminder,
)

if TYPE_CHECKING:
    from oversight.people.models import Person


def absolute(path: str) -> str:
    """A link that works from an email: SITE_URL and the path."""
    return f"{settings.SITE_URL}{path}"


def delivery_for(person: Person, kind: str) -> str:
    if kind in PROTECTED_KINDS:
        return Delivery.IMMEDIATELY
    chosen = Preference.objects.filter(person=person, kind=kind).values_list("delivery", flat=True)
    return next(iter(chosen), Delivery.IMMEDIATELY)


def _email_parts(
    *, person: Person, subject: str, lines: list[tuple[str, str]], intro: str = ""
) -> dict[str, str]:
    context = {
        "person": person,
        "intro": intro,
        "lines": lines,
        "partnership_name": partnership_name() or "your safeguarding partnership",
        "notifications_url": absolute(reverse("notifications:list")),
        "preferences_url": absolute(reverse("notifications:preferences")),
    }
    return {
        "subject": f"Oversight: {subject}",
        "body": loader.render_to_string("notifications/email/notification.txt", context),
        "html_body": loader.render_to_string("notifications/email/notification.html", context),
    }


def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    reason: str,
    path: str,
    about: models.Model | None = None,
    attachments_for: Any = None,
    email: bool = True,
) -> list[Notification]:
    """A notification for each active recipient (each once), emailed as they chose.
    ``attachments_for(person)`` gives the files for one person's email (a session's .ics);
    ``email=False`` keeps it on the page only (the disclosure alert has its own email)."""
    made: list[Notification] = []
    seen: set[int] = set()
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        delivery = delivery_for(person, kind)
        notification = Notification.objects.create(
            recipient=person,
            kind=kind,
            reason=reason[:300],
            link=absolute(path),
            about_type=about._meta.label_lower if about is not None else "",
            about_id=str(about.pk) if about is not None else "",
            for_daily_email=email and delivery == Delivery.DAILY,
        )
        made.append(notification)
        if email and delivery == Delivery.IMMEDIATELY and person.email:
            parts = _email_parts(
                person=person, subject=Kind(kind).label, lines=[(reason, notification.link)]
            )
            outgoing_email_queue(
                to=person.email,
                purpose=f"Notification: {Kind(kind).label}",
                about=notification,
                attachments=attachments_for(person) if attachments_for else None,
                subject=parts["subject"],
                body=parts["body"],
                html_body=parts["html_body"],
            )
    return made


def reminder_claim(
    *, person: Person, kind: str, about: models.Model | None, day: dt.date, about_type: str = ""
) -> bool:
    """Claim the right to send this reminder today: True the first time, False ever after,
    even from a second scheduler running by mistake at the same moment (the database's unique
    constraint decides; item 4)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                person=person,
                kind=kind,
                about_type=about._meta.label_lower if about is not None else about_type,
                about_id=str(about.pk) if about is not None else "",
                day=day,
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def remind(
    *,
    person: Person,
    kind: str,
    reason: str,
    path: str,
    about: models.Model | None,
    day: dt.date,
) -> Notification | None:
    """A reminder, at most once per item, kind, person and day."""
    if not reminder_claim(person=person, kind=kind, about=about, day=day):
        return None
    made = notify(recipients=[person], kind=kind, reason=reason, path=path, about=about)
    return made[0] if made else None


@transaction.atomic
def daily_email_send(*, person: Person, day: dt.date) -> int:
    """One email with the notifications the person chose to have daily, once a day."""
    waiting = list(
        Notification.objects.select_for_update()
        .filter(recipient=person, for_daily_email=True)
        .order_by("created_at", "id")
    )
    if not waiting or not person.is_active or not person.email:
        return 0
    if not reminder_claim(person=person, kind="daily_email", about=None, day=day):
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(for_daily_email=False)
    parts = _email_parts(
        person=person,
        subject=f"{len(waiting)} thing{'s' if len(waiting) != 1 else ''} waiting for you",
        intro="Since yesterday:",
        lines=[(n.reason, n.link) for n in waiting],
    )
    outgoing_email_queue(
        to=person.email,
        purpose="Daily notifications email",
        about=person,
        subject=parts["subject"],
        body=parts["body"],
        html_body=parts["html_body"],
    )
    return len(waiting)


@transaction.atomic
def digest_send(
    *,
    person: Person,
    day: dt.date,
    role: str,
    subject: str,
    intro: str,
    lines: list[tuple[str, str]],
) -> bool:
    """A weekly digest (item 5) for one of the person's roles ("supervisor", "line manager",
    "lead"), never empty and never twice on one day."""
    if not lines or not person.is_active or not person.email:
        return False
    if not reminder_claim(
        person=person, kind=Kind.WEEKLY_DIGEST, about=None, day=day, about_type=f"digest:{role}"
    ):
        return False
    Notification.objects.create(
        recipient=person,
        kind=Kind.WEEKLY_DIGEST,
        reason=subject,
        link=absolute(reverse("home")),
    )
    parts = _email_parts(person=person, subject=subject, intro=intro, lines=lines)
    outgoing_email_queue(
        to=person.email,
        purpose="Weekly summary",
        about=person,
        subject=parts["subject"],
        body=parts["body"],
        html_body=parts["html_body"],
    )
    return True


@transaction.atomic
def notification_mark_done(*, actor: Person, notification: Notification) -> Notification:
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.recipient_id != actor.pk:
        raise ValidationError("This notification is not yours.")
    if locked.done_at is None:
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
    return locked


@transaction.atomic
def notifications_mark_all_done(*, actor: Person) -> int:
    return Notification.objects.filter(recipient=actor, done_at__isnull=True).update(
        done_at=timezone.now()
    )


@transaction.atomic
def preferences_update(*, actor: Person, choices: dict[str, str]) -> None:
    """Each kind's delivery; the kinds that protect children cannot be turned off."""
    errors = {}
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            errors[kind] = "Choose how you want to hear about this."
        elif kind in PROTECTED_KINDS and delivery != Delivery.IMMEDIATELY:
            errors[kind] = "This keeps children safe, so it always comes straight away."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for kind, delivery in choices.items():
        Preference.objects.update_or_create(
            person=actor, kind=kind, defaults={"delivery": delivery, "modified_at": now}
        )
