from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "oversight.supervision"
    label = "supervision"
    verbose_name = "Supervision sessions and records"
    navigation = [("Supervision", "supervision:session_list", "supervision.list_sessions")]
    on_supervision_relationship_ended = "oversight.supervision.services.handover.session_handover"
