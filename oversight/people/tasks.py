"""The people app's background work: the staff CSV import (issue 10 item 9), run by the task
queue's worker (``manage.py db_worker``; decision 0006 for how a dead worker's task is taken
back)."""

from __future__ import annotations

from django_tasks import task

from .services.import_jobs import staff_import_run as run_import


@task()
def staff_import_run(import_id: int) -> str:
    return run_import(job_id=import_id)
