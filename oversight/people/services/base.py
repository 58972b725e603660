"""What every people service shares: create, change and end a tracked row, each stamped
and written to the audit log, so the topic modules only decide what is allowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from oversight.core.models import AuditAction, TrackedModel
from oversight.core.services import (
    RequestOrigin,
    audit_event_record,
    tracked_create,
    tracked_edit,
    tracked_update,
)

from ..models import Person

T = TypeVar("T", bound=TrackedModel)


def _create(obj: T, *, actor: Person, origin: RequestOrigin | None) -> T:
    tracked_create(obj, actor=actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, target=obj, origin=origin)
    return obj


def _apply(obj: models.Model, changes: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    changed = []
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(obj, name) != value:
            changed.append(name)
        setattr(obj, name, value)
    return sorted(changed)


def _update(
    obj: T,
    *,
    actor: Person,
    changes: dict[str, Any],
    allowed: Iterable[str],
    expected_version: int | None,
    origin: RequestOrigin | None,
) -> T:
    changed = _apply(obj, changes, allowed)
    tracked_edit(obj, actor=actor, expected_version=expected_version)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=obj,
        origin=origin,
        detail={"fields": changed},
    )
    return obj


def _end(obj: T, *, actor: Person, ends_on: dt.date, origin: RequestOrigin | None, what: str) -> T:
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.ends_on is not None and current.ends_on <= ends_on:
        raise ValidationError({"ends_on": f"This {what} has already ended."})
    if ends_on < current.starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date."})
    obj.ends_on = ends_on  # type: ignore[attr-defined]
    tracked_update(obj, actor=actor)
    audit_event_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=obj,
        origin=origin,
        detail={"ended_on": ends_on.isoformat()},
    )
    return obj
