"""Helpers shared by the children services."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError

from oversight.core.models import TrackedModel
from oversight.core.services import (
    tracked_create,
)
from oversight.people.models import Person

T = TypeVar("T", bound=TrackedModel)


def _create(obj: T, *, actor: Person | None) -> T:
    tracked_create(obj, actor=actor)
    return obj


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
