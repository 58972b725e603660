"""django-tasks-db's worker with a heartbeat and recovery (oversight.core.worker): at start
it puts back on the queue the tasks a dead worker left running and the emails no task holds.
Core is listed before django_tasks_db in INSTALLED_APPS, so this command is ``db_worker``."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from oversight.core.worker import Heartbeat, heartbeat_start, heartbeat_stop, recover_all


class Worker(db_worker.Worker):
    def run(self) -> None:
        heartbeat_start(self.worker_id)
        recovered = recover_all()
        if recovered:
            db_worker.logger.warning("Recovered %s tasks and emails at start", recovered)
        beat = Heartbeat(self.worker_id)
        beat.start()
        try:
            super().run()
        finally:
            beat.stop()
            heartbeat_stop(self.worker_id)


class Command(db_worker.Command):
    help = "Run the database task worker, with a heartbeat and recovery of dead workers' tasks"

    def configure_logging(self, verbosity: int) -> None:
        """As django-tasks-db's, except that at the usual verbosity a task's start and end
        are left to its one line from oversight.core.observability (failures still show)."""
        super().configure_logging(verbosity)
        if verbosity == 1:
            logging.getLogger("django_tasks").setLevel(logging.WARNING)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
