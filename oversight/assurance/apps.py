from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "oversight.assurance"
    label = "assurance"
    verbose_name = "Assurance"
    navigation = [("Assurance", "assurance:index", "assurance.view_index")]
    daily_jobs = ["oversight.assurance.tasks.enqueue_daily"]
    on_history_imported = "oversight.assurance.tasks.enqueue_figures_backfill"
    on_compliance_changed = "oversight.assurance.tasks.compliance_today_queue"
