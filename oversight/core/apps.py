from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oversight.core"
    label = "core"
    verbose_name = "Core"
    # Emails no task holds and tasks whose worker died are queued again (core.tasks).
    daily_jobs = ["oversight.core.tasks.enqueue_daily"]

    def ready(self) -> None:
        from .observability import connect_task_logging

        connect_task_logging()
