from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oversight.core"
    label = "core"
    verbose_name = "Core"
    # Emails no task holds and tasks whose worker died are queued again (core.tasks).
    daily_jobs = ["oversight.core.tasks.enqueue_daily"]

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .connections import keep_prepared_statements
        from .observability import connect_task_logging

        connect_task_logging()
        connection_created.connect(keep_prepared_statements, dispatch_uid="prepared_max")
