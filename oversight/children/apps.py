from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "oversight.children"
    label = "children"
    verbose_name = "Children in view"
    navigation = [
        ("Children", "children:child_list", "children.list_children"),
    ]
    daily_jobs = ["oversight.children.tasks.enqueue_daily"]
    integrity_checks = [
        "oversight.children.integrity.involvements_held_elsewhere_check",
        "oversight.children.integrity.meeting_tallies_check",
    ]
