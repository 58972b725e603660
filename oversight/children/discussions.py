"""What children reads about case discussions and decisions, which supervision records.

Supervision comes after children (decision 0001) and imports children's models, so children
never imports supervision back. Instead supervision names, on its ``AppConfig``, the
functions that return its live records:

    child_discussions = "oversight.supervision.selectors.case_discussions_live"
    child_decisions = "oversight.supervision.selectors.decisions_live"
    child_discussion_agency = "agency"

Children reads only these fields of them: a discussion's ``child``, ``discussed_on`` and
``rag_rating`` (for the cadence and drift, seed 004 objectives 3 and 4; its values are the
strings "green", "amber" and "red" of supervision's ``RagRating``), and the agency whose
supervision it took place in, through the path named as ``child_discussion_agency`` (each
agency's last discussion and rating on the multi-agency summary, issue 13); a decision's
``child``, ``agency``, ``decided_on``, ``decided_by``, ``file_due_on``,
``recorded_on_file_at`` and ``immediate_concern`` (seed 001 standard 6, decisions on the
child's file). Nothing else of the confidential supervision record is read here (seed 003)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.module_loading import import_string


def discussions() -> QuerySet[Any]:
    """Every live case discussion, of any child."""
    return _registered("child_discussions")()


def decisions() -> QuerySet[Any]:
    """Every live decision about a child."""
    return _registered("child_decisions")()


def agency_path() -> str:
    """The lookup from a discussion to its agency's id, e.g. ``agency_id``."""
    for config in apps.get_app_configs():
        path = getattr(config, "child_discussion_agency", None)
        if path:
            return f"{path}_id"
    raise ImproperlyConfigured(
        "No installed app names 'child_discussion_agency' on its AppConfig: children needs "
        "the app that records case discussions (oversight.supervision)."
    )


def _registered(name: str) -> Any:
    for config in apps.get_app_configs():
        path = getattr(config, name, None)
        if path:
            return import_string(path)
    raise ImproperlyConfigured(
        f"No installed app names {name!r} on its AppConfig: children needs the app that "
        "records case discussions (oversight.supervision)."
    )
