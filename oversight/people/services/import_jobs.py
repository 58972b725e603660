"""The staff import as background work (issue 10 item 9: a 5,000-row file took 87 s inside
one request). The request checks the file as a whole, keeps its text in a ``StaffImport`` and
queues ``people.tasks.staff_import_run``; the worker checks and saves the rows, all or nothing
(``people.imports``), and writes how far it has got for the progress page.

The rows are saved in one transaction, which no other connection can see into. On PostgreSQL
the progress is therefore written through a second connection of the worker's own, so the
page moves while the rows are saved; on SQLite (``make run``), where a second writer would
wait for the import's lock, the page shows the checks' progress and then the outcome."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from oversight.core import hooks
from oversight.core.services import RequestOrigin

from ..imports import SAVING, staff_import_csv, staff_import_read
from ..models import Person, StaffImport, StaffImportState

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), and always at the last row.
PROGRESS_EVERY_SECONDS = 0.5
STOPPED = (
    "The import stopped because of a problem in Oversight. Nothing was imported. "
    "Try again, and tell the service team if it happens again."
)


@transaction.atomic
def staff_import_queue(
    *,
    actor: Person,
    content: bytes,
    filename: str,
    origin: RequestOrigin | None = None,
) -> StaffImport:
    """Check the file as a whole (encoding, columns, size, characters that cannot be stored)
    and queue its import. A file with such a problem is refused here, each problem named."""
    rows, errors = staff_import_read(content)
    if errors:
        raise ValidationError(errors)
    origin = origin or RequestOrigin()
    job = StaffImport.objects.create(
        filename=filename[:255],
        content=content.decode("utf-8-sig"),
        rows_total=len(rows),
        origin_ip=origin.ip_address,
        origin_user_agent=origin.user_agent,
        created_by=actor,
        modified_by=actor,
    )
    transaction.on_commit(lambda: staff_import_enqueue(job.pk))
    return job


def staff_import_enqueue(job_id: int) -> Any:
    """Put the import on the task queue and remember which task holds it."""
    from ..tasks import staff_import_run

    result = staff_import_run.enqueue(import_id=job_id)
    StaffImport.objects.filter(pk=job_id, state=StaffImportState.QUEUED).update(
        task_id=str(result.id)
    )
    return result


def staff_import_run(*, job_id: int) -> str:
    """Run one queued import to its end (called by the task). A task run again after its
    worker died starts the import afresh: the cut-off try saved nothing."""
    with transaction.atomic():
        job = StaffImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "no such import"
        if job.is_finished:
            return f"nothing to do: {job.state}"
        job.state = StaffImportState.CHECKING
        job.rows_done = 0
        job.started_at = timezone.now()
        job.save(update_fields=["state", "rows_done", "started_at"])
    actor = Person.objects.get(pk=job.created_by_id)
    origin = RequestOrigin(ip_address=job.origin_ip, user_agent=job.origin_user_agent)
    with _ProgressWriter(job.pk) as progress:
        try:
            with transaction.atomic():
                result = staff_import_csv(
                    actor=actor,
                    content=job.content.encode(),
                    origin=origin,
                    progress=progress,
                )
                _finish(job.pk, result.errors, result.counts)
                if not result.errors:
                    transaction.on_commit(hooks.history_imported)
        except Exception:  # a fault of ours: say so on the page, never leave it "running"
            logger.exception("Staff import %s stopped", job.pk)
            _finish(job.pk, [STOPPED], {}, state=StaffImportState.FAILED)
            return "failed"
    return "done"


@transaction.atomic
def _finish(
    job_id: int,
    errors: list[str],
    counts: dict[str, int],
    *,
    state: str | None = None,
) -> None:
    job = StaffImport.objects.select_for_update().get(pk=job_id)
    job.state = state or (StaffImportState.REFUSED if errors else StaffImportState.DONE)
    job.errors = errors
    job.counts = counts
    if job.state == StaffImportState.DONE:
        job.rows_done = job.rows_total
    job.content = ""
    job.finished_at = timezone.now()
    job.modified_at = job.finished_at
    job.save(
        update_fields=[
            "state",
            "errors",
            "counts",
            "rows_done",
            "content",
            "finished_at",
            "modified_at",
        ]
    )


class _ProgressWriter:
    """``progress(stage, rows)`` for ``staff_import_csv``: writes the stage and rows done to
    the import's row, at most every ``PROGRESS_EVERY_SECONDS``. Outside a transaction it
    writes through the worker's own connection; inside one (the saving), through a second
    connection on PostgreSQL, and not at all on SQLite."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0
        self.side: Any = None
        self.total = StaffImport.objects.values_list("rows_total", flat=True).get(pk=job_id)

    def __enter__(self) -> Callable[[str, int], None]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.side is not None:
            self.side.close()

    def __call__(self, stage: str, rows: int) -> None:
        now = time.monotonic()
        if rows < self.total and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        if not connection.in_atomic_block:
            StaffImport.objects.filter(pk=self.job_id).update(state=stage, rows_done=rows)
        elif connection.vendor == "postgresql" and stage == SAVING:
            self._write_aside(stage, rows)

    def _write_aside(self, stage: str, rows: int) -> None:
        try:
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {StaffImport._meta.db_table} SET state = %s, rows_done = %s "
                    "WHERE id = %s",
                    [stage, rows, self.job_id],
                )
        except DatabaseError:  # progress is for show; the import goes on without it
            logger.warning("Progress of staff import %s not written", self.job_id, exc_info=True)
