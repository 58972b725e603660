"""Where a later app must act on an earlier app's change, the earlier app's service calls a
hook here and each later app names its handler on its ``AppConfig`` (as it names its
navigation). The call is explicit, inside the service's transaction, and the order of
INSTALLED_APPS (decision 0001) decides the order of handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Person
    from django.db.models import Model

    from oversight.core.services import RequestOrigin


def supervision_relationship_ended(
    *,
    relationship: Model,
    actor: Person | None,
    origin: RequestOrigin | None = None,
) -> None:
    """A supervision relationship (people.SupervisionRelationship; its handlers type it) has
    ended (its last day is past): each app's ``on_supervision_relationship_ended`` runs, so
    the contracts hand over and the old pair's later sessions are cancelled the same day
    rather than at the next nightly sweep (seed 001 "Supervisor responsibilities")."""
    for config in apps.get_app_configs():
        path = getattr(config, "on_supervision_relationship_ended", None)
        if path:
            import_string(path)(relationship=relationship, actor=actor, origin=origin)


def event(kind: str, **payload: object) -> None:
    """Something happened that people may need to be told of (issue 11 item 2: an urgent
    discussion requested, an escalation raised, a record ready to sign, a session planned…).
    The earlier app's service calls this inside its transaction with the ``kind`` and the
    objects concerned; each app that listens names a handler ``on_event`` on its
    ``AppConfig`` (notifications does), called as ``handler(kind, **payload)``. The app
    that raises the event never imports the listener (decision 0001)."""
    for config in apps.get_app_configs():
        path = getattr(config, "on_event", None)
        if path:
            import_string(path)(kind, **payload)


def child_status_changed(*, agency_id: int, day: dt.date) -> None:
    """A child of ``agency_id`` changed legal status from ``day`` (children's
    ``child_status_change``): each app's ``on_child_status_changed`` runs inside the
    service's transaction, so supervision recounts that day's kept tally, which counts the
    changes of status (decision 0033), when the day is already kept."""
    for config in apps.get_app_configs():
        path = getattr(config, "on_child_status_changed", None)
        if path:
            import_string(path)(agency_id=agency_id, day=day)


def history_imported() -> None:
    """An import loaded records that reach back in time (people in post for years): each
    app's ``on_history_imported`` runs, so assurance keeps the figures of any day before its
    first kept one (issue 17 item 2: past periods read only kept figures). Called on commit;
    days already kept stay as they were shown (issue 9 item 8)."""
    for config in apps.get_app_configs():
        path = getattr(config, "on_history_imported", None)
        if path:
            import_string(path)()


def compliance_changed(*, agency_ids: Iterable[int] = (), person_ids: Iterable[int] = ()) -> None:
    """Something today's staff compliance counts has changed (a session held, a record
    signed, a contract, policy, post, relationship, training record or action): on commit,
    each app's ``on_compliance_changed`` runs once with every agency and person the
    transaction named, so assurance refreshes today's kept figures in the background rather
    than on a page view (issue 17 item 2, decision 0023). People are named because their
    figures count in every agency they hold a post in. An import's thousand services make one
    call, not a thousand."""
    connection = transaction.get_connection()
    # The transaction's call already waiting, if any (a rollback drops it with its savepoint;
    # what an inner savepoint rolled back may stay in an outer one's call: a refresh too many,
    # never one too few).
    waiting = next(
        (
            entry[1]
            for entry in connection.run_on_commit
            if isinstance(entry[1], _Changed) and not entry[1].ran
        ),
        None,
    )
    call = waiting or _Changed()
    call.agency_ids.update(agency_ids)
    call.person_ids.update(person_ids)
    if waiting is None:
        transaction.on_commit(call)  # outside a transaction: at once


class _Changed:
    """``compliance_changed``'s call, run on commit."""

    def __init__(self) -> None:
        self.agency_ids: set[int] = set()
        self.person_ids: set[int] = set()
        self.ran = False  # a test's captured callbacks stay listed after they run

    def __call__(self) -> None:
        self.ran = True
        if not (self.agency_ids or self.person_ids):
            return
        for config in apps.get_app_configs():
            path = getattr(config, "on_compliance_changed", None)
            if path:
                import_string(path)(
                    agency_ids=sorted(self.agency_ids), person_ids=sorted(self.person_ids)
                )
