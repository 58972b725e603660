"""Scheduled background work. django-tasks has no scheduler, so a deployment runs
``manage.py enqueue_daily_tasks`` once a day; each app names the functions that put its share
of the work on the queue on its ``AppConfig`` (as it names its navigation), e.g.

    daily_jobs = ["oversight.contracts.tasks.enqueue_daily"]

Each function takes no arguments and returns the task results it queued. They run in
INSTALLED_APPS order (decision 0001)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


def enqueue_jobs(schedule: str) -> list[Any]:
    """Queue every app's ``<schedule>_jobs`` ("daily"), returning what was queued."""
    queued: list[Any] = []
    for config in apps.get_app_configs():
        for path in getattr(config, f"{schedule}_jobs", ()):
            queued.extend(import_string(path)())
    return queued
