"""Tasks left running by a dead worker go back on the queue (issue 10 item 2).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-task leaves it RUNNING for ever. Core's ``db_worker`` writes a heartbeat
(``WorkerHeartbeat``) every WORKER_HEARTBEAT_SECONDS. A RUNNING task whose worker has no
heartbeat, stopped, missed three beats, or (on this machine) has no process any more, is
made ready again, at most WORKER_MAX_CLAIMS times; then it is failed, so a task that kills
its worker cannot loop. Recovery runs when a worker starts, once a minute in each worker, and
in the daily jobs."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
SWEEP_EVERY = dt.timedelta(minutes=1)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def worker_alive(beat: WorkerHeartbeat | None, *, now: dt.datetime) -> bool:
    if beat is None or beat.stopped_at is not None:
        return False
    if beat.hostname == socket.gethostname() and _process_gone(beat.pid):
        return False
    stale = dt.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)
    return beat.seen_at >= now - stale


def tasks_recover(*, now: dt.datetime | None = None) -> int:
    """Put back on the queue each task whose worker is dead; return how many."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running())
    workers = {task.worker_ids[-1] for task in running if task.worker_ids}
    beats = {beat.worker_id: beat for beat in WorkerHeartbeat.objects.filter(worker_id__in=workers)}
    recovered = 0
    for task in running:
        holder = task.worker_ids[-1] if task.worker_ids else ""
        if worker_alive(beats.get(holder), now=now):
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        holders = task.worker_ids
        if len(holders) >= settings.WORKER_MAX_CLAIMS:
            same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="oversight.core.worker.WorkerLost",
                traceback=(
                    f"The worker running this task stopped {len(task.worker_ids)} times; "
                    "it is not tried again.\n"
                ),
            )
            logger.error(
                "Task %s failed: its worker stopped %s times", task.pk, len(task.worker_ids)
            )
        else:
            recovered += same_claim.update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Task %s put back on the queue: worker %s is gone", task.pk, holder)
    return recovered


def recover_all() -> int:
    """Tasks of dead workers, then emails that no task holds (core.tasks)."""
    from .tasks import outgoing_emails_recover

    return tasks_recover() + len(outgoing_emails_recover())


def heartbeat_start(worker_id: str) -> WorkerHeartbeat:
    now = timezone.now()
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": now,
            "seen_at": now,
            "stopped_at": None,
        },
    )
    return beat


def heartbeat_stop(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


class Heartbeat(threading.Thread):
    """Beats every WORKER_HEARTBEAT_SECONDS while the worker runs a task or waits for one,
    and runs the recovery once a minute, so one live worker rescues a dead one's tasks."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        interval = settings.WORKER_HEARTBEAT_SECONDS
        last_sweep = timezone.now()
        try:
            while not self.stopping.wait(interval):
                try:
                    close_old_connections()
                    now = timezone.now()
                    WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now)
                    if now - last_sweep >= SWEEP_EVERY:
                        last_sweep = now
                        recover_all()
                except Exception:  # a database blip must not stop the beat
                    logger.exception("Worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=interval_bound())


def interval_bound() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS) + 5
