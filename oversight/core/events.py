"""Events an earlier app announces and later apps act on (decision 0001, like ``core.hooks``).

An app's service calls ``emit(name, **payload)`` inside its transaction; every app that
names a handler for that event on its ``AppConfig`` (``event_handlers = {name: "dotted.path"}``)
has it called, in INSTALLED_APPS order, as ``handler(name, payload)``. A handler that sends
anything outside the database does it on commit, so a rolled-back change announces nothing.

Payloads carry ids, dates and what changed: never discussion text or wellbeing.

Events so far (what the payload holds):
- ``decision.made``: decision_id, child_id, agency_id, decided_on, file_due_on,
  immediate_concern
- ``decision.overdue``: decision_id, child_id, agency_id, file_due_on
- ``escalation.raised``: escalation_id, agency_id, child_id, level, subject
- ``drift.flagged``: flag_id, child_id, agency_id, rule, raised_on
- ``child.discussed``: discussion_id, child_id, agency_id, session_id, discussed_on
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

EVENT_NAMES = (
    "decision.made",
    "decision.overdue",
    "escalation.raised",
    "drift.flagged",
    "child.discussed",
)


def emit(name: str, **payload: Any) -> None:
    """Announce ``name`` to every app that handles it."""
    if name not in EVENT_NAMES:
        raise ValueError(f"Unknown event {name!r}: add it to core.events.EVENT_NAMES")
    for config in apps.get_app_configs():
        path = getattr(config, "event_handlers", {}).get(name)
        if path:
            import_string(path)(name, payload)
