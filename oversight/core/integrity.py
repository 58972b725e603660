"""Proof that what was written stays as written (issue 10 item 4; seed 001 "Recording":
records open to inspection and audit). ``manage.py verify_integrity`` runs core's check of the
audit chain, then each app's checks, named on its ``AppConfig`` as dotted paths (core imports
no domain app, decision 0001), e.g.

    integrity_checks = ["oversight.supervision.integrity.signed_records_check"]

A check takes no arguments and returns an ``IntegrityResult``: what it checked and the first
broken link it found, if any."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string

from .models import AuditEvent


@dataclass(frozen=True)
class BrokenLink:
    """The first row that is not what was written: its model, id and what differs."""

    model: str
    id: object
    problem: str

    def __str__(self) -> str:
        return f"{self.model} {self.id}: {self.problem}"


@dataclass(frozen=True)
class IntegrityResult:
    what: str
    checked: int
    broken: BrokenLink | None = None


def audit_chain_check() -> IntegrityResult:
    """Walk the audit log in the order written. An edited entry no longer matches its own
    hash; a removed one leaves the next entry pointing at a hash that is not the one before."""
    previous: AuditEvent | None = None
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
        checked += 1
        if event.hash != event.compute_hash():
            return _chain(checked, event, "its content no longer matches its hash: it was changed")
        expected = previous.hash if previous is not None else ""
        if event.previous_hash != expected:
            after = f"entry {previous.pk}" if previous is not None else "the start of the log"
            return _chain(
                checked,
                event,
                f"it does not follow {after}: an entry between them was removed, or {after} "
                "was rewritten",
            )
        previous = event
    return IntegrityResult("audit log entries", checked)


def _chain(checked: int, event: AuditEvent, problem: str) -> IntegrityResult:
    return IntegrityResult(
        "audit log entries", checked, BrokenLink("core.auditevent", event.pk, problem)
    )


def integrity_checks() -> Iterator[Callable[[], IntegrityResult]]:
    """Core's chain first, then each app's checks in INSTALLED_APPS order."""
    yield audit_chain_check
    for config in apps.get_app_configs():
        for path in getattr(config, "integrity_checks", ()):
            yield import_string(path)
