from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "oversight.supervision"
    label = "supervision"
    verbose_name = "Supervision sessions and records"
    navigation = [("Supervision", "supervision:session_list", "supervision.list_sessions")]
    # What children reads of supervision's records (children.discussions, decision 0001).
    child_discussions = "oversight.supervision.selectors.case_discussions_live"
    child_decisions = "oversight.supervision.selectors.decisions_live"
